import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AuctionConversation,
  type ConversationEvent,
  createVirtualClock,
  realtimeScheduler,
  StreamingAudioController,
} from '@argentum/core';
import type { Subscription } from 'rxjs';
import type { DebateManifest } from './manifest';
import { buildMetrics, type DebateMetrics, stableJson } from './metrics';
import { createDebateProviders } from './providers';
import { renderTimelineHtml } from './render-timeline-html';
import { renderTimelineSvg } from './render-timeline-svg';
import { buildTimelineModel } from './timeline-from-events';
import { buildTranscript, formatTranscriptText, type Transcript } from './transcript';
import { WavAccumulator } from './wav-accumulator';

/** What {@link runDebate} needs. */
export interface RunDebateOptions {
  /** The validated manifest (flags applied). */
  manifest: DebateManifest;
  /** Where to write the files (created if missing). */
  outDir: string;
  /** Run the OpenAI/ElevenLabs providers against their local test servers. */
  offlineProviders?: boolean;
  /** Environment variables (API keys); defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Called with every conversation event as it happens (progress display). */
  onEvent?: (event: ConversationEvent) => void;
  /** Called with a one-line notice for people (e.g. why the run is on the wall clock). */
  onNotice?: (text: string) => void;
}

/** The files a run writes, by role. */
export interface DebateFiles {
  /** The mixed conversation, PCM16 mono. */
  wav: string;
  /** The transcript as JSON. */
  transcriptJson: string;
  /** The readable transcript. */
  transcriptText: string;
  /** Metrics JSON. */
  metrics: string;
  /** The timeline picture. */
  svg: string;
  /** The timeline page (picture, player, transcript). */
  html: string;
  /** Every conversation event, one JSON object per line. */
  events: string;
}

/** What a run produced. */
export interface DebateRun {
  /** The whole event log. */
  events: ConversationEvent[];
  /** The metrics written to `metrics.json`. */
  metrics: DebateMetrics;
  /** The transcript written to `transcript.json`. */
  transcript: Transcript;
  /** Where everything went. */
  files: DebateFiles;
  /** Length of the WAV, ms. */
  audioMs: number;
  /** Wall time of the conversation itself (not the file writing), ms. */
  wallMs: number;
  /** Whether it ran on the wall clock. */
  realtime: boolean;
  /** The providers, in words. */
  providers: string;
}

/** Virtual time moved per step when running as fast as possible, ms. */
const VIRTUAL_STEP_MS = 250;
/** How long after the planned length a run may go on before it is treated as stuck, ms. */
const OVERRUN_LIMIT_MS = 120_000;

/**
 * Runs one debate end to end: builds the providers, plays the auction conversation (under a
 * virtual clock as fast as the CPU allows, or on the wall clock), records every event and every
 * output frame, then writes the WAV, transcript, metrics, timeline and event log into `outDir`.
 */
export async function runDebate(options: RunDebateOptions): Promise<DebateRun> {
  const { manifest } = options;
  const providers = await createDebateProviders(manifest, {
    offlineProviders: options.offlineProviders ?? false,
    env: options.env ?? process.env,
  });
  try {
    let realtime = manifest.realtime;
    if (!realtime && !providers.virtualTimeCapable) {
      realtime = true;
      options.onNotice?.(
        'network providers answer on the wall clock, so this run is real time (a virtual clock cannot wait for them).',
      );
    }
    const clock = realtime ? undefined : createVirtualClock();
    const scheduler = clock?.scheduler ?? realtimeScheduler;
    const controller = new StreamingAudioController({ sampleRate: providers.sampleRate, scheduler });
    const maxDurationMs = Math.round(manifest.minutes * 60_000);
    const targets: Record<string, number> = {};
    for (const agent of manifest.agents) targets[agent.id] = agent.targetShare;
    const conversation = new AuctionConversation({
      agents: providers.agents,
      tts: providers.tts,
      controller,
      scheduler,
      topic: manifest.topic,
      preset: manifest.preset,
      seed: manifest.seed,
      maxDurationMs,
      targets,
    });

    const events: ConversationEvent[] = [];
    let wav: WavAccumulator | undefined;
    const pendingFrames: Parameters<WavAccumulator['add']>[0][] = [];
    const wallStart = realtimeScheduler.now();
    let audioDone = false;
    const subscriptions: Subscription[] = [];
    const finished = new Promise<void>((resolve, reject) => {
      subscriptions.push(
        conversation.audio$.subscribe({
          next: (frame) => {
            if (wav === undefined) pendingFrames.push(frame);
            else wav.add(frame);
          },
          error: reject,
          complete: () => {
            audioDone = true;
          },
        }),
      );
      subscriptions.push(
        conversation.events$.subscribe({
          next: (event) => {
            if (event.type === 'start') {
              wav = new WavAccumulator(providers.sampleRate, 1, event.at);
              for (const frame of pendingFrames.splice(0)) wav.add(frame);
            }
            events.push(event);
            options.onEvent?.(event);
          },
          error: reject,
          complete: resolve,
        }),
      );
    });

    try {
      if (clock === undefined) {
        await finished;
      } else {
        let done = false;
        let failure: unknown;
        finished.then(
          () => {
            done = true;
          },
          (error: unknown) => {
            done = true;
            failure = error;
          },
        );
        while (!done) {
          clock.advanceBy(VIRTUAL_STEP_MS);
          // Let promise callbacks (and the terminal) run between steps.
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (clock.now() > maxDurationMs + OVERRUN_LIMIT_MS && !done) {
            throw new Error(
              `the conversation was still running ${OVERRUN_LIMIT_MS / 1000} s of audio after its planned end; stopped.`,
            );
          }
        }
        if (failure !== undefined) throw failure;
        // Let the last frames (fades) render.
        for (let extraMs = 0; !audioDone && extraMs < 2_000; extraMs += VIRTUAL_STEP_MS) {
          clock.advanceBy(VIRTUAL_STEP_MS);
        }
      }
    } finally {
      for (const subscription of subscriptions) subscription.unsubscribe();
      controller.dispose();
    }
    const wallMs = realtimeScheduler.now() - wallStart;
    if (wav === undefined) throw new Error('the conversation produced no start event.');

    const transcript = buildTranscript(events);
    const metrics = buildMetrics(events);
    const svg = renderTimelineSvg(buildTimelineModel(events, providers.description));
    const files = await writeOutputs(options.outDir, {
      wav: wav.toWav(),
      transcript,
      metrics,
      svg,
      events,
    });
    return {
      events,
      metrics,
      transcript,
      files,
      audioMs: wav.durationMs,
      wallMs,
      realtime,
      providers: providers.description,
    };
  } finally {
    await providers.close();
  }
}

async function writeOutputs(
  outDir: string,
  outputs: {
    wav: Uint8Array;
    transcript: Transcript;
    metrics: DebateMetrics;
    svg: string;
    events: readonly ConversationEvent[];
  },
): Promise<DebateFiles> {
  await mkdir(outDir, { recursive: true });
  const files: DebateFiles = {
    wav: join(outDir, 'debate.wav'),
    transcriptJson: join(outDir, 'transcript.json'),
    transcriptText: join(outDir, 'transcript.txt'),
    metrics: join(outDir, 'metrics.json'),
    svg: join(outDir, 'timeline.svg'),
    html: join(outDir, 'timeline.html'),
    events: join(outDir, 'events.jsonl'),
  };
  const { summary } = outputs.metrics;
  const figures = [
    `${summary.preset} · seed ${summary.seed}`,
    plural(summary.turns.length, 'turn'),
    plural(summary.interjections.played, 'interjection'),
    `${plural(summary.interrupts.committed, 'interrupt')} (${summary.interrupts.fallenBack} fell back)`,
    `gap p50 ${Math.round(summary.handoffGaps.p50Ms)} ms`,
    `overlap ${(summary.overlap.ratio * 100).toFixed(1)}%`,
    `Jain ${summary.fairness.jain.toFixed(3)}`,
  ];
  await Promise.all([
    writeFile(files.wav, outputs.wav),
    writeFile(files.transcriptJson, stableJson(outputs.transcript)),
    writeFile(files.transcriptText, formatTranscriptText(outputs.transcript)),
    writeFile(files.metrics, stableJson(outputs.metrics)),
    writeFile(files.svg, outputs.svg),
    writeFile(
      files.html,
      renderTimelineHtml({
        svg: outputs.svg,
        transcript: outputs.transcript,
        audioFile: 'debate.wav',
        figures,
      }),
    ),
    writeFile(files.events, outputs.events.map((event) => stableJson(event, true)).join('')),
  ]);
  return files;
}

/** `1 turn`, `2 turns`. */
function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
