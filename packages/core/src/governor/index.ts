export { type AdjustLeadTimeOptions, adjustLeadTime, type LeadTimeUpdate } from './adjust-lead-time';
export { AimdLeadTimeController, type AimdLeadTimeControllerOptions } from './aimd-lead-time-controller';
export { BudgetGovernor } from './budget-governor';
export type {
  BudgetDecision,
  BudgetGovernorOptions,
  GovernorLimits,
  LimitRange,
} from './budget-governor-options';
export {
  type CreateLeadTimeControllerOptions,
  createLeadTimeController,
} from './create-lead-time-controller';
export { type BudgetUsage, type GovernBudgetOptions, governBudget } from './govern-budget';
export type { BeatOutcome, LeadTimeController, LeadTimeControllerOptions } from './lead-time-controller';
export {
  RobbinsMonroLeadTimeController,
  type RobbinsMonroLeadTimeControllerOptions,
} from './robbins-monro-lead-time-controller';
