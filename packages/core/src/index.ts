/**
 * `@argentum/core`: real-time spoken-conversation primitives as RxJS streams on an injectable clock.
 *
 * @packageDocumentation
 */
export * from './auction/index';
export * from './audio/index';
export * from './clock/index';
export * from './controller/index';
export * from './conversation/index';
export * from './errors/index';
export * from './governor/index';
export * from './interrupt/index';
export * from './latency/index';
export * from './pool/index';
export * from './provider/index';
export * from './session/index';
export * from './tracing/index';
export * from './voice-agent/index';
