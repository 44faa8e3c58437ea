/**
 * `npm run bench [-- name …]`: runs the registered benchmarks (all, or those named) one after the
 * other, prints a table per benchmark and a summary, and exits non-zero when one throws, reports
 * a spoiled measurement, or misses a target.
 */
import { availableParallelism, cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { benchmarks } from "./benchmarks.ts";
import type { Benchmark } from "./support/bench-result.ts";
import { type Outcome, outcomeFor, printResult, printSummary } from "./support/report.ts";

function selectBenchmarks(names: readonly string[]): readonly Benchmark[] {
  if (names.length === 0) return benchmarks;
  const unknown = names.filter((name) => !benchmarks.some((benchmark) => benchmark.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark: ${unknown.join(", ")}`);
    console.error(`Available: ${benchmarks.map((benchmark) => benchmark.name).join(", ")}`);
    process.exit(2);
  }
  return benchmarks.filter((benchmark) => names.includes(benchmark.name));
}

function printError(error: unknown): void {
  if (error instanceof AggregateError) {
    for (const inner of error.errors) printError(inner);
    return;
  }
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
}

async function main(): Promise<void> {
  const selected = selectBenchmarks(process.argv.slice(2));
  const model = cpus()[0]?.model.trim() ?? "unknown CPU";
  console.log(
    `switchboard benchmarks — ${new Date().toISOString()} — Node ${process.version}, ` +
      `${availableParallelism()} cores (${model}), ${process.platform}/${process.arch}`,
  );
  console.log("Ratios are subject / baseline, both measured in this run on this machine.");
  const [loadLastMinute = 0] = loadavg();
  if (loadLastMinute > availableParallelism() / 2) {
    // Benchmarks share the cores with whatever else runs; say so rather than print noise as fact.
    console.log(`WARNING: load average ${loadLastMinute.toFixed(2)} before starting; figures will be noisy.`);
  }

  const outcomes: Outcome[] = [];
  for (const benchmark of selected) {
    console.log(`\n== ${benchmark.name} ==\n${benchmark.description}\n`);
    const started = performance.now();
    try {
      const result = await benchmark.run();
      const outcome = outcomeFor(benchmark.name, (performance.now() - started) / 1000, result);
      printResult(benchmark.name, result);
      outcomes.push(outcome);
    } catch (error) {
      printError(error);
      outcomes.push({
        name: benchmark.name,
        status: "threw",
        seconds: (performance.now() - started) / 1000,
        error,
      });
    }
  }

  printSummary(outcomes);
  if (outcomes.some((outcome) => outcome.status !== "ok")) process.exitCode = 1;
}

await main();
