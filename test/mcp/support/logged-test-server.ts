import { Writable } from "node:stream";
import { createApp } from "../../../src/app.ts";
import { loadSettings, type Settings } from "../../../src/config/settings.ts";
import type { TestResponse } from "../../support/test-server.ts";

/**
 * The real server on the embedded defaults, logging at trace level into memory, with every
 * response body kept: a test can then prove what never appears in either.
 */
export interface LoggedTestServer {
  baseUrl: string;
  demoKey: string;
  adminKey: string;
  logLines: string[];
  responses: string[];
  request(method: string, path: string, options?: { key?: string; body?: unknown }): Promise<TestResponse>;
  close(): Promise<void>;
}

export async function startLoggedTestServer(env: Record<string, string>, overrides: Partial<Settings> = {}) {
  const logLines: string[] = [];
  const responses: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString("utf8"));
      callback();
    },
  });
  const settings: Settings = {
    ...loadSettings({ SWITCHBOARD_DATA_DIR: ":memory:", PORT: "0", LOG_LEVEL: "trace", ...env }),
    ...overrides,
  };
  const app = await createApp(settings, { logDestination: destination });
  const baseUrl = await app.listen();
  const demoKey = app.bootstrap.seededAccount?.apiKey ?? "";

  async function request(method: string, path: string, options: { key?: string; body?: unknown } = {}) {
    const headers: Record<string, string> = { authorization: `Bearer ${options.key ?? demoKey}` };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    responses.push(text);
    const body =
      response.headers.get("content-type")?.includes("application/json") && text ? JSON.parse(text) : null;
    return { status: response.status, headers: response.headers, body, text };
  }

  const server: LoggedTestServer = {
    baseUrl,
    demoKey,
    adminKey: app.bootstrap.adminKey,
    logLines,
    responses,
    request,
    close: () => app.close(),
  };
  return server;
}
