import { describe, expect, it } from 'vitest';
import { escapeXml, formatClock, renderTimelineSvg } from './render-timeline-svg';
import type { TimelineModel } from './timeline-model';

const LABEL_WIDTH = 130;

function model(overrides: Partial<TimelineModel> = {}): TimelineModel {
  return {
    title: 'Cars & cities: <ban> them?',
    subtitle: 'debate_snappy · seed 7',
    durationMs: 20_000,
    lanes: [
      { agentId: 'ada', name: 'Ada', detail: 'for · voice ada', color: '#4e79a7' },
      { agentId: 'bruno', name: 'Bruno', detail: 'against · voice bruno', color: '#f28e2b' },
    ],
    bars: [
      {
        agentId: 'ada',
        kind: 'turn',
        turnId: 'turn-1',
        startMs: 0,
        endMs: 5_000,
        text: 'Cars out.',
        cut: false,
      },
      {
        agentId: 'bruno',
        kind: 'interjection',
        turnId: 'turn-1',
        startMs: 2_000,
        endMs: 2_600,
        text: 'No!',
        cut: false,
      },
      {
        agentId: 'ada',
        kind: 'turn',
        turnId: 'turn-1',
        startMs: 5_300,
        endMs: 9_000,
        text: 'Because',
        cut: true,
      },
      {
        agentId: 'bruno',
        kind: 'turn',
        turnId: 'turn-2',
        startMs: 9_000,
        endMs: 15_000,
        text: 'Shops "die".',
        cut: false,
      },
    ],
    ducks: [{ agentId: 'ada', byAgentId: 'bruno', startMs: 2_000, endMs: 2_600, gainDb: -9 }],
    interrupts: [
      {
        interruptId: 'interrupt-1',
        kickerId: 'bruno',
        speakerId: 'ada',
        atMs: 9_000,
        crossfadeMs: 60,
        word: 'because',
        outcome: 'committed',
        reason: 'audio-ready',
      },
      {
        interruptId: 'interrupt-2',
        kickerId: 'ada',
        speakerId: 'bruno',
        atMs: 12_000,
        crossfadeMs: 0,
        word: null,
        outcome: 'fallen-back',
        reason: 'audio-not-ready',
      },
    ],
    ...overrides,
  };
}

/** The x of a bar's rect whose <title> starts with `prefix`. */
function barX(svg: string, prefix: string): number {
  const match = new RegExp(`<rect x="([\\d.]+)"[^>]*><title>${prefix}`).exec(svg);
  if (match === null) throw new Error(`no bar titled ${prefix}`);
  return Number(match[1]);
}

describe('renderTimelineSvg', () => {
  it('draws one labelled lane per agent, bars at their times, and escapes text', () => {
    const svg = renderTimelineSvg(model(), { widthPx: 1150 }); // 1000 px of plot for a 20 s row: 50 px/s
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('>Ada</text>');
    expect(svg).toContain('>Bruno</text>');
    expect(svg).toContain('Cars &amp; cities: &lt;ban&gt; them?');
    expect(svg).toContain('Shops &quot;die&quot;.');
    expect(svg).not.toContain('<ban>');
    expect(barX(svg, 'turn-1, 0:00.0')).toBe(LABEL_WIDTH);
    expect(barX(svg, 'turn-2, 0:09.0')).toBe(LABEL_WIDTH + 9 * 50);
    expect(barX(svg, 'interjection under turn-1')).toBe(LABEL_WIDTH + 2 * 50);
    // the cut bar says so
    expect(svg).toContain('turn-1, 0:05.3–0:09.0 (cut): Because');
  });

  it('shades the ducked speaker and marks committed and fallen-back interrupts differently', () => {
    const svg = renderTimelineSvg(model(), { widthPx: 1150 });
    expect(svg).toMatch(
      /<rect x="230" [^>]*fill="url\(#duck\)"><title>Ada ducked -9 dB under Bruno<\/title>/,
    );
    expect(svg).toContain('interrupt-1: Bruno → Ada cut at &quot;because&quot; (0:09.0), crossfade 60 ms');
    expect(svg).toMatch(/<line x1="580" [^>]*stroke="#d62728" stroke-width="2.5"\/>/);
    expect(svg).toContain('interrupt-2: Ada → Bruno fell back (audio-not-ready) at 0:12.0');
    expect(svg).toMatch(/<line x1="730" [^>]*stroke-dasharray="3 3"\/>/);
  });

  it('wraps a long debate into rows with a labelled time axis each', () => {
    const svg = renderTimelineSvg(model({ durationMs: 150_000 }), { rowMs: 60_000 });
    // three rows: each lane label appears once per row
    expect(svg.match(/>Ada<\/text>/g)).toHaveLength(3);
    for (const label of ['0:00', '0:50', '1:00', '2:00', '2:30']) expect(svg).toContain(`>${label}</text>`);
    expect(svg).not.toContain('>3:00</text>');
  });

  it('labels a turn with its number when the bar is wide enough', () => {
    const svg = renderTimelineSvg(model(), { widthPx: 1150 });
    expect(svg).toMatch(/fill="#fff" pointer-events="none">1<\/text>/);
    expect(svg).toMatch(/fill="#fff" pointer-events="none">2<\/text>/);
  });
});

describe('formatClock and escapeXml', () => {
  it('formats m:ss and m:ss.t', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(65_400)).toBe('1:05');
    expect(formatClock(65_400, true)).toBe('1:05.4');
    expect(formatClock(181_960, true)).toBe('3:02.0');
  });

  it('escapes the five XML characters', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
