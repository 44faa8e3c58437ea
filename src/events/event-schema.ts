import { z } from "zod";

/**
 * The events a run emits. Field names are snake_case and form a public contract read by outside
 * clients (SSE, the AI SDK UI stream, the CLI): add optional fields freely, never rename.
 */

const baseFields = {
  run_id: z.string(),
  seq: z.int().nonnegative(),
};

const ConfidenceSchema = z.number().min(0).max(1);

export const UsageSchema = z.object({
  input_tokens: z.int().nonnegative(),
  output_tokens: z.int().nonnegative(),
  total_tokens: z.int().nonnegative(),
  steps: z.int().nonnegative(),
});
export type Usage = z.infer<typeof UsageSchema>;

// Loose on purpose: retrieval backends attach their own fields, and clients should still see them.
export const SourceSchema = z.looseObject({
  id: z.string().optional(),
  title: z.string().optional(),
  url: z.string().optional(),
  score: z.number().optional(),
});
export type Source = z.infer<typeof SourceSchema>;

export const ChildAgentSummarySchema = z.object({
  agent: z.string(),
  message_id: z.string(),
  status: z.enum(["success", "error"]),
  confidence: ConfidenceSchema.optional(),
  trace_id: z.string().optional(),
  usage: UsageSchema.optional(),
  ms: z.number().nonnegative(),
});
export type ChildAgentSummary = z.infer<typeof ChildAgentSummarySchema>;

export const RoutingAlternativeSchema = z.object({
  agent_type: z.string(),
  instance: z.string(),
  confidence: ConfidenceSchema,
});
export type RoutingAlternative = z.infer<typeof RoutingAlternativeSchema>;

export const RoutingStageSchema = z.enum(["fast", "model", "cache", "sticky", "fallback"]);
export type RoutingStage = z.infer<typeof RoutingStageSchema>;

export const StartEventSchema = z.object({
  type: z.literal("start"),
  ...baseFields,
  conversation_id: z.string(),
  message_id: z.string(),
  agent_schema: z.string(),
  agent_type: z.string(),
  instance: z.string(),
  depth: z.int().nonnegative(),
  parent_run_id: z.string().optional(),
});

export const RoutingEventSchema = z.object({
  type: z.literal("routing"),
  ...baseFields,
  agent_type: z.string(),
  instance: z.string(),
  confidence: ConfidenceSchema,
  stage: RoutingStageSchema,
  alternatives: z.array(RoutingAlternativeSchema),
  ms: z.number().nonnegative(),
  reason: z.string().optional(),
});

export const TextDeltaEventSchema = z.object({
  type: z.literal("text_delta"),
  ...baseFields,
  delta: z.string(),
});

export const ToolCallEventSchema = z.object({
  type: z.literal("tool_call"),
  ...baseFields,
  tool_call_id: z.string(),
  tool_name: z.string(),
  input: z.unknown(),
});

export const ToolResultEventSchema = z.object({
  type: z.literal("tool_result"),
  ...baseFields,
  tool_call_id: z.string(),
  tool_name: z.string(),
  output: z.unknown(),
  is_error: z.boolean().default(false),
});

export const ProgressEventSchema = z.object({
  type: z.literal("progress"),
  ...baseFields,
  phase: z.string(),
  message: z.string(),
  current: z.int().optional(),
  total: z.int().optional(),
});

export const MetadataEventSchema = z.object({
  type: z.literal("metadata"),
  ...baseFields,
  agent_schema: z.string(),
  model: z.string(),
  usage: UsageSchema,
  duration_ms: z.number().nonnegative(),
  child_agents: z.array(ChildAgentSummarySchema).default([]),
  /** This run's usage plus that of every descendant. */
  aggregated_usage: UsageSchema.optional(),
  aggregated_confidence: ConfidenceSchema.optional(),
  confidence: ConfidenceSchema.optional(),
  sources: z.array(SourceSchema).optional(),
  finish_reason: z.string().optional(),
  extra: z.record(z.string(), z.unknown()).optional(),
});

export const HandoffEventSchema = z.object({
  type: z.literal("handoff"),
  ...baseFields,
  from: z.string(),
  to: z.string(),
  summary: z.string(),
});

// The envelope without its recursive `event` field, so the recursive TS types below can be
// written by hand: TypeScript cannot infer a type that refers to itself.
const NestedAgentEventEnvelopeSchema = z.object({
  type: z.literal("agent_event"),
  ...baseFields,
  parent_message_id: z.string(),
  child_agent: z.string(),
  child_message_id: z.string(),
  depth: z.int().min(1),
});

export const NestedAgentEventSchema = z.object({
  ...NestedAgentEventEnvelopeSchema.shape,
  // A getter defers the reference so the union can contain itself (zod 4 recursion).
  get event(): z.ZodType<AgentEvent, AgentEventEncoded> {
    return AgentEventSchema;
  },
});

export const ErrorEventSchema = z.object({
  type: z.literal("error"),
  ...baseFields,
  code: z.string(),
  message: z.string(),
  agent_schema: z.string().optional(),
});

export const DoneEventSchema = z.object({
  type: z.literal("done"),
  ...baseFields,
  finish_reason: z.string().optional(),
});

export const AgentEventSchema = z.discriminatedUnion("type", [
  StartEventSchema,
  RoutingEventSchema,
  TextDeltaEventSchema,
  ToolCallEventSchema,
  ToolResultEventSchema,
  ProgressEventSchema,
  MetadataEventSchema,
  HandoffEventSchema,
  NestedAgentEventSchema,
  ErrorEventSchema,
  DoneEventSchema,
]);

export type StartEvent = z.infer<typeof StartEventSchema>;
export type RoutingEvent = z.infer<typeof RoutingEventSchema>;
export type TextDeltaEvent = z.infer<typeof TextDeltaEventSchema>;
export type ToolCallEvent = z.infer<typeof ToolCallEventSchema>;
export type ToolResultEvent = z.infer<typeof ToolResultEventSchema>;
export type ProgressEvent = z.infer<typeof ProgressEventSchema>;
export type MetadataEvent = z.infer<typeof MetadataEventSchema>;
export type HandoffEvent = z.infer<typeof HandoffEventSchema>;
export interface NestedAgentEvent extends z.infer<typeof NestedAgentEventEnvelopeSchema> {
  event: AgentEvent;
}
export type ErrorEvent = z.infer<typeof ErrorEventSchema>;
export type DoneEvent = z.infer<typeof DoneEventSchema>;

export type AgentEvent =
  | StartEvent
  | RoutingEvent
  | TextDeltaEvent
  | ToolCallEvent
  | ToolResultEvent
  | ProgressEvent
  | MetadataEvent
  | HandoffEvent
  | NestedAgentEvent
  | ErrorEvent
  | DoneEvent;

interface NestedAgentEventEncoded extends z.input<typeof NestedAgentEventEnvelopeSchema> {
  event: AgentEventEncoded;
}

/** The wire shape before defaults are applied (`is_error`, `child_agents` may be absent). */
export type AgentEventEncoded =
  | z.input<typeof StartEventSchema>
  | z.input<typeof RoutingEventSchema>
  | z.input<typeof TextDeltaEventSchema>
  | z.input<typeof ToolCallEventSchema>
  | z.input<typeof ToolResultEventSchema>
  | z.input<typeof ProgressEventSchema>
  | z.input<typeof MetadataEventSchema>
  | z.input<typeof HandoffEventSchema>
  | NestedAgentEventEncoded
  | z.input<typeof ErrorEventSchema>
  | z.input<typeof DoneEventSchema>;

export type AgentEventType = AgentEvent["type"];

export type AgentEventOf<T extends AgentEventType> = Extract<AgentEvent, { type: T }>;

export const AGENT_EVENT_TYPES = AgentEventSchema.options.map((option) => option.shape.type.value);

/** Fails to compile when a `switch` over event types misses a case; throws if one slips through at runtime. */
export function assertNeverEvent(event: never): never {
  throw new Error(`Unhandled agent event type: ${JSON.stringify(event)}`);
}
