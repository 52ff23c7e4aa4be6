import type { WebSocket } from 'ws';

/** What of `ws`'s receiver this relies on (private, checked at run time). */
interface ReceiverFragments {
  _fragments: unknown[];
}

/**
 * A workaround for a retention chain in `ws` 8's receiver, returned as the function to call after
 * each message (`undefined` when the socket is not a `ws` socket with that receiver, e.g. an
 * in-memory one: then nothing is needed).
 *
 * The receiver collects each message's frames in a fresh `_fragments` array. That array waits on
 * the receiver for the connection's next message (100 ms at ten chunks a second), long enough to be
 * promoted to the old generation; once it has held a payload and been replaced, it is dead but
 * still old, and the scavenger treats it as a root until the next full collection — so the payload
 * it held, a view on the socket read's `ArrayBuffer`, is promoted too. The read buffers then pile
 * up outside the heap at the input rate (≈ 15 MB a second at 600 conversations) until V8 starts a
 * full collection for external memory pressure, every few seconds.
 *
 * The fix: after each message (when the receiver holds no fragments of the next one), give the
 * receiver one array of this connection's, emptied, instead of the fresh one — it lives as long as
 * the connection and never holds a payload past its message.
 * @internal
 */
export function reuseReceiverFragments(socket: WebSocket): (() => void) | undefined {
  const receiver = (socket as unknown as { _receiver?: Partial<ReceiverFragments> })._receiver;
  if (receiver === undefined || receiver === null || !Array.isArray(receiver._fragments)) return undefined;
  const fragments: unknown[] = [];
  const target = receiver as ReceiverFragments;
  return () => {
    // With `binaryType: 'fragments'` the receiver hands the array itself to the listeners: keep out.
    // Between messages the receiver's array is the fresh, empty one it made for the next message.
    if (socket.binaryType === 'fragments' || target._fragments.length !== 0) return;
    fragments.length = 0;
    target._fragments = fragments;
  };
}
