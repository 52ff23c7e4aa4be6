export { type StageSpan, TURN_STAGES, type TurnStage } from './stage-span';
export { TRACE_ATTRIBUTES } from './trace-attributes';
export { CORRELATION_ID_HEADER, type TraceTurnOptions, type TurnTrace, traceTurn } from './turn-trace';
export { withStageSpan } from './with-stage-span';
