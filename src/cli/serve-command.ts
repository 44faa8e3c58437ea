import { createApp } from "../app.ts";
import { loadSettings } from "../config/settings.ts";

export async function serve(): Promise<void> {
  const settings = loadSettings();
  const app = await createApp(settings);
  const { bootstrap } = app;
  if (bootstrap.adminKeyGenerated) {
    console.log(`Generated admin key: ${bootstrap.adminKey}`);
  }
  if (bootstrap.seededAccount) {
    console.log(
      `Seeded account "${bootstrap.seededAccount.slug}" with one agent of each type.\n` +
        `  API key: ${bootstrap.seededAccount.apiKey}`,
    );
  }
  if ((bootstrap.adminKeyGenerated || bootstrap.seededAccount) && bootstrap.credentialsPath) {
    console.log(`  Saved to ${bootstrap.credentialsPath} (mode 0600)`);
  }
  const address = await app.listen();
  console.log(
    `Switchboard listening on ${address} (database: ${app.database.driver}; docs: ${address}/docs)`,
  );

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.server.log.info({ signal }, "shutting down");
    await app.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}
