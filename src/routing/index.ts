/**
 * The routing core: which instance of an account answers a message sent to the whole account,
 * why, and how the conversation stays whole when the answering instance changes.
 */
export { type Calibration, calibratedConfidence, FAST_STAGE_CALIBRATION } from "./calibration.ts";
export { invalidateRoutingCache, normaliseQuery } from "./decision-cache.ts";
export { type ExtractiveOptions, extractiveSummary, type HandoffMessage } from "./extractive-summary.ts";
export { type HandoffSummary, type HandoffSummaryOptions, summarizeForHandoff } from "./handoff-summary.ts";
export { createIntentRouter, type IntentRouter, type IntentRouterOptions } from "./intent-router.ts";
export { type ModelRoutingAnswer, ModelRoutingAnswerSchema } from "./model-stage.ts";
export { NoRoutableAgentError } from "./no-routable-agent-error.ts";
export type {
  InstanceStatus,
  RoutableInstance,
  RouteInput,
  RouterModels,
  RoutingAlternative,
  RoutingDecision,
  RoutingHandoff,
  RoutingStage,
} from "./routing-types.ts";
