import { escapeXml, formatClock } from './render-timeline-svg';
import type { Transcript } from './transcript';

/** What the HTML page shows besides the picture. */
export interface TimelinePageOptions {
  /** The timeline SVG document (embedded inline). */
  svg: string;
  /** The transcript, listed under the picture. */
  transcript: Transcript;
  /** The WAV file's name next to the page (an audio player is shown for it). */
  audioFile: string;
  /** Short figures shown under the title, e.g. `turns 41`, `overlap 2.3%`. */
  figures: string[];
}

/**
 * A self-contained HTML page: the title, an audio player for the debate's WAV, key figures, the
 * timeline SVG inline (hover a bar to read what was said), and the transcript with timestamps.
 */
export function renderTimelineHtml(options: TimelinePageOptions): string {
  const { transcript } = options;
  const names = new Map(transcript.agents.map((agent) => [agent.agentId, agent.name]));
  const nameOf = (agentId: string | null): string =>
    agentId === null ? '?' : (names.get(agentId) ?? agentId);
  const rows = transcript.entries.map((entry): string => {
    const stamp = `<td class="t">${formatClock(entry.atMs, true)}</td>`;
    if (entry.kind === 'turn') {
      return `<tr class="turn">${stamp}<td class="who">${escapeXml(entry.name)}</td><td>${escapeXml(entry.text)}${entry.interrupted ? ` <span class="cut">— cut off by ${escapeXml(nameOf(entry.interruptedBy))}</span>` : ''}</td></tr>`;
    }
    if (entry.kind === 'interjection') {
      return `<tr class="interjection">${stamp}<td class="who">↳ ${escapeXml(entry.name)}</td><td><em>${escapeXml(entry.interjectionType)}</em> under ${escapeXml(nameOf(entry.targetAgentId))}: “${escapeXml(entry.text)}”</td></tr>`;
    }
    return `<tr class="interrupt">${stamp}<td class="who">✂ ${escapeXml(entry.name)}</td><td>interrupts ${escapeXml(nameOf(entry.targetAgentId))}${entry.word === null ? '' : ` at “${escapeXml(entry.word)}”`} (crossfade ${entry.crossfadeMs} ms)</td></tr>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeXml(transcript.topic)} — debate timeline</title>
<style>
  body { font-family: Helvetica, Arial, sans-serif; margin: 24px; color: #222; }
  h1 { font-size: 22px; margin: 0 0 6px; }
  .figures { color: #555; margin: 0 0 12px; }
  .figures span { margin-right: 14px; white-space: nowrap; }
  .picture { overflow-x: auto; border: 1px solid #ddd; margin: 12px 0 20px; }
  table { border-collapse: collapse; max-width: 1200px; }
  td { padding: 3px 8px; vertical-align: top; font-size: 14px; }
  td.t { color: #777; font-variant-numeric: tabular-nums; white-space: nowrap; }
  td.who { font-weight: bold; white-space: nowrap; }
  tr.interjection td { color: #555; font-size: 13px; }
  tr.interrupt td { color: #d62728; }
  .cut { color: #d62728; }
</style>
</head>
<body>
<h1>${escapeXml(transcript.topic)}</h1>
<p class="figures">${options.figures.map((figure) => `<span>${escapeXml(figure)}</span>`).join('')}</p>
<audio controls preload="none" src="${escapeXml(options.audioFile)}"></audio>
<div class="picture">
${options.svg}
</div>
<h2>Transcript</h2>
<table>
${rows.join('\n')}
</table>
</body>
</html>
`;
}
