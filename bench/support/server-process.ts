import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { type CpuUsageRequest, isCpuUsageReply } from "./server-announce.ts";

export interface ServerProcess<Announcement extends { url: string }> {
  url: string;
  /** The JSON line the child printed, as parsed by the caller's `parse`. */
  announcement: Announcement;
  pid: number;
  /** The child's own CPU time so far, asked over IPC (the child must use `announceServer`). */
  cpuUsage(): Promise<NodeJS.CpuUsage>;
  /** Stops the child; throws with its stderr if it had died on its own before. */
  stop(): Promise<void>;
}

export interface StartServerOptions<Announcement extends { url: string }> {
  /** Validates the announced JSON line; throw to reject it. */
  parse: (json: unknown) => Announcement;
  env?: Record<string, string>;
  /** Node flags for the child, e.g. `--expose-gc`; `BENCH_CPU_PROF_DIR` adds `--cpu-prof` to every child. */
  nodeOptions?: string[];
  startTimeoutMs?: number;
}

/**
 * `BENCH_CPU_PROF_DIR=dir npm run bench -- name` writes a V8 CPU profile of every child server to
 * `dir`, to find out what a missed target is spending its time on.
 */
function profilingOptions(): string[] {
  const directory = process.env.BENCH_CPU_PROF_DIR;
  return directory ? ["--cpu-prof", `--cpu-prof-dir=${directory}`] : [];
}

const STDERR_KEPT_CHARACTERS = 64 * 1024;

/**
 * Runs a server entry module in its own Node process, so on a small machine it gets a core of its
 * own instead of sharing the event loop with the load generator.
 */
export async function startServerProcess<Announcement extends { url: string }>(
  entry: URL,
  options: StartServerOptions<Announcement>,
): Promise<ServerProcess<Announcement>> {
  const entryPath = fileURLToPath(entry);
  const child = spawn(process.execPath, [...profilingOptions(), ...(options.nodeOptions ?? []), entryPath], {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: { ...process.env, ...options.env },
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT_CHARACTERS);
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const failure = (reason: string) =>
    new Error(`${reason} (${entryPath})${stderr.trim() ? `\n--- its stderr ---\n${stderr.trimEnd()}` : ""}`);

  let announcement: Announcement;
  try {
    announcement = await readAnnouncement(child, options, failure);
  } catch (error) {
    child.kill("SIGKILL");
    process.removeListener("exit", killOnExit);
    throw error;
  }

  let stopping = false;
  return {
    url: announcement.url,
    announcement,
    pid: child.pid ?? -1,
    cpuUsage: () => askCpuUsage(child, failure),
    async stop() {
      if (stopping) return;
      stopping = true;
      process.removeListener("exit", killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) {
        throw failure(
          `server process died during the benchmark (exit ${child.exitCode ?? child.signalCode})`,
        );
      }
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function readAnnouncement<Announcement extends { url: string }>(
  child: ChildProcess,
  options: StartServerOptions<Announcement>,
  failure: (reason: string) => Error,
): Promise<Announcement> {
  return new Promise<Announcement>((resolve, reject) => {
    let buffered = "";
    const timeoutMs = options.startTimeoutMs ?? 60_000;
    const timer = setTimeout(
      () => settle(() => reject(failure(`server did not announce its URL within ${timeoutMs} ms`))),
      timeoutMs,
    );
    const onData = (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf("\n");
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf("\n");
        if (!line.startsWith("{")) continue;
        try {
          const parsed = options.parse(JSON.parse(line));
          settle(() => resolve(parsed));
        } catch (error) {
          settle(() => reject(failure(`server announced an unusable line: ${line} (${String(error)})`)));
        }
        return;
      }
    };
    const onExit = (code: number | null, signal: string | null) =>
      settle(() => reject(failure(`server process exited before announcing its URL (${code ?? signal})`)));
    const onError = (error: Error) => settle(() => reject(failure(`could not start: ${error.message}`)));
    const settle = (finish: () => void) => {
      clearTimeout(timer);
      child.stdout?.removeListener("data", onData);
      child.removeListener("exit", onExit);
      child.removeListener("error", onError);
      // Keep draining stdout so a chatty child never blocks on a full pipe.
      child.stdout?.resume();
      finish();
    };
    child.stdout?.setEncoding("utf8").on("data", onData);
    child.once("exit", onExit);
    child.once("error", onError);
  });
}

function askCpuUsage(child: ChildProcess, failure: (reason: string) => Error): Promise<NodeJS.CpuUsage> {
  return new Promise<NodeJS.CpuUsage>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (!isCpuUsageReply(message)) return;
      child.removeListener("exit", onExit);
      child.removeListener("message", onMessage);
      resolve(message.usage);
    };
    const onExit = () => {
      child.removeListener("message", onMessage);
      reject(failure("server process exited while asked for its CPU usage"));
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
    const request: CpuUsageRequest = { type: "cpu-usage" };
    child.send(request);
  });
}

/**
 * Stops every server, then rethrows: the body's own error first, with any server deaths alongside
 * (a server that died mid-run usually explains the body's error, and its stderr says why).
 */
export async function withServerProcesses<Result>(
  body: (track: <Server extends ServerProcess<{ url: string }>>(server: Server) => Server) => Promise<Result>,
): Promise<Result> {
  const servers: ServerProcess<{ url: string }>[] = [];
  const track = <Server extends ServerProcess<{ url: string }>>(server: Server): Server => {
    servers.push(server);
    return server;
  };
  const stopAll = async () => {
    const stopped = await Promise.allSettled(servers.map((server) => server.stop()));
    return stopped.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason as unknown] : []));
  };
  let result: Result;
  try {
    result = await body(track);
  } catch (error) {
    const stopErrors = await stopAll();
    if (stopErrors.length === 0) throw error;
    throw new AggregateError([error, ...stopErrors], error instanceof Error ? error.message : String(error));
  }
  const stopErrors = await stopAll();
  if (stopErrors.length === 1) throw stopErrors[0];
  if (stopErrors.length > 1) throw new AggregateError(stopErrors, "several server processes died");
  return result;
}
