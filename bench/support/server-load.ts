import { type LoadOptions, type LoadResult, runLoad } from "./autocannon-run.ts";
import type { ServerProcess } from "./server-process.ts";

export interface ServerLoadResult extends LoadResult {
  /** Server CPU time (user + system) spent per response, in microseconds. */
  serverCpuMicrosecondsPerRequest: number;
  /** Share of one core the server used; well below 1 means something else held it back. */
  serverCpuShare: number;
}

/**
 * Load plus the server's own CPU time over the measured window. Requests per second move with
 * whatever else the machine is doing; CPU per request is what the server itself costs.
 */
export async function measureServerLoad(
  server: ServerProcess<{ url: string }>,
  options: LoadOptions,
): Promise<ServerLoadResult> {
  let before: NodeJS.CpuUsage | undefined;
  const result = await runLoad({
    ...options,
    afterWarmup: async () => {
      await options.afterWarmup?.();
      before = await server.cpuUsage();
    },
  });
  const after = await server.cpuUsage();
  const start = before ?? { user: 0, system: 0 };
  const cpuMicroseconds = after.user - start.user + (after.system - start.system);
  return {
    ...result,
    serverCpuMicrosecondsPerRequest: result.requests > 0 ? cpuMicroseconds / result.requests : Number.NaN,
    serverCpuShare: result.elapsedSeconds > 0 ? cpuMicroseconds / 1e6 / result.elapsedSeconds : 0,
  };
}
