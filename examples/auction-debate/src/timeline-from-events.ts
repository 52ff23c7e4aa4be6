import type { ConversationEvent } from '@argentum/core';
import { formatClock } from './render-timeline-svg';
import { LANE_COLORS, type TimelineBar, type TimelineModel } from './timeline-model';
import { startOf } from './transcript';

/**
 * Turns a conversation's event log into the timeline picture's model: a bar per played segment
 * (turn sentences and interjection clips, from their first sample for as long as they played), a
 * duck per played interjection over the speaker it was said under, and a marker per interrupt
 * outcome (committed at the cut beat, fallen back at the decision).
 *
 * @param events - the whole log, from `start`.
 * @param subtitleExtra - appended to the subtitle, e.g. the providers.
 */
export function buildTimelineModel(events: readonly ConversationEvent[], subtitleExtra = ''): TimelineModel {
  const start = startOf(events);
  const t0 = start.at;
  const bars: TimelineBar[] = [];
  const ducks: TimelineModel['ducks'] = [];
  const interrupts: TimelineModel['interrupts'] = [];
  const interjections = new Map<string, { targetAgentId: string; duckGainDb: number }>();
  let endAt = t0;
  for (const event of events) {
    switch (event.type) {
      case 'interjection':
        if (event.outcome === 'played') {
          interjections.set(event.clipId, {
            targetAgentId: event.targetAgentId,
            duckGainDb: event.duckGainDb,
          });
        }
        break;
      case 'segment-end': {
        if (event.startedAt === null || event.playedMs <= 0) break;
        const startMs = event.startedAt - t0;
        const endMs = startMs + event.playedMs;
        bars.push({
          agentId: event.agentId,
          kind: event.kind,
          turnId: event.turnId,
          startMs,
          endMs,
          text: event.heardText,
          cut: event.outcome === 'cancel',
        });
        const clip = event.kind === 'interjection' ? interjections.get(event.segmentId) : undefined;
        if (clip !== undefined) {
          ducks.push({
            agentId: clip.targetAgentId,
            byAgentId: event.agentId,
            startMs,
            endMs,
            gainDb: clip.duckGainDb,
          });
        }
        break;
      }
      case 'interrupt': {
        const committed = event.outcome === 'committed' && event.beatAt !== null;
        interrupts.push({
          interruptId: event.interruptId,
          kickerId: event.agentId,
          speakerId: event.speakerId,
          atMs: (committed && event.beatAt !== null ? event.beatAt : event.decidedAt) - t0,
          crossfadeMs: event.crossfadeMs,
          word: event.beatText,
          outcome: event.outcome,
          reason: event.reason,
        });
        break;
      }
      case 'end':
        endAt = event.at;
        break;
      default:
        break;
    }
  }
  bars.sort((a, b) => a.startMs - b.startMs);
  const lastBarEnd = bars.reduce((latest, bar) => Math.max(latest, bar.endMs), 0);
  const durationMs = Math.max(endAt - t0, lastBarEnd);
  const extra = subtitleExtra === '' ? '' : ` · ${subtitleExtra}`;
  return {
    title: start.topic,
    subtitle: `${start.preset} · seed ${start.seed} · ${start.agents.length} agents · ${formatClock(durationMs, true)} of audio${extra}`,
    durationMs,
    lanes: start.agents.map((agent, index) => ({
      agentId: agent.agentId,
      name: agent.name,
      detail: `${agent.stance} · voice ${agent.voice}`,
      color: LANE_COLORS[index % LANE_COLORS.length] ?? '#888',
    })),
    bars,
    ducks,
    interrupts,
  };
}
