import type { LanguageModel } from "ai";
import type { AgentConfig, AgentType } from "../config/agent-config.ts";
import type { RouterConfig } from "../config/router-config.ts";
import type { RoutingStage } from "../events/event-schema.ts";

export type { RoutingStage };

export type InstanceStatus = "active" | "inactive" | "archived";

/** One instance of the account as the router sees it: its effective (merged) config and its load. */
export interface RoutableInstance {
  id: string;
  slug: string;
  type: AgentType;
  status: InstanceStatus;
  version: number;
  config: AgentConfig;
  /** Runs of this instance in progress right now; breaks ties between equally capable instances. */
  inFlight?: number;
}

export interface RouteInput {
  accountId: string;
  instances: readonly RoutableInstance[];
  routerConfig: RouterConfig;
  message: string;
  /** The slug of the instance that answered the conversation's last turn, if any. */
  currentInstance?: string | null;
  signal?: AbortSignal;
}

export interface RoutingAlternative {
  agent_type: AgentType;
  instance: string;
  confidence: number;
}

export interface RoutingHandoff {
  from: string;
  to: string;
}

/** Field names follow the `routing` event (snake_case where the event has them). */
export interface RoutingDecision {
  agent_type: AgentType;
  /** The slug of the instance that answers. */
  instance: string;
  /**
   * How sure the router is that this instance fits the message, in [0, 1]: the calibrated fast
   * stage or the model's own figure. For "fallback", the (too low) confidence of the best match;
   * for "sticky", how well the current instance fits the message on its own, often low for a
   * follow-up that only makes sense in its conversation.
   */
  confidence: number;
  /** fast | model | cache (a cached decision, whatever made it) | sticky | fallback. */
  stage: RoutingStage;
  /** The next best instances (at most four), best first, with their fast-stage confidence. */
  alternatives: RoutingAlternative[];
  /** Decision time in milliseconds, from `now` (performance.now by default). */
  ms: number;
  /** A sentence a person can read: the evidence, the thresholds involved, the instance choice. */
  reason: string;
  /** True when the message went to `fallback_type` because nothing else was confident enough. */
  fallback: boolean;
  /** Set when the answering instance changes within a conversation. */
  handoff: RoutingHandoff | null;
}

/** What the router needs from the model registry (a subset of `ModelRegistry`). */
export interface RouterModels {
  languageModel(id: string): LanguageModel;
  isOffline(id: string): boolean;
}

/** One instance's standing after the fast stage: its raw score and calibrated confidence. */
export interface ScoredCandidate {
  instance: RoutableInstance;
  score: number;
  confidence: number;
}
