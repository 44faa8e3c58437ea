import { randomBytes } from "node:crypto";
import pg from "pg";
import { type App, createApp } from "../../src/app.ts";
import { loadSettings, type Settings } from "../../src/config/settings.ts";

export type Backend = "pglite" | "postgres";

/** PGlite always; server PostgreSQL too when DATABASE_URL is set (CI sets it). */
export const BACKENDS: Backend[] = process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

export interface TestServer {
  app: App;
  baseUrl: string;
  adminKey: string;
  demoKey: string;
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface RequestOptions {
  key?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  // Tests read arbitrary JSON; each assertion states the shape it expects.
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
  body: any;
  text: string;
}

/** A database of its own for one test file, so runs never see each other's data. */
async function createScratchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) throw new Error("DATABASE_URL is not set");
  const name = `switchboard_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * The settings every test server starts from: in-memory PGlite, any free port, no logs, and a
 * demo account whose knowledge bases start empty (tests that want the samples ask for them).
 */
export function baseTestSettings(): Settings {
  return loadSettings({
    SWITCHBOARD_DATA_DIR: ":memory:",
    PORT: "0",
    LOG_LEVEL: "silent",
    SWITCHBOARD_SEED_SAMPLE_KNOWLEDGE: "false",
  });
}

export async function startTestServer(
  backend: Backend = "pglite",
  overrides: Partial<Settings> = {},
): Promise<TestServer> {
  // A replica joining an existing database passes `database` and gets no scratch database.
  const scratch = backend === "postgres" && !overrides.database ? await createScratchDatabase() : null;
  const base = baseTestSettings();
  const settings: Settings = {
    ...base,
    database: scratch ? { driver: "postgres", url: scratch.url } : base.database,
    ...overrides,
  };
  const app = await createApp(settings, { logger: false });
  const baseUrl = await app.listen();
  const demoKey = app.bootstrap.seededAccount?.apiKey ?? "";

  async function request(method: string, path: string, options: RequestOptions = {}): Promise<TestResponse> {
    const key = options.key === undefined ? demoKey : options.key;
    const headers: Record<string, string> = { ...options.headers };
    if (key !== null) headers.authorization = `Bearer ${key}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = null;
    if (response.headers.get("content-type")?.includes("application/json") && text) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  return {
    app,
    baseUrl,
    adminKey: app.bootstrap.adminKey,
    demoKey,
    request,
    async close() {
      await app.close();
      await scratch?.drop();
    },
  };
}
