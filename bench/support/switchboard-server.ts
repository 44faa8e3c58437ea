/**
 * Child-process entry: the real Switchboard server, in memory and silent by default, announcing
 * its URL and the keys a benchmark needs to call it. `BENCH_SWITCHBOARD_ENV` (a JSON object of
 * Switchboard variables) changes its settings, e.g. `DATABASE_URL` or `SWITCHBOARD_RATE_LIMIT`;
 * the bench process's own environment is deliberately not read, so a `DATABASE_URL` exported in
 * the shell never turns an embedded-defaults benchmark into a PostgreSQL one.
 */
import { z } from "zod";
import { createApp } from "../../src/app.ts";
import { loadSettings } from "../../src/config/settings.ts";
import { announceServer } from "./server-announce.ts";
import { SWITCHBOARD_ENV_VARIABLE, type SwitchboardAnnouncement } from "./switchboard-announcement.ts";

const overrides = z
  .record(z.string(), z.string())
  .parse(JSON.parse(process.env[SWITCHBOARD_ENV_VARIABLE] ?? "{}"));
const settings = loadSettings({
  SWITCHBOARD_DATA_DIR: ":memory:",
  PORT: "0",
  LOG_LEVEL: "silent",
  ...overrides,
});
const app = await createApp(settings, { logger: false });
const url = await app.listen();
const announcement: SwitchboardAnnouncement = {
  url,
  demoKey: app.bootstrap.seededAccount?.apiKey ?? null,
  adminKey: app.bootstrap.adminKey,
};
announceServer(announcement);
