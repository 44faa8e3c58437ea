import { type ServerProcess, startServerProcess } from "./server-process.ts";
import {
  type SwitchboardAnnouncement,
  SwitchboardAnnouncementSchema,
  switchboardEnv,
} from "./switchboard-announcement.ts";

export type SwitchboardProcess = ServerProcess<SwitchboardAnnouncement> & { demoKey: string };

/**
 * The real server in a child process, on in-memory PGlite unless `variables` name a
 * `DATABASE_URL`. Its demo key is announced only when the database was empty, so a PostgreSQL
 * subject needs a fresh scratch database.
 */
export async function startSwitchboardProcess(
  variables: Record<string, string>,
  options: { nodeOptions?: string[] } = {},
): Promise<SwitchboardProcess> {
  const server = await startServerProcess(new URL("./switchboard-server.ts", import.meta.url), {
    parse: (json) => SwitchboardAnnouncementSchema.parse(json),
    env: switchboardEnv(variables),
    ...(options.nodeOptions ? { nodeOptions: options.nodeOptions } : {}),
  });
  const demoKey = server.announcement.demoKey;
  if (demoKey === null) {
    await server.stop();
    throw new Error("the Switchboard server seeded no demo account (was its database empty?)");
  }
  return Object.assign(server, { demoKey });
}

/** Headers of an authenticated JSON request. */
export function jsonHeaders(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}`, "content-type": "application/json" };
}

/** One request, refusing anything but the expected status with the body in the error. */
export async function expectOk(response: Response, what: string): Promise<Response> {
  if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return response;
}
