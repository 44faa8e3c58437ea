import type { AgentEvent } from "./event-schema.ts";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event as its producer builds it; the run's sequencer stamps `run_id` and `seq`. */
export type AgentEventInput = DistributiveOmit<AgentEvent, "run_id" | "seq">;

export type EventSequencer = (event: AgentEventInput) => AgentEvent;

/**
 * One sequencer per run: `seq` starts at 1 and increases by one per event, so a client resuming
 * with `Last-Event-ID: n` knows exactly which events it missed.
 */
export function createEventSequencer(runId: string): EventSequencer {
  let seq = 0;
  return (event) => {
    seq += 1;
    return { ...event, run_id: runId, seq };
  };
}
