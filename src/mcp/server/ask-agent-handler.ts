import type { Account } from "../../accounts/account-service.ts";
import { multiAgentFor } from "../../accounts/account-settings.ts";
import { TIER_LIMITS } from "../../accounts/tiers.ts";
import { type AgentContext, createRootContext } from "../../agents/agent-context.ts";
import type { AskAgentRequest, AskAgentResult, ChildRunner } from "../../agents/child-runner.ts";
import { createRunTree } from "../../agents/run-tree.ts";
import { type AgentConfig, AgentConfigSchema } from "../../config/agent-config.ts";
import type { MultiAgentSettings } from "../../config/settings.ts";
import type { ConversationStore } from "../../conversations/conversation-store.ts";
import type { ProgressRelay } from "./progress-relay.ts";

/** The MCP client asks like a parent agent that may ask any agent of the account. */
const MCP_CLIENT_CONFIG: AgentConfig = AgentConfigSchema.parse({
  system_prompt: "An MCP client of this account",
  delegates: ["*"],
});

export interface McpAskResult extends AskAgentResult {
  conversation_id: string;
}

/**
 * ask_agent for an MCP client. Each call is a conversation of its own (the endpoint is stateless):
 * the input is stored as the user's message and the agent's answer under it. The client stands
 * where a parent agent would, one level above the agent it asks, so that agent runs at depth 0 —
 * as in a chat — and counts as a request of the account.
 */
export async function askAgentForMcp(
  dependencies: {
    childRunner: ChildRunner;
    conversations: ConversationStore;
    multiAgent: MultiAgentSettings;
  },
  account: Account,
  request: AskAgentRequest,
  progress: ProgressRelay,
  signal: AbortSignal,
): Promise<McpAskResult> {
  const turn = await dependencies.conversations.startTurn(account.id, {
    userId: request.user_id ?? null,
    text: request.input_text,
    historyTurns: 0,
  });
  const seed = createRootContext({
    accountId: account.id,
    accountSlug: account.slug,
    conversationId: turn.conversationId,
    // No instance answers at the client's level; children replace these with their own.
    instanceId: "",
    instanceSlug: "mcp",
    agentSchema: "mcp/client",
    messageId: turn.userMessageId,
    tree: createRunTree(TIER_LIMITS[account.tier], multiAgentFor(dependencies.multiAgent, account.settings)),
    userId: request.user_id,
    modelOverride: request.model,
  });
  const parent: AgentContext = {
    ...seed,
    depth: -1,
    ancestors: [],
    emit: (event) => progress.push(event),
    // The asked agent's own events arrive wrapped at depth 0; unwrapped, the client sees what a
    // chat stream shows: the agent's events plain, its children's wrapped with their depth.
    relay: (event) => progress.push(event.type === "agent_event" && event.depth === 0 ? event.event : event),
  };
  const result = await dependencies.childRunner.ask(parent, MCP_CLIENT_CONFIG, request, signal);
  await progress.flush();
  return { ...result, conversation_id: turn.conversationId };
}
