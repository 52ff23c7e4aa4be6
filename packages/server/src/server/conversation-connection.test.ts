import { createEchoAgent, createRealtimeScheduler, createVirtualClock } from '@argentum/core';
import type { SchedulerLike } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { FakeSocket } from '../internal/fake-socket.test-support';
import { createScriptedStt } from '../testing/scripted-stt';
import { createToneTts } from '../testing/tone-tts';
import { type ConnectionSettings, ConversationConnection } from './conversation-connection';
import { defineAgent } from './server-agent';
import type { ServerEvent } from './server-events';

function connect(
  settings: Partial<ConnectionSettings> = {},
  watched?: () => boolean,
  socket: FakeSocket = new FakeSocket(),
) {
  const clock = createVirtualClock();
  const events: ServerEvent[] = [];
  const connection = new ConversationConnection({
    socket: socket as unknown as WebSocket,
    conversationId: 'conv_test',
    agentId: 'echo',
    agent: defineAgent({
      agents: createEchoAgent(),
      stt: createScriptedStt({ transcripts: [] }),
      tts: createToneTts({ msPerWord: 100 }),
    }),
    settings: {
      scheduler: clock.scheduler,
      maxTextLength: 1000,
      maxAudioBase64Length: 100_000,
      messagesPerSecond: 100,
      messageBurst: 100,
      maxBadMessages: 10,
      idleTimeoutMs: 60_000,
      initiationTimeoutMs: 1000,
      pingIntervalMs: 100,
      maxBufferedBytes: 1000,
      slowClientTimeoutMs: 2000,
      ...settings,
    },
    report: (event) => events.push(event),
    ...(watched === undefined ? {} : { watched }),
    onClosed: () => undefined,
  });
  return { clock, socket, events, connection };
}

describe('ConversationConnection send-buffer policy', () => {
  it('drops droppable messages over half the limit, audio over the limit, never control messages; closes a client slow for too long', async () => {
    const { clock, socket, events } = connect();
    socket.receive({ type: 'conversation_initiation_client_data' });
    socket.bufferedAmount = 600; // over half of 1000
    clock.advanceBy(100); // a ping is due
    expect(socket.sent.filter((message) => message.type === 'ping')).toEqual([]);
    socket.bufferedAmount = 1500; // over the limit
    socket.receive({ type: 'user_message', text: 'a b c d e f' });
    for (let index = 0; index < 20; index++) await Promise.resolve();
    clock.advanceBy(500);
    for (let index = 0; index < 20; index++) await Promise.resolve();
    clock.advanceBy(500);
    const types = socket.sent.map((message) => message.type);
    expect(types).toContain('user_transcript');
    expect(types).toContain('agent_response');
    expect(types).not.toContain('audio');
    const dropped = events
      .filter((event) => event.type === 'message-dropped')
      .map((event) => (event as { messageType: string }).messageType);
    expect(dropped).toContain('ping');
    expect(dropped).toContain('audio');
    expect(socket.closedWith).toBeUndefined();
    clock.advanceBy(2500);
    expect(socket.closedWith).toBe(1008);
  });

  it('times out a client that never sends conversation_initiation_client_data (1008, no message sent)', () => {
    const { clock, socket, events } = connect();
    clock.advanceBy(1000);
    expect(socket.closedWith).toBe(1008);
    expect(socket.sent).toEqual([]);
    expect(events.some((event) => event.type === 'protocol-error' && event.errorType === 'handshake')).toBe(
      true,
    );
  });

  it('answers a second initiation and binary frames with errors (after the metadata)', () => {
    const { clock, socket } = connect();
    socket.receive({ type: 'conversation_initiation_client_data' });
    socket.receive({ type: 'conversation_initiation_client_data' });
    socket.emit('message', Buffer.from([1, 2, 3]), true);
    clock.advanceBy(20);
    expect(socket.sent[0]!.type).toBe('conversation_initiation_metadata');
    const errors = socket.sent
      .filter((message) => message.type === 'error')
      .map((message) => (message.error_event as { error_type: string }).error_type);
    expect(errors).toEqual(['handshake', 'invalid_message']);
  });
});

describe('ConversationConnection reporting', () => {
  async function spokenTurn(watched: boolean) {
    const { clock, socket, events } = connect({ maxBufferedBytes: 1_000_000 }, () => watched);
    socket.receive({ type: 'conversation_initiation_client_data' });
    socket.receive({ type: 'user_message', text: 'a b c' });
    for (let step = 0; step < 30; step++) {
      for (let index = 0; index < 20; index++) await Promise.resolve();
      clock.advanceBy(100);
    }
    const reported = events.flatMap((event) => (event.type === 'session-event' ? [event.event.type] : []));
    return { reported, sent: socket.sent.map((message) => message.type) };
  }

  it('reports agent audio only while someone watches the events; the client gets it either way', async () => {
    const watched = await spokenTurn(true);
    const unwatched = await spokenTurn(false);
    expect(watched.reported).toContain('agent-audio');
    expect(unwatched.reported).not.toContain('agent-audio');
    expect(unwatched.reported).toContain('agent-response');
    expect(unwatched.reported).toContain('turn-metrics');
    expect(unwatched.sent).toEqual(watched.sent);
    expect(unwatched.sent).toContain('audio');
  });
});

describe('ConversationConnection writes', () => {
  it('holds the writes of one callback in the TCP socket and releases them right after it', async () => {
    const log: string[] = [];
    const socket = Object.assign(new FakeSocket(), {
      _socket: { cork: () => log.push('cork'), uncork: () => log.push('uncork') },
    });
    const original = socket.send.bind(socket);
    socket.send = (data: string) => {
      log.push('send');
      original(data);
    };
    const { clock } = connect({}, undefined, socket);
    socket.receive({ type: 'conversation_initiation_client_data' });
    expect(log).toEqual(['cork', 'send']); // the metadata
    await Promise.resolve();
    expect(log).toEqual(['cork', 'send', 'uncork']);
    clock.advanceBy(20);
    await Promise.resolve();
    log.length = 0;
    // Two bad frames handled in one run: two error messages, one cork, released right after.
    socket.emit('message', Buffer.from([1]), true);
    socket.emit('message', Buffer.from([2]), true);
    expect(log).toEqual(['cork', 'send', 'send']);
    await Promise.resolve();
    expect(log).toEqual(['cork', 'send', 'send', 'uncork']);
    expect(socket.sent.filter((message) => message.type === 'error')).toHaveLength(2);
  });
});

describe('ConversationConnection idle timeout', () => {
  it('closes idleTimeoutMs after the last client message, however the messages fall against the timer', () => {
    const { clock, socket, events } = connect({ idleTimeoutMs: 1000, pingIntervalMs: 100_000 });
    socket.receive({ type: 'conversation_initiation_client_data' }); // at 0
    clock.advanceBy(500);
    socket.receive({ type: 'user_activity' }); // at 500: the deadline moves to 1500
    clock.advanceBy(700);
    socket.receive({ type: 'user_activity' }); // at 1200, after the first timer re-armed: 2200
    clock.advanceBy(999); // 2199
    expect(socket.closedWith).toBeUndefined();
    clock.advanceBy(1); // 2200
    expect(socket.closedWith).toBe(1002);
    expect(events.some((event) => event.type === 'conversation-end')).toBe(true);
  });

  it('does not schedule a timer per message (the idle timer re-arms only at its deadline)', () => {
    const clock = createVirtualClock();
    let scheduled = 0;
    const counting: SchedulerLike = {
      now: () => clock.scheduler.now(),
      schedule: (...args: Parameters<SchedulerLike['schedule']>) => {
        scheduled++;
        return clock.scheduler.schedule(...args);
      },
    };
    const socket = new FakeSocket();
    connect({ scheduler: counting, idleTimeoutMs: 1000, pingIntervalMs: 100_000 }, undefined, socket);
    socket.receive({ type: 'conversation_initiation_client_data' });
    clock.advanceBy(50);
    const before = scheduled;
    for (let index = 0; index < 500; index++) {
      clock.advanceBy(10);
      socket.receive({ type: 'user_activity' });
    }
    // 5 s of messages every 10 ms: about one re-arm per idle period, not 500.
    expect(scheduled - before).toBeLessThanOrEqual(10);
    clock.advanceBy(999);
    expect(socket.closedWith).toBeUndefined();
    clock.advanceBy(1);
    expect(socket.closedWith).toBe(1002);
  });
});

describe('ConversationConnection pings', () => {
  it('pings every interval from one timer and stops at close', () => {
    const clock = createVirtualClock();
    const pingTimers: number[] = [];
    const counting: SchedulerLike = {
      now: () => clock.scheduler.now(),
      schedule: (...args: Parameters<SchedulerLike['schedule']>) => {
        if (args[1] === 250) pingTimers.push(clock.scheduler.now());
        return clock.scheduler.schedule(...args);
      },
    };
    const socket = new FakeSocket();
    const { connection } = connect({ scheduler: counting, pingIntervalMs: 250 }, undefined, socket);
    socket.receive({ type: 'conversation_initiation_client_data' });
    const pings = () => socket.sent.filter((message) => message.type === 'ping');
    for (let index = 0; index < 10; index++) {
      clock.advanceBy(250);
      const last = pings().at(-1) as { ping_event: { event_id: number } };
      socket.receive({ type: 'pong', event_id: last.ping_event.event_id });
    }
    expect(pings()).toHaveLength(10);
    // The first ping's timer reschedules itself: the scheduler is asked once, not per ping.
    expect(pingTimers).toEqual([0]);
    connection.close(1000, 'done');
    clock.advanceBy(2000);
    expect(pings()).toHaveLength(10);
  });
});

describe('ConversationConnection on a real-time scheduler', () => {
  it('runs the timed work that fell due while a message was handled right after it, not after the I/O turn', () => {
    const scheduler = createRealtimeScheduler();
    const { socket, connection } = connect({ scheduler });
    let ran = false;
    const other = scheduler.schedule(() => {
      ran = true;
    }, 1);
    const until = performance.now() + 3;
    while (performance.now() < until) {
      // the handler of an earlier message (or of other sockets) holds the thread past the due time
    }
    socket.receive({ type: 'conversation_initiation_client_data' });
    expect(ran).toBe(true); // before the event loop's timers phase could have run it
    other.unsubscribe();
    connection.close(1000, 'done');
  });
});
