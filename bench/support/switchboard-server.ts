/**
 * Child-process entry: the real Switchboard server on the embedded defaults, in memory, silent,
 * announcing its URL and the keys a benchmark needs to call it.
 */
import { createApp } from "../../src/app.ts";
import { loadSettings } from "../../src/config/settings.ts";
import { announceServer } from "./server-announce.ts";

const settings = loadSettings({ SWITCHBOARD_DATA_DIR: ":memory:", PORT: "0", LOG_LEVEL: "silent" });
const app = await createApp(settings, { logger: false });
const url = await app.listen();
announceServer({
  url,
  demoKey: app.bootstrap.seededAccount?.apiKey ?? null,
  adminKey: app.bootstrap.adminKey,
});
