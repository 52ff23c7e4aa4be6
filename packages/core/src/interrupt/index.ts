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
