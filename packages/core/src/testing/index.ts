/**
 * `@argentum/core/testing`: helpers for testing Argentum pipelines in virtual time.
 *
 * @packageDocumentation
 */
export { type CollectedEvent, collectInVirtualTime } from './collect-in-virtual-time';
export {
  generateSpeechLikeSignal,
  type SpeechLikeSignal,
  type SpeechLikeSignalOptions,
  type SpeechLikeUtterance,
} from './speech-like-signal';
