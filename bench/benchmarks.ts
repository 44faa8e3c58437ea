import { httpDiscovery } from "./http-discovery.ts";
import type { Benchmark } from "./support/bench-result.ts";

/** Every benchmark, in the order `npm run bench` runs them. Add new ones at the end. */
export const benchmarks: readonly Benchmark[] = [httpDiscovery];
