export {
  BARGE_IN_DEFAULTS,
  type BargeInDefaults,
  type BargeInPolicyOptions,
} from './barge-in-options';
export {
  type BargeInConfirmReason,
  BargeInPolicy,
  type BargeInProgress,
  type BargeInResumeReason,
  type BargeInSignal,
  type BargeInVerdict,
} from './barge-in-policy';
export { DEFAULT_BACKCHANNEL_WORDS } from './barge-in-words';
export { type DecideInterruptsOptions, decideInterrupts } from './decide-interrupts';
export {
  DynamicFeeInterruptPolicy,
  type DynamicFeeInterruptPolicyOptions,
} from './dynamic-fee-interrupt-policy';
export { InterruptDeniedError } from './interrupt-denied-error';
export type {
  InterruptDecision,
  InterruptPolicy,
  InterruptReason,
  InterruptRequest,
} from './interrupt-types';
export { SimpleInterruptPolicy, type SimpleInterruptPolicyOptions } from './simple-interrupt-policy';
export { WindowedInterruptPolicy, type WindowedInterruptPolicyOptions } from './windowed-interrupt-policy';
