import type { TimelineBar, TimelineModel } from './timeline-model';

/** Layout of the timeline picture. */
export interface TimelineLayout {
  /** Total width, px. */
  widthPx: number;
  /** Audio time per row, ms; the picture wraps into rows like lines of text. */
  rowMs: number;
  /** Height of one agent lane, px. */
  laneHeightPx: number;
}

const DEFAULT_LAYOUT: TimelineLayout = { widthPx: 1500, rowMs: 60_000, laneHeightPx: 30 };
const LABEL_WIDTH = 130;
const RIGHT_MARGIN = 20;
const HEADER_HEIGHT = 96;
const AXIS_HEIGHT = 26;
const ROW_GAP = 22;
const INTERRUPT_COLOR = '#d62728';
const FALLBACK_COLOR = '#7f7f7f';

/**
 * Renders the timeline as a standalone SVG document: one lane per agent, turn segments as bars,
 * interjections as thin bars in the interjector's lane, ducking as dark stripes over the ducked
 * speaker, hard interrupts as red lines from the kicker to the cut (with the crossfade as a band),
 * fallen-back interrupts as dashed grey lines, and a time axis under every row. Long debates wrap
 * into rows of `rowMs`. Each bar carries a `<title>` with its text, shown on hover in a browser.
 */
export function renderTimelineSvg(model: TimelineModel, layout: Partial<TimelineLayout> = {}): string {
  const { widthPx, laneHeightPx } = { ...DEFAULT_LAYOUT, ...layout };
  const durationMs = Math.max(model.durationMs, 1);
  // Short runs get one row, rounded up to a whole 10 s.
  let rowMs = Math.min(layout.rowMs ?? DEFAULT_LAYOUT.rowMs, durationMs);
  let rowCount = Math.max(1, Math.ceil(durationMs / rowMs));
  if (rowCount > 1 && durationMs - (rowCount - 1) * rowMs < 0.15 * rowMs) {
    // A few seconds past the last full row: stretch the rows a little instead of adding a stub.
    rowCount -= 1;
    rowMs = durationMs / rowCount;
  }
  const plotWidth = widthPx - LABEL_WIDTH - RIGHT_MARGIN;
  const pxPerMs = plotWidth / rowMs;
  const lanesHeight = model.lanes.length * laneHeightPx;
  const rowHeight = lanesHeight + AXIS_HEIGHT + ROW_GAP;
  const heightPx = HEADER_HEIGHT + rowCount * rowHeight + 10;
  const laneIndex = new Map(model.lanes.map((lane, index) => [lane.agentId, index]));
  const colorOf = new Map(model.lanes.map((lane) => [lane.agentId, lane.color]));

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${heightPx}" viewBox="0 0 ${widthPx} ${heightPx}" font-family="Helvetica, Arial, sans-serif">`,
    '<defs>',
    '<pattern id="duck" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">',
    '<rect width="6" height="6" fill="#000" fill-opacity="0.18"/><rect width="3" height="6" fill="#000" fill-opacity="0.38"/>',
    '</pattern>',
    '</defs>',
    `<rect width="${widthPx}" height="${heightPx}" fill="#ffffff"/>`,
    `<text x="16" y="28" font-size="20" font-weight="bold" fill="#222">${escapeXml(model.title)}</text>`,
    `<text x="16" y="50" font-size="13" fill="#555">${escapeXml(model.subtitle)}</text>`,
  );
  out.push(renderLegend(16, 74));

  for (let row = 0; row < rowCount; row += 1) {
    const rowStart = row * rowMs;
    const rowEnd = Math.min(rowStart + rowMs, durationMs);
    const top = HEADER_HEIGHT + row * rowHeight;
    const xOf = (ms: number): number => LABEL_WIDTH + (ms - rowStart) * pxPerMs;
    const laneTop = (agentId: string): number => top + (laneIndex.get(agentId) ?? 0) * laneHeightPx;
    const clip = (startMs: number, endMs: number): [number, number] | undefined => {
      const from = Math.max(startMs, rowStart);
      const to = Math.min(endMs, rowEnd);
      return to > from || (to === from && startMs === endMs && from >= rowStart && from < rowEnd)
        ? [from, to]
        : undefined;
    };

    // Lane backgrounds and labels.
    model.lanes.forEach((lane, index) => {
      const y = top + index * laneHeightPx;
      out.push(
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${fmt((rowEnd - rowStart) * pxPerMs)}" height="${laneHeightPx}" fill="${index % 2 === 0 ? '#f5f6f8' : '#eceef2'}"/>`,
        `<rect x="10" y="${y + 6}" width="6" height="${laneHeightPx - 12}" rx="2" fill="${lane.color}"/>`,
        `<text x="22" y="${y + laneHeightPx / 2 - 1}" font-size="13" font-weight="bold" fill="#222">${escapeXml(lane.name)}</text>`,
        `<text x="22" y="${y + laneHeightPx / 2 + 11}" font-size="9.5" fill="#666">${escapeXml(lane.detail)}</text>`,
      );
    });

    // Turn bars, then ducking over them, then interjections, then interrupts on top.
    const labelled = new Set<string>();
    const labels: string[] = [];
    for (const bar of model.bars) {
      if (bar.kind !== 'turn') continue;
      const span = clip(bar.startMs, bar.endMs);
      if (span === undefined) continue;
      out.push(renderBar(bar, xOf(span[0]), laneTop(bar.agentId), span, pxPerMs, laneHeightPx, colorOf));
      // The turn's number on its first bar in this row, when it fits.
      const width = (span[1] - span[0]) * pxPerMs;
      const label = bar.turnId.replace(/^turn-/, '');
      if (!labelled.has(bar.turnId) && width >= 13 + label.length * 7) {
        labelled.add(bar.turnId);
        labels.push(
          `<text x="${fmt(xOf(span[0]) + 9)}" y="${fmt(laneTop(bar.agentId) + laneHeightPx / 2 + 4)}" font-size="11" font-weight="bold" fill="#fff" pointer-events="none">${escapeXml(label)}</text>`,
        );
      }
    }
    for (const duck of model.ducks) {
      const span = clip(duck.startMs, duck.endMs);
      if (span === undefined) continue;
      const y = laneTop(duck.agentId) + 4;
      out.push(
        `<rect x="${fmt(xOf(span[0]))}" y="${y}" width="${fmt(Math.max((span[1] - span[0]) * pxPerMs, 2))}" height="${laneHeightPx - 8}" fill="url(#duck)"><title>${escapeXml(`${nameOf(model, duck.agentId)} ducked ${duck.gainDb} dB under ${nameOf(model, duck.byAgentId)}`)}</title></rect>`,
      );
    }
    for (const bar of model.bars) {
      if (bar.kind !== 'interjection') continue;
      const span = clip(bar.startMs, bar.endMs);
      if (span === undefined) continue;
      out.push(renderBar(bar, xOf(span[0]), laneTop(bar.agentId), span, pxPerMs, laneHeightPx, colorOf));
    }
    out.push(...labels);
    for (const interrupt of model.interrupts) {
      if (interrupt.atMs < rowStart || interrupt.atMs >= rowEnd) continue;
      out.push(renderInterrupt(model, interrupt, xOf, laneTop, pxPerMs, laneHeightPx));
    }

    // Time axis: a tick every 5 s, a label every 10 s.
    const axisY = top + lanesHeight;
    out.push(
      `<line x1="${LABEL_WIDTH}" y1="${axisY}" x2="${fmt(xOf(rowEnd))}" y2="${axisY}" stroke="#444" stroke-width="1"/>`,
    );
    for (let tick = Math.ceil(rowStart / 5000) * 5000; tick <= rowEnd; tick += 5000) {
      const x = fmt(xOf(tick));
      const major = tick % 10_000 === 0;
      out.push(`<line x1="${x}" y1="${axisY}" x2="${x}" y2="${axisY + (major ? 6 : 3)}" stroke="#444"/>`);
      if (major) {
        out.push(
          `<text x="${x}" y="${axisY + 18}" font-size="11" text-anchor="middle" fill="#333">${formatClock(tick)}</text>`,
        );
        out.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${axisY}" stroke="#000" stroke-opacity="0.07"/>`);
      }
    }
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function renderBar(
  bar: TimelineBar,
  x: number,
  laneTop: number,
  span: [number, number],
  pxPerMs: number,
  laneHeight: number,
  colorOf: Map<string, string>,
): string {
  const color = colorOf.get(bar.agentId) ?? '#888';
  const width = Math.max((span[1] - span[0]) * pxPerMs, 1.5);
  const label = `${bar.kind === 'turn' ? bar.turnId : `interjection under ${bar.turnId}`}, ${formatClock(bar.startMs, true)}–${formatClock(bar.endMs, true)}${bar.cut ? ' (cut)' : ''}: ${bar.text}`;
  if (bar.kind === 'interjection') {
    const height = Math.round(laneHeight * 0.42);
    const y = laneTop + (laneHeight - height) / 2;
    return `<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(width)}" height="${height}" rx="2" fill="#fff" stroke="${color}" stroke-width="2"><title>${escapeXml(label)}</title></rect>\n<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(width)}" height="${height}" rx="2" fill="${color}" fill-opacity="0.45"/>`;
  }
  const y = laneTop + 4;
  const height = laneHeight - 8;
  const parts = [
    `<rect x="${fmt(x)}" y="${y}" width="${fmt(width)}" height="${height}" rx="3" fill="${color}"><title>${escapeXml(label)}</title></rect>`,
  ];
  if (bar.cut) {
    // A ragged right edge marks a cut segment.
    const right = x + width;
    parts.push(
      `<path d="M${fmt(right)} ${y} l-4 ${height / 4} l4 ${height / 4} l-4 ${height / 4} l4 ${height / 4}" fill="none" stroke="#fff" stroke-width="1.5"/>`,
    );
  }
  return parts.join('\n');
}

function renderInterrupt(
  model: TimelineModel,
  interrupt: TimelineModel['interrupts'][number],
  xOf: (ms: number) => number,
  laneTop: (agentId: string) => number,
  pxPerMs: number,
  laneHeight: number,
): string {
  const x = xOf(interrupt.atMs);
  const kickerY = laneTop(interrupt.kickerId) + laneHeight / 2;
  const speakerY = laneTop(interrupt.speakerId) + laneHeight / 2;
  const top = Math.min(kickerY, speakerY) - laneHeight / 2 + 2;
  const bottom = Math.max(kickerY, speakerY) + laneHeight / 2 - 2;
  const who = `${nameOf(model, interrupt.kickerId)} → ${nameOf(model, interrupt.speakerId)}`;
  if (interrupt.outcome === 'committed') {
    const title = `${interrupt.interruptId}: ${who} cut at "${interrupt.word ?? ''}" (${formatClock(interrupt.atMs, true)}), crossfade ${interrupt.crossfadeMs} ms`;
    const band = Math.max(interrupt.crossfadeMs * pxPerMs, 3);
    return [
      `<g><title>${escapeXml(title)}</title>`,
      `<rect x="${fmt(x)}" y="${fmt(top)}" width="${fmt(band)}" height="${fmt(bottom - top)}" fill="${INTERRUPT_COLOR}" fill-opacity="0.35"/>`,
      `<line x1="${fmt(x)}" y1="${fmt(top)}" x2="${fmt(x)}" y2="${fmt(bottom)}" stroke="${INTERRUPT_COLOR}" stroke-width="2.5"/>`,
      `<path d="M${fmt(x - 6)} ${fmt(speakerY - 7)} l6 7 l-6 7 z" fill="${INTERRUPT_COLOR}"/>`,
      `<circle cx="${fmt(x)}" cy="${fmt(kickerY)}" r="5" fill="${INTERRUPT_COLOR}" stroke="#fff" stroke-width="1.5"/>`,
      `<text x="${fmt(x + 4)}" y="${fmt(top - 2)}" font-size="10" font-weight="bold" fill="${INTERRUPT_COLOR}">✂</text>`,
      '</g>',
    ].join('\n');
  }
  const title = `${interrupt.interruptId}: ${who} fell back (${interrupt.reason}) at ${formatClock(interrupt.atMs, true)}`;
  return [
    `<g><title>${escapeXml(title)}</title>`,
    `<line x1="${fmt(x)}" y1="${fmt(top)}" x2="${fmt(x)}" y2="${fmt(bottom)}" stroke="${FALLBACK_COLOR}" stroke-width="1.5" stroke-dasharray="3 3"/>`,
    `<circle cx="${fmt(x)}" cy="${fmt(kickerY)}" r="4.5" fill="#fff" stroke="${FALLBACK_COLOR}" stroke-width="1.5"/>`,
    '</g>',
  ].join('\n');
}

function renderLegend(x: number, y: number): string {
  const items: string[] = [];
  let cursor = x;
  const add = (swatch: string, label: string, width: number): void => {
    items.push(
      `<g transform="translate(${cursor} ${y})">${swatch}<text x="26" y="4" font-size="12" fill="#333">${label}</text></g>`,
    );
    cursor += width;
  };
  add('<rect x="0" y="-6" width="20" height="12" rx="2" fill="#888"/>', 'turn', 70);
  add(
    '<rect x="0" y="-3" width="20" height="7" rx="2" fill="#888" fill-opacity="0.45" stroke="#888" stroke-width="2"/>',
    'interjection (ducked overlay)',
    210,
  );
  add(
    '<rect x="0" y="-6" width="20" height="12" fill="#888"/><rect x="0" y="-6" width="20" height="12" fill="url(#duck)"/>',
    'speaker ducked',
    130,
  );
  add(
    `<rect x="8" y="-8" width="4" height="16" fill="${INTERRUPT_COLOR}" fill-opacity="0.35"/><line x1="8" y1="-8" x2="8" y2="8" stroke="${INTERRUPT_COLOR}" stroke-width="2.5"/>`,
    'hard interrupt: cut + crossfade (● who cut in)',
    300,
  );
  add(
    `<line x1="10" y1="-8" x2="10" y2="8" stroke="${FALLBACK_COLOR}" stroke-width="1.5" stroke-dasharray="3 3"/>`,
    'interrupt fell back (speaker finished)',
    260,
  );
  add(
    '<rect x="0" y="-6" width="20" height="12" rx="2" fill="#888"/><path d="M20 -6 l-4 3 l4 3 l-4 3 l4 3" fill="none" stroke="#fff" stroke-width="1.5"/>',
    'segment cut',
    110,
  );
  return items.join('\n');
}

function nameOf(model: TimelineModel, agentId: string): string {
  return model.lanes.find((lane) => lane.agentId === agentId)?.name ?? agentId;
}

/** `m:ss` (or `m:ss.t` with tenths). */
export function formatClock(ms: number, tenths = false): string {
  const totalSeconds = Math.max(ms, 0) / 1000;
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds - minutes * 60;
  const secondsText = tenths
    ? seconds.toFixed(1).padStart(4, '0')
    : String(Math.floor(seconds)).padStart(2, '0');
  return `${minutes}:${secondsText}`;
}

/** Escapes text for XML/HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function fmt(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}
