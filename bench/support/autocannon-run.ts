import type { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

/** The slice of autocannon's programmatic API this wrapper uses (the package ships no types). */
interface AutocannonOptions {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  connections: number;
  pipelining: number;
  amount?: number;
  duration?: number;
  timeout: number;
  sampleInt: number;
}

interface AutocannonResult {
  requests: { total: number };
  errors: number;
  timeouts: number;
  mismatches: number;
  resets: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}

type Autocannon = (
  options: AutocannonOptions,
  callback: (error: Error | null, result: AutocannonResult) => void,
) => EventEmitter;

const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

/** How much load to send: a fixed number of requests, or for a fixed time. */
export type LoadSize = { amount: number } | { durationSeconds: number };

export type LoadOptions = LoadSize & {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  connections?: number;
  /** Sent first with the same request and discarded, so JIT and caches are warm when timing starts. */
  warmup?: LoadSize;
  /** Called between the warm-up and the measured run, e.g. to snapshot the server's CPU time. */
  afterWarmup?: () => Promise<void>;
};

export interface LoadResult {
  /** Responses received (any status). */
  requests: number;
  elapsedSeconds: number;
  /** Mean over the run: responses / time from the first request to the last response. */
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; mean: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCounts: Record<string, number>;
  /** Share of one core this process spent generating load; near 1 means the generator was the bottleneck. */
  generatorCpuShare: number;
  /** Why these figures cannot be trusted; empty when every request got a 2xx answer. */
  failures: string[];
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

function describeFailures(result: AutocannonResult, statusCounts: Record<string, number>): string[] {
  const failures: string[] = [];
  if (result.errors > 0) {
    failures.push(`${result.errors} transport errors (${result.timeouts} of them timeouts)`);
  }
  if (result.non2xx > 0) {
    const byStatus = Object.entries(statusCounts)
      .filter(([status]) => !status.startsWith("2"))
      .map(([status, count]) => `${count}× ${status}`)
      .join(", ");
    failures.push(`${result.non2xx} non-2xx responses (${byStatus})`);
  }
  if (result.mismatches > 0) failures.push(`${result.mismatches} body mismatches`);
  return failures;
}

async function runOnce(options: LoadOptions, size: LoadSize): Promise<LoadResult> {
  const connections = options.connections ?? 10;
  const latencies: number[] = [];
  let firstRequestAt = Number.NaN;
  let lastResponseAt = Number.NaN;
  const cpuBefore = process.cpuUsage();

  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    firstRequestAt = performance.now();
    const tracker = autocannon(
      {
        url: options.url,
        method: options.method ?? "GET",
        headers: options.headers ?? {},
        ...(options.body === undefined ? {} : { body: options.body }),
        connections,
        pipelining: 1,
        timeout: 10,
        // A fixed-amount run ends only on autocannon's next sampling tick; its per-tick histogram
        // is unused here, so a short tick just stops the run sooner.
        sampleInt: 100,
        ...("amount" in size ? { amount: size.amount } : { duration: size.durationSeconds }),
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    // autocannon's own duration runs to its next sampling tick; timing the responses ourselves
    // makes requests/s exact for short fixed-amount runs.
    tracker.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      lastResponseAt = performance.now();
      latencies.push(responseTime);
    });
  });

  const cpu = process.cpuUsage(cpuBefore);
  const elapsedSeconds = Number.isNaN(lastResponseAt) ? 0 : (lastResponseAt - firstRequestAt) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  const total = sorted.reduce((sum, latency) => sum + latency, 0);
  const statusCounts = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([status, stats]) => [status, stats.count]),
  );
  const failures = describeFailures(result, statusCounts);
  if (latencies.length === 0) failures.push("no response at all");
  if (latencies.length !== result.requests.total) {
    failures.push(`counted ${latencies.length} responses but autocannon counted ${result.requests.total}`);
  }

  return {
    requests: latencies.length,
    elapsedSeconds,
    requestsPerSecond: elapsedSeconds > 0 ? latencies.length / elapsedSeconds : 0,
    latencyMs: {
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      mean: sorted.length > 0 ? total / sorted.length : Number.NaN,
      max: sorted.length > 0 ? (sorted[sorted.length - 1] ?? Number.NaN) : Number.NaN,
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCounts,
    generatorCpuShare: elapsedSeconds > 0 ? (cpu.user + cpu.system) / 1e6 / elapsedSeconds : 0,
    failures,
  };
}

/**
 * Drives HTTP load with autocannon in this process. Errors and non-2xx answers are counted and
 * listed in `failures` (warm-up ones too), never folded into the averages unremarked.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const warmupFailures: string[] = [];
  if (options.warmup) {
    const warmup = await runOnce(options, options.warmup);
    warmupFailures.push(...warmup.failures.map((failure) => `warm-up: ${failure}`));
  }
  await options.afterWarmup?.();
  const size: LoadSize =
    "amount" in options ? { amount: options.amount } : { durationSeconds: options.durationSeconds };
  const measured = await runOnce(options, size);
  return { ...measured, failures: [...warmupFailures, ...measured.failures] };
}
