/**
 * The two bounds a multi-agent throughput figure sits between: what the AI SDK costs to produce
 * the events at all (bare `streamText` of the leaf's answer, nothing stored, nothing relayed), and
 * what relaying alone costs once an event exists (a child's event sequenced, wrapped and sequenced
 * again by the root, as child-runner does, with no model and no database).
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { streamText } from "ai";
import { type AgentEvent, type AgentEventInput, createEventSequencer } from "../../src/events/index.ts";
import { wrapChildEvent } from "../../src/multi-agent/event-relay.ts";
import { bareCallOptions } from "./agent-workload.ts";

/** Every part of one bare `streamText` answer, consumed whole as a relaying server would. */
export async function bareStreamParts(message: string): Promise<number> {
  let parts = 0;
  for await (const _part of streamText(bareCallOptions(message)).fullStream) parts += 1;
  return parts;
}

export interface RelayPathResult {
  eventsPerSecond: number;
  cpuMicrosecondsPerEvent: number;
}

/** Events per second through the relay path alone, from a depth-5 child to the root's sink. */
export function measureRelayPath(seconds: number): RelayPathResult {
  const rootSequence = createEventSequencer(randomUUID());
  const childSequence = createEventSequencer(randomUUID());
  const target = {
    parentMessageId: randomUUID(),
    childAgent: "simple-chat/chain-5",
    childMessageId: randomUUID(),
    depth: 5,
  };
  let delivered = 0;
  // Kept reachable so the optimiser cannot drop the objects the relay allocates.
  let last: AgentEvent | null = null;
  const sink = (event: AgentEvent) => {
    delivered += 1;
    last = event;
  };
  const relay = (event: AgentEventInput) => sink(rootSequence(event));
  const childEmit = (event: AgentEventInput) => relay(wrapChildEvent(childSequence(event), target));

  const burst = () => {
    for (let index = 0; index < 10_000; index++) childEmit({ type: "text_delta", delta: "word " });
  };
  for (let index = 0; index < 20; index++) burst();
  delivered = 0;
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const deadline = startedAt + seconds * 1_000;
  let now = startedAt;
  while (now < deadline) {
    burst();
    now = performance.now();
  }
  const cpu = process.cpuUsage(cpuBefore);
  if (last === null) throw new Error("the relay path delivered nothing");
  return {
    eventsPerSecond: delivered / ((now - startedAt) / 1_000),
    cpuMicrosecondsPerEvent: (cpu.user + cpu.system) / delivered,
  };
}
