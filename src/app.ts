import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import { type DestinationStream, type LoggerOptions, pino } from "pino";
import { type AccountService, createAccountService } from "./accounts/account-service.ts";
import { type BootstrapReport, bootstrapPlatform } from "./accounts/bootstrap.ts";
import { createAgentFactory } from "./agents/agent-factory.ts";
import { type ChatService, createChatService } from "./agents/chat-service.ts";
import { createChildRunner } from "./agents/child-runner.ts";
import { createInstanceService, type InstanceService } from "./agents/instance-service.ts";
import type { RunDependencies } from "./agents/run-agent.ts";
import { createToolLoopProducer } from "./agents/run-producer.ts";
import { createAskAgentTool } from "./agents/tools/ask-agent-tool.ts";
import { createSearchKnowledgeTool } from "./agents/tools/search-knowledge-tool.ts";
import { createToolRegistry } from "./agents/tools/tool-registry.ts";
import { createDeepResearchProducer } from "./agents/types/deep-research/research-producer.ts";
import { createDigitalExpertProducer } from "./agents/types/digital-expert/expert-producer.ts";
import type { CacheBackend } from "./cache/cache.ts";
import { createCacheBackend } from "./cache/create-cache-backend.ts";
import type { Settings } from "./config/settings.ts";
import { loadTemplates, type TemplateSet } from "./config/templates.ts";
import { createConversationStore } from "./conversations/conversation-store.ts";
import { createDatabase, type DatabaseHandle } from "./db/client.ts";
import { buildHttpServer } from "./http/server.ts";
import { createAgentDirectory } from "./http/views/agent-directory.ts";
import { createKnowledgeService, type KnowledgeService } from "./knowledge/knowledge-service.ts";
import { seedSampleKnowledge } from "./knowledge/sample-knowledge.ts";
import { createExternalToolsFromSettings } from "./mcp/client/create-external-tools.ts";
import { checkMcpServerUrls } from "./mcp/mcp-config-check.ts";
import { createAccountMcpServerFactory } from "./mcp/server/account-mcp-server.ts";
import { createModelRegistry, type ModelRegistry } from "./models/model-registry.ts";
import { createMetrics } from "./observability/metrics.ts";
import { createIntentRouter, extractiveSummary, invalidateRoutingCache } from "./routing/index.ts";
import { createUnifiedChat } from "./routing/unified-chat.ts";
import { createSalesModule } from "./sales/sales-module.ts";
import { createSecretStore } from "./secrets/secret-store.ts";

export interface App {
  settings: Settings;
  server: FastifyInstance;
  database: DatabaseHandle;
  templates: TemplateSet;
  accounts: AccountService;
  instances: InstanceService;
  models: ModelRegistry;
  chat: ChatService;
  knowledge: KnowledgeService;
  cache: CacheBackend;
  bootstrap: BootstrapReport;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** The composition root: every service is built once here and handed its dependencies. */
export async function createApp(
  settings: Settings,
  options: { logger?: boolean; logDestination?: DestinationStream } = {},
): Promise<App> {
  const loggerOptions: LoggerOptions = {
    level: options.logger === false ? "silent" : settings.logLevel,
    // Keys and cookies never reach the logs, whatever is logged around them.
    redact: [
      "req.headers.authorization",
      "req.headers.cookie",
      "*.api_key",
      "*.apiKey",
      // Stored secrets and the MCP tokens made of them, wherever an object carrying one is logged.
      "*.token",
      "*.authorization",
      "*.headers.authorization",
    ],
  };
  // Tests read the log lines themselves (to prove no secret is ever logged).
  const logger = options.logDestination ? pino(loggerOptions, options.logDestination) : pino(loggerOptions);
  const templates = loadTemplates();
  const metrics = createMetrics();
  const database = await createDatabase(settings.database);
  let redis: Redis | null = null;
  let cacheBackend: CacheBackend | null = null;
  try {
    await database.migrate();
    cacheBackend = createCacheBackend(settings);
    const accounts = createAccountService({ db: database.db });
    const instances = createInstanceService({
      db: database.db,
      templates,
      pubsub: cacheBackend.pubsub,
      checkConfig: (config) => checkMcpServerUrls(config, settings.mcp.allowedHosts),
    });
    const secrets = createSecretStore({
      db: database.db,
      key: settings.secretsKey,
      pubsub: cacheBackend.pubsub,
    });
    const externalTools = createExternalToolsFromSettings({ settings: settings.mcp, secrets, logger });
    const models = createModelRegistry(settings.models);
    const tools = createToolRegistry();
    const knowledge = createKnowledgeService({
      database,
      accounts,
      instances,
      models,
      settings: settings.knowledge,
    });
    tools.register("search_knowledge", (config) => createSearchKnowledgeTool(config, knowledge.searchAs));
    const sales = createSalesModule({ database, instances, knowledge, logger });
    sales.registerTools(tools);
    // After the services the seed needs: the demo account gets the sample catalog too.
    const bootstrap = await bootstrapPlatform({ settings, accounts, instances, seedCatalog: sales.seedDemo });
    if (bootstrap.seededAccount && settings.seedSampleKnowledge) {
      const demo = await accounts.getBySlug(bootstrap.seededAccount.slug);
      // A database without pgvector still serves everything else: the demo just starts empty.
      await seedSampleKnowledge(knowledge, demo).catch((error: unknown) =>
        logger.warn({ err: error }, "sample knowledge not seeded"),
      );
    }
    const factory = createAgentFactory({
      models,
      tools,
      cacheSize: settings.agentCacheSize,
      maxRetries: settings.modelMaxRetries,
      onStreamError: (error) => logger.debug({ err: error }, "model stream error"),
      externalTools,
    });
    const conversations = createConversationStore({ database });
    const producers: RunDependencies["producers"] = {};
    const childRunner = createChildRunner({
      accounts,
      instances,
      conversations,
      factory,
      models,
      logger,
      producers,
      metrics,
    });
    tools.register("ask_agent", (config) => createAskAgentTool(childRunner, config));
    // deep-research asks through the child runner, which itself runs producers: filled in after.
    producers["deep-research"] = createDeepResearchProducer({ ask: childRunner.ask, models });
    producers.sales = sales.producer(createToolLoopProducer(factory));
    producers["digital-expert"] = createDigitalExpertProducer({
      search: knowledge.searchAs,
      toolLoop: createToolLoopProducer(factory),
    });
    redis = settings.redisUrl
      ? new Redis(settings.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 })
      : null;
    const chat = createChatService({
      instances,
      conversations,
      factory,
      models,
      historyTurns: settings.historyTurns,
      multiAgent: settings.multiAgent,
      logger,
      producers,
      metrics,
      summarize: (messages, previous, maxCharacters) =>
        extractiveSummary(
          [...(previous ? [{ role: "assistant" as const, content: previous }] : []), ...messages],
          {
            maxCharacters,
          },
        ),
    });
    const router = createIntentRouter({
      cache: cacheBackend.cache,
      models,
      onError: (error, context) => logger.warn({ err: error, context }, "router degraded"),
    });
    const routingCache = cacheBackend.cache;
    // Every replica hears every instance change, so every replica's routing decisions refresh.
    instances.onChange((change) => {
      invalidateRoutingCache(routingCache, change.accountId).catch((error: unknown) =>
        logger.warn({ err: error }, "routing cache invalidation failed"),
      );
    });
    const unified = createUnifiedChat({ router, chat, instances, conversations, models, templates, logger });
    const createMcpServer = createAccountMcpServerFactory({
      accounts,
      instances,
      conversations,
      childRunner,
      tools,
      db: database.db,
      multiAgent: settings.multiAgent,
      listAgents: createAgentDirectory({ instances, knowledge, mcpHealth: externalTools.health }),
      logger,
    });
    const server = await buildHttpServer({
      settings,
      templates,
      database,
      accounts,
      instances,
      chat,
      unified,
      metrics,
      knowledge,
      secrets,
      sales,
      createMcpServer,
      externalTools,
      adminKey: bootstrap.adminKey,
      redis,
      logger,
    });
    const redisClient = redis;
    const cacheClient = cacheBackend;
    return {
      settings,
      server,
      database,
      templates,
      accounts,
      instances,
      models,
      chat,
      knowledge,
      bootstrap,
      listen: () => server.listen({ port: settings.port, host: settings.host }),
      cache: cacheClient,
      async close() {
        await server.close();
        await externalTools.close();
        await secrets.close();
        await instances.close();
        await cacheClient.close();
        if (redisClient) await redisClient.quit();
        await database.close();
      },
    };
  } catch (error) {
    if (redis) redis.disconnect();
    await cacheBackend?.close();
    await database.close();
    throw error;
  }
}
