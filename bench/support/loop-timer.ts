import { performance } from "node:perf_hooks";

export interface LoopResult {
  runs: number;
  seconds: number;
  runsPerSecond: number;
  /** This process's CPU time (user + system) per run. */
  cpuMicrosecondsPerRun: number;
}

/**
 * Runs `work` back to back in this process, after a warm-up, for at least `seconds`: the
 * in-process baselines (a bare AI SDK loop) that have no server and no load generator.
 */
export async function timeLoop(
  work: () => Promise<unknown>,
  options: { warmupRuns: number; seconds: number },
): Promise<LoopResult> {
  for (let index = 0; index < options.warmupRuns; index++) await work();
  const deadline = performance.now() + options.seconds * 1_000;
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  let runs = 0;
  let now = startedAt;
  while (now < deadline) {
    await work();
    runs += 1;
    now = performance.now();
  }
  const cpu = process.cpuUsage(cpuBefore);
  const seconds = (now - startedAt) / 1_000;
  return {
    runs,
    seconds,
    runsPerSecond: runs / seconds,
    cpuMicrosecondsPerRun: (cpu.user + cpu.system) / runs,
  };
}
