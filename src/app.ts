import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import { type AccountService, createAccountService } from "./accounts/account-service.ts";
import { type BootstrapReport, bootstrapPlatform } from "./accounts/bootstrap.ts";
import { createInstanceService, type InstanceService } from "./agents/instance-service.ts";
import type { Settings } from "./config/settings.ts";
import { loadTemplates, type TemplateSet } from "./config/templates.ts";
import { createDatabase, type DatabaseHandle } from "./db/client.ts";
import { buildHttpServer } from "./http/server.ts";

export interface App {
  settings: Settings;
  server: FastifyInstance;
  database: DatabaseHandle;
  templates: TemplateSet;
  accounts: AccountService;
  instances: InstanceService;
  bootstrap: BootstrapReport;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** The composition root: every service is built once here and handed its dependencies. */
export async function createApp(settings: Settings, options: { logger?: boolean } = {}): Promise<App> {
  const templates = loadTemplates();
  const database = await createDatabase(settings.database);
  let redis: Redis | null = null;
  try {
    await database.migrate();
    const accounts = createAccountService({ db: database.db });
    const instances = createInstanceService({ db: database.db, templates });
    const bootstrap = await bootstrapPlatform({ settings, accounts, instances });
    redis = settings.redisUrl
      ? new Redis(settings.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 })
      : null;
    const server = await buildHttpServer({
      settings,
      database,
      accounts,
      instances,
      adminKey: bootstrap.adminKey,
      redis,
      logger: options.logger ?? true,
    });
    const redisClient = redis;
    return {
      settings,
      server,
      database,
      templates,
      accounts,
      instances,
      bootstrap,
      listen: () => server.listen({ port: settings.port, host: settings.host }),
      async close() {
        await server.close();
        if (redisClient) await redisClient.quit();
        await database.close();
      },
    };
  } catch (error) {
    if (redis) redis.disconnect();
    await database.close();
    throw error;
  }
}
