import { type App, createApp } from "../app.ts";
import { loadSettings } from "../config/settings.ts";

/** Runs an operator command against the configured database, then closes it. */
export async function withApp<T>(work: (app: App) => Promise<T>): Promise<T> {
  const app = await createApp(loadSettings(), { logger: false });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}
