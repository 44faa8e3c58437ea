import type { AgentType } from "../config/agent-config.ts";
import type { RoundRobin } from "./instance-selection.ts";
import type { IndexedInstance, RoutingIndex } from "./routing-index.ts";
import type { RouteInput, RouterModels } from "./routing-types.ts";

export interface DecideContext {
  index: RoutingIndex;
  input: RouteInput;
  models: RouterModels | undefined;
  roundRobin: RoundRobin;
  now: () => number;
  onError: ((error: unknown, context: string) => void) | undefined;
}

/** The best answer for the message on its own, before continuity and fallback are applied. */
export interface Proposal {
  type: AgentType;
  confidence: number;
  stage: "fast" | "model";
  reason: string;
  /** An instance the model named explicitly (checked to be active and of `type`). */
  instance?: IndexedInstance;
}
