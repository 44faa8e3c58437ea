import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import scalar from "@scalar/fastify-api-reference";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import type { Redis } from "ioredis";
import type { AccountService } from "../accounts/account-service.ts";
import { TIER_LIMITS } from "../accounts/tiers.ts";
import type { ChatService } from "../agents/chat-service.ts";
import type { InstanceService } from "../agents/instance-service.ts";
import type { Settings } from "../config/settings.ts";
import type { TemplateSet } from "../config/templates.ts";
import type { DatabaseHandle } from "../db/client.ts";
import { RateLimitedError } from "../errors/app-error.ts";
import type { KnowledgeService } from "../knowledge/knowledge-service.ts";
import type { ExternalTools } from "../mcp/client/external-tools.ts";
import type { AccountMcpServerFactory } from "../mcp/server/account-mcp-server.ts";
import type { Metrics } from "../observability/metrics.ts";
import type { UnifiedChat } from "../routing/unified-chat.ts";
import type { Sales } from "../sales/sales-module.ts";
import type { SecretStore } from "../secrets/secret-store.ts";
import { createAuthenticator } from "./auth.ts";
import { registerErrorHandling } from "./error-handler.ts";
import { accountRoutes } from "./routes/account-routes.ts";
import { accountSettingsRoutes } from "./routes/account-settings-routes.ts";
import { agentRoutes } from "./routes/agent-routes.ts";
import { chatRoutes } from "./routes/chat-routes.ts";
import { conversationRoutes } from "./routes/conversation-routes.ts";
import { healthRoutes } from "./routes/health-routes.ts";
import { knowledgeRoutes } from "./routes/knowledge-routes.ts";
import { mcpRoutes } from "./routes/mcp-routes.ts";
import { metricsRoutes, recordRequestMetrics } from "./routes/metrics-routes.ts";
import { salesRoutes } from "./routes/sales-routes.ts";
import { secretRoutes } from "./routes/secret-routes.ts";
import { unifiedChatRoutes } from "./routes/unified-chat-routes.ts";

export interface HttpDependencies {
  settings: Settings;
  templates: TemplateSet;
  database: DatabaseHandle;
  accounts: AccountService;
  instances: InstanceService;
  chat: ChatService;
  unified: UnifiedChat;
  metrics: Metrics;
  knowledge: KnowledgeService;
  secrets: SecretStore;
  /** The product catalog and leads of the sales agent type. */
  sales: Pick<Sales, "products" | "leads">;
  /** The account MCP endpoint's server, one per request. */
  createMcpServer: AccountMcpServerFactory;
  externalTools: Pick<ExternalTools, "health">;
  adminKey: string;
  redis: Redis | null;
  logger: FastifyBaseLogger;
}

/** Admin traffic is operator tooling, bounded only to stop a runaway script. */
const ADMIN_REQUESTS_PER_MINUTE = 10_000;

export async function buildHttpServer(dependencies: HttpDependencies): Promise<FastifyInstance> {
  const { settings, accounts } = dependencies;
  const server = Fastify({
    loggerInstance: dependencies.logger,
    bodyLimit: settings.bodyLimitBytes,
    // Ids in paths are slugs; a trailing slash must not make a second resource.
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(server);
  recordRequestMetrics(server, dependencies.metrics);
  server.decorateRequest("principal", null);

  // The API reference page at /docs runs inline scripts; an API-only CSP would blank it.
  await server.register(helmet, { contentSecurityPolicy: false });
  await server.register(swagger, {
    openapi: {
      info: {
        title: "Switchboard",
        description: "Multi-tenant, multi-agent AI platform server",
        version: "0.1.0",
      },
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await server.register(scalar, { routePrefix: "/docs", logLevel: "warn" });

  const auth = createAuthenticator({ adminKey: dependencies.adminKey, accounts });

  await server.register(healthRoutes, { database: dependencies.database });
  await server.register(metricsRoutes, { metrics: dependencies.metrics });

  await server.register(async (authenticated) => {
    authenticated.addHook("onRequest", auth.authenticate);
    if (settings.rateLimitEnabled)
      await authenticated.register(rateLimit, {
        // After authentication, so the limit is the caller's tier, counted per account.
        hook: "preHandler",
        ...(dependencies.redis
          ? { redis: dependencies.redis, nameSpace: `${settings.redisPrefix}rate:` }
          : {}),
        keyGenerator: (request) => {
          const principal = request.principal;
          return principal?.kind === "account" ? `account:${principal.accountId}` : `admin:${request.ip}`;
        },
        max: async (request) => {
          const principal = request.principal;
          if (principal?.kind !== "account") return ADMIN_REQUESTS_PER_MINUTE;
          const account = await accounts.findById(principal.accountId);
          return TIER_LIMITS[account?.tier ?? "budget"].requests_per_minute;
        },
        timeWindow: 60_000,
        errorResponseBuilder: (_request, context) =>
          new RateLimitedError(
            `Rate limit of ${context.max} requests per minute exceeded; retry in ${context.after}`,
          ),
      });
    await authenticated.register(accountRoutes, { accounts, auth, knowledge: dependencies.knowledge });
    await authenticated.register(accountSettingsRoutes, {
      accounts,
      auth,
      templates: dependencies.templates,
    });
    await authenticated.register(agentRoutes, {
      instances: dependencies.instances,
      auth,
      knowledge: dependencies.knowledge,
      mcpHealth: dependencies.externalTools.health,
    });
    await authenticated.register(secretRoutes, { secrets: dependencies.secrets, auth });
    await authenticated.register(salesRoutes, {
      products: dependencies.sales.products,
      leads: dependencies.sales.leads,
      auth,
    });
    await authenticated.register(mcpRoutes, {
      auth,
      createMcpServer: dependencies.createMcpServer,
      allowedOrigins: settings.mcp.allowedOrigins,
    });
    await authenticated.register(knowledgeRoutes, { knowledge: dependencies.knowledge, auth });
    await authenticated.register(conversationRoutes, { db: dependencies.database.db, auth });
    await authenticated.register(unifiedChatRoutes, {
      unified: dependencies.unified,
      auth,
      defaultAccountSlug: settings.defaultAccountSlug,
      heartbeatMs: settings.sseHeartbeatMs,
    });
    await authenticated.register(chatRoutes, {
      chat: dependencies.chat,
      auth,
      defaultAccountSlug: settings.defaultAccountSlug,
      heartbeatMs: settings.sseHeartbeatMs,
    });
  });

  return server;
}
