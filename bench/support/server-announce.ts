/**
 * The child side of `server-process.ts`: a server entry calls `announceServer` once it listens.
 * The parent reads the JSON line from stdout and may ask for the child's CPU time over IPC, which
 * is how a benchmark tells the server's cost apart from the load generator's on a shared machine.
 */

export interface CpuUsageRequest {
  type: "cpu-usage";
}

export interface CpuUsageReply {
  type: "cpu-usage";
  usage: NodeJS.CpuUsage;
}

export function isCpuUsageRequest(message: unknown): message is CpuUsageRequest {
  return typeof message === "object" && message !== null && "type" in message && message.type === "cpu-usage";
}

export function isCpuUsageReply(message: unknown): message is CpuUsageReply {
  return isCpuUsageRequest(message) && "usage" in message && typeof message.usage === "object";
}

export function announceServer(details: { url: string } & Record<string, unknown>): void {
  process.on("message", (message: unknown) => {
    if (!isCpuUsageRequest(message)) return;
    const reply: CpuUsageReply = { type: "cpu-usage", usage: process.cpuUsage() };
    process.send?.(reply);
  });
  // An orphaned server would hold a core and skew the next run; leave with the parent.
  process.on("disconnect", () => process.exit(0));
  // Leaving through exit() rather than dying of the signal lets `--cpu-prof` write its profile.
  process.once("SIGTERM", () => process.exit(0));
  console.log(JSON.stringify(details));
}
