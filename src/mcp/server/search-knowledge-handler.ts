import { randomUUID } from "node:crypto";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Account } from "../../accounts/account-service.ts";
import { multiAgentFor } from "../../accounts/account-settings.ts";
import { TIER_LIMITS } from "../../accounts/tiers.ts";
import { createRootContext, runWithContext } from "../../agents/agent-context.ts";
import { agentSchemaOf } from "../../agents/agent-schema.ts";
import type { InstanceService } from "../../agents/instance-service.ts";
import { createRunTree } from "../../agents/run-tree.ts";
import type { ToolRegistry } from "../../agents/tools/tool-registry.ts";
import type { AgentConfig } from "../../config/agent-config.ts";
import type { MultiAgentSettings } from "../../config/settings.ts";
import { InstanceInactiveError } from "../../errors/app-error.ts";
import { toolError, toolResult } from "./tool-results.ts";

export interface McpSearchInput {
  agent: string;
  query: string;
  top_k?: number | undefined;
}

/** A streaming tool yields partial outputs; the last one is its result. */
async function finalOutput(output: unknown): Promise<unknown> {
  if (typeof output === "object" && output !== null && Symbol.asyncIterator in output) {
    let last: unknown;
    for await (const part of output as AsyncIterable<unknown>) last = part;
    return last;
  }
  return output;
}

/**
 * search_knowledge for an MCP client: the agent's own search tool, run in a context of the
 * calling account and the named instance — the scope the tool reads, as it does inside a run.
 */
export async function searchKnowledgeForMcp(
  dependencies: { instances: InstanceService; tools: ToolRegistry; multiAgent: MultiAgentSettings },
  account: Account,
  input: McpSearchInput,
  signal: AbortSignal,
): Promise<CallToolResult> {
  const instance = await dependencies.instances.get(account, input.agent);
  if (instance.status !== "active") {
    throw new InstanceInactiveError(`Agent "${instance.slug}" is ${instance.status}`);
  }
  const resolution = dependencies.instances.effectiveConfig(instance);
  if (!resolution.ok) throw resolution.error;
  const searchConfig: AgentConfig = { ...resolution.config, tools: ["search_knowledge"] };
  const searchTool = dependencies.tools.build(searchConfig).search_knowledge;
  if (!searchTool?.execute) {
    return toolError("CAPABILITY_NOT_AVAILABLE", "search_knowledge is not available on this server");
  }
  const execute = searchTool.execute;
  const seed = createRootContext({
    accountId: account.id,
    accountSlug: account.slug,
    // A search stores nothing, so it belongs to no conversation.
    conversationId: "",
    instanceId: instance.id,
    instanceSlug: instance.slug,
    agentSchema: agentSchemaOf(instance),
    messageId: randomUUID(),
    tree: createRunTree(TIER_LIMITS[account.tier], multiAgentFor(dependencies.multiAgent, account.settings)),
  });
  const context = { ...seed, emit: () => {}, relay: () => {} };
  const output = await runWithContext(context, async () =>
    finalOutput(
      await execute(
        { query: input.query, ...(input.top_k === undefined ? {} : { top_k: input.top_k }) },
        { toolCallId: randomUUID(), messages: [], abortSignal: signal, context: {} },
      ),
    ),
  );
  const results =
    typeof output === "object" && output !== null && "results" in output ? output.results : output;
  return toolResult({ status: "success", agent: instance.slug, results });
}
