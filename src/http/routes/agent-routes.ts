import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Account } from "../../accounts/account-service.ts";
import type { AgentInstance, ConfigResolution, InstanceService } from "../../agents/instance-service.ts";
import { type AgentConfig, AgentConfigOverridesSchema } from "../../config/agent-config.ts";
import type { KnowledgeService } from "../../knowledge/knowledge-service.ts";
import type { McpServerHealth } from "../../mcp/client/external-tools.ts";
import type { Authenticator } from "../auth.ts";
import {
  AgentDetailSchema,
  AgentListSchema,
  ListAgentsQuerySchema,
  ProvisionAgentBodySchema,
  SetStatusBodySchema,
} from "../schemas/agent-schemas.ts";
import {
  AccountParamsSchema,
  AgentParamsSchema,
  COMMON_ERROR_RESPONSES,
  ErrorResponseSchema,
} from "../schemas/common.ts";
import { toAgentDetail, toAgentSummary } from "../views/agent-view.ts";

export interface AgentRoutesOptions {
  instances: InstanceService;
  auth: Authenticator;
  knowledge: KnowledgeService;
  /** External MCP servers' health and tools, from their last listing (never a network call). */
  mcpHealth?: (instance: AgentInstance, config: AgentConfig) => McpServerHealth[];
}

export const agentRoutes: FastifyPluginAsyncZod<AgentRoutesOptions> = async (server, options) => {
  const { instances, auth, knowledge } = options;
  const mcpHealth = (instance: AgentInstance, resolution: ConfigResolution) =>
    resolution.ok ? options.mcpHealth?.(instance, resolution.config) : undefined;
  const detail = (account: Account, instance: Awaited<ReturnType<InstanceService["get"]>>) => {
    const resolution = instances.effectiveConfig(instance);
    return toAgentDetail(
      instance,
      resolution,
      knowledge.describe(account, instance),
      mcpHealth(instance, resolution),
    );
  };

  server.get(
    "/accounts/:account/agents",
    {
      schema: {
        tags: ["agents"],
        summary: "Discover the account's agent instances with their capabilities and health",
        params: AccountParamsSchema,
        querystring: ListAgentsQuerySchema,
        response: { 200: AgentListSchema, ...COMMON_ERROR_RESPONSES },
      },
    },
    async (request) => {
      const account = await auth.accountFor(request, request.params.account);
      const list = await instances.list(account, {
        includeArchived: request.query.include_archived === "true",
      });
      return {
        agents: list.map((instance) => {
          const resolution = instances.effectiveConfig(instance);
          return toAgentSummary(
            instance,
            resolution,
            knowledge.describe(account, instance),
            mcpHealth(instance, resolution),
          );
        }),
      };
    },
  );

  server.post(
    "/accounts/:account/agents",
    {
      schema: {
        tags: ["agents"],
        summary: "Provision an instance of a type from its template",
        params: AccountParamsSchema,
        body: ProvisionAgentBodySchema,
        response: {
          201: AgentDetailSchema,
          409: ErrorResponseSchema,
          422: ErrorResponseSchema,
          ...COMMON_ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const account = await auth.accountFor(request, request.params.account);
      const instance = await instances.provision(account, request.body);
      request.log.info(
        { account: account.slug, agent: instance.slug, type: instance.type },
        "agent provisioned",
      );
      return reply.status(201).send(detail(account, instance));
    },
  );

  server.get(
    "/accounts/:account/agents/:agent",
    {
      schema: {
        tags: ["agents"],
        summary: "One instance with its effective config (secrets redacted)",
        params: AgentParamsSchema,
        response: { 200: AgentDetailSchema, ...COMMON_ERROR_RESPONSES },
      },
    },
    async (request) => {
      const account = await auth.accountFor(request, request.params.account);
      return detail(account, await instances.get(account, request.params.agent));
    },
  );

  server.put(
    "/accounts/:account/agents/:agent/config",
    {
      schema: {
        tags: ["agents"],
        summary: "Replace the instance's config overrides; effective on the next request",
        description: "The body is the overrides object itself. `null` for a key restores the template value.",
        params: AgentParamsSchema,
        body: AgentConfigOverridesSchema,
        response: { 200: AgentDetailSchema, 422: ErrorResponseSchema, ...COMMON_ERROR_RESPONSES },
      },
    },
    async (request) => {
      const account = await auth.accountFor(request, request.params.account);
      const instance = await instances.updateConfig(account, request.params.agent, request.body);
      request.log.info(
        { account: account.slug, agent: instance.slug, version: instance.version },
        "agent config updated",
      );
      return detail(account, instance);
    },
  );

  server.post(
    "/accounts/:account/agents/:agent/status",
    {
      schema: {
        tags: ["agents"],
        summary: "Activate, deactivate or archive an instance",
        params: AgentParamsSchema,
        body: SetStatusBodySchema,
        response: { 200: AgentDetailSchema, 409: ErrorResponseSchema, ...COMMON_ERROR_RESPONSES },
      },
    },
    async (request) => {
      const account = await auth.accountFor(request, request.params.account);
      return detail(account, await instances.setStatus(account, request.params.agent, request.body.status));
    },
  );
};
