import { tool } from "ai";
import { z } from "zod";
import type { AgentConfig } from "../../config/agent-config.ts";
import type { KnowledgeResult } from "../../knowledge/search-knowledge.ts";
import { requireCurrentContext } from "../agent-context.ts";

export const SearchKnowledgeInputSchema = z.object({
  query: z.string().trim().min(1).max(2_000).describe("What to look for, in the user's words"),
  top_k: z.number().int().min(1).max(20).optional().describe("How many passages to return"),
});

/** Searches one agent's knowledge base; who is searching is read from the run, not from arguments. */
export type KnowledgeSearcher = (
  agent: { accountId: string; instanceId: string; agentSchema: string },
  query: string,
  options: { topK: number; minScore: number },
) => Promise<KnowledgeResult[]>;

/**
 * Passages from the instance's own knowledge base. The account and instance always come from
 * the agent context, so nothing the model writes into the arguments can reach another tenant's
 * (or another instance's) documents.
 */
export function createSearchKnowledgeTool(config: AgentConfig, searcher: KnowledgeSearcher) {
  return tool({
    description:
      "Search this agent's knowledge base (the documents ingested for it). Returns the best " +
      "matching passages with their title, source and score; cite them by title or source.",
    inputSchema: SearchKnowledgeInputSchema,
    execute: async (input) => {
      const context = requireCurrentContext();
      const results = await searcher(
        { accountId: context.accountId, instanceId: context.instanceId, agentSchema: context.agentSchema },
        input.query,
        { topK: input.top_k ?? config.knowledge_base.top_k, minScore: config.knowledge_base.min_score },
      );
      return { results };
    },
  });
}
