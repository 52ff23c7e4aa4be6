export { ArgentumError, type ArgentumErrorOptions } from './argentum-error';
export {
  AudioFormatError,
  InvalidSampleError,
  UnsupportedSampleRateError,
  WavFormatError,
} from './audio-errors';
export { InvalidArgumentError } from './invalid-argument-error';
