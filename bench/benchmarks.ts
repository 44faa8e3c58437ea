import { chatThroughput } from "./chat-throughput.ts";
import { dbRoundTrips } from "./db-round-trips.ts";
import { httpDiscovery } from "./http-discovery.ts";
import { knowledgeBench } from "./knowledge-bench.ts";
import { multiAgent } from "./multi-agent-bench.ts";
import { routingBench } from "./routing-bench.ts";
import { runMemory } from "./run-memory.ts";
import { streamCpu } from "./stream-cpu.ts";
import type { Benchmark } from "./support/bench-result.ts";

/** Every benchmark, in the order `npm run bench` runs them. Add new ones at the end. */
export const benchmarks: readonly Benchmark[] = [
  httpDiscovery,
  chatThroughput,
  streamCpu,
  dbRoundTrips,
  runMemory,
  multiAgent,
  routingBench,
  knowledgeBench,
];
