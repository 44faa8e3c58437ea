import type { ToolSet } from "ai";
import type { FastifyBaseLogger } from "fastify";
import { LRUCache } from "lru-cache";
import type { AgentInstance } from "../../agents/instance-service.ts";
import type { AgentConfig, McpServerConfig } from "../../config/agent-config.ts";
import type { SecretStore } from "../../secrets/secret-store.ts";
import { checkUrlWithoutDns } from "../address-policy.ts";
import type { McpSettings } from "../mcp-settings.ts";
import { describeConnectionError, isBlockedConnection } from "./connection-errors.ts";
import { connectionTarget } from "./connection-target.ts";
import { toAgentTool } from "./external-tool.ts";
import { type ListedTool, listServerTools } from "./list-server-tools.ts";
import type { McpSessionPool } from "./mcp-session-pool.ts";

export type McpServerStatus = "ok" | "unreachable" | "blocked" | "pending";

/** One external server of an instance, as discovery shows it. */
export interface McpServerHealth {
  name: string;
  status: McpServerStatus;
  tools: Array<{ name: string; description: string }>;
  reason?: string;
  checked_at: string | null;
}

interface CatalogEntry {
  accountId: string;
  secretName: string | null;
  status: Exclude<McpServerStatus, "pending">;
  tools: ListedTool[];
  reason?: string;
  checkedAt: number;
  /** Changes only when what the agent would get changes, so an unchanged refresh rebuilds nothing. */
  generation: number;
  signature: string;
}

/** A failed server is tried again sooner than a working one is re-listed. */
const RETRY_FAILED_MS = 30_000;
const MAX_LIST_TIMEOUT_MS = 10_000;

export type ExternalTools = ReturnType<typeof createExternalTools>;

/**
 * The tools of instances' external MCP servers. Listing is network work, so it happens before an
 * agent is built (`prepare`, awaited only the first time) or in the background; building an agent
 * and answering discovery read only what was last listed.
 */
export function createExternalTools(dependencies: {
  settings: McpSettings;
  secrets: SecretStore;
  pool: McpSessionPool;
  logger: FastifyBaseLogger;
  now?: () => number;
}) {
  const { settings, secrets, pool, logger } = dependencies;
  const now = dependencies.now ?? Date.now;
  const catalog = new LRUCache<string, CatalogEntry>({ max: 10_000 });
  const refreshing = new Map<string, Promise<void>>();
  let generations = 0;
  let closed = false;

  const keyOf = (instance: AgentInstance, server: McpServerConfig) =>
    `${instance.id}:${instance.version}:${server.name}`;

  function isStale(entry: CatalogEntry): boolean {
    const age = now() - entry.checkedAt;
    return age >= (entry.status === "ok" ? settings.toolsTtlSeconds * 1_000 : RETRY_FAILED_MS);
  }

  function store(key: string, entry: Omit<CatalogEntry, "generation" | "signature">): void {
    if (closed) return;
    const signature = JSON.stringify([entry.status, entry.tools]);
    const previous = catalog.get(key);
    const generation = previous?.signature === signature ? previous.generation : ++generations;
    catalog.set(key, { ...entry, signature, generation });
  }

  async function list(instance: AgentInstance, server: McpServerConfig): Promise<void> {
    const key = keyOf(instance, server);
    const base = {
      accountId: instance.accountId,
      secretName: server.token_secret_ref ?? null,
      checkedAt: now(),
    };
    const verdict = checkUrlWithoutDns(server.url, settings.allowedHosts);
    if (!verdict.allowed) {
      store(key, { ...base, status: "blocked", tools: [], reason: `url ${verdict.reason}` });
      return;
    }
    const timeout = Math.min(server.timeout_seconds * 1_000, MAX_LIST_TIMEOUT_MS);
    let targetKey: string | null = null;
    try {
      const target = await connectionTarget(secrets, instance, server, timeout);
      targetKey = target.key;
      const tools = await listServerTools(await pool.client(target), server, timeout);
      store(key, { ...base, status: "ok", tools });
    } catch (error) {
      if (closed) return;
      if (targetKey !== null) pool.discard(targetKey);
      const status = isBlockedConnection(error) ? "blocked" : "unreachable";
      const reason = describeConnectionError(error);
      logger.warn({ agent: instance.slug, mcp_server: server.name, status, reason }, "MCP server not usable");
      store(key, { ...base, status, tools: [], reason });
    }
  }

  /** One listing per server at a time, however many requests want it. */
  function refresh(instance: AgentInstance, server: McpServerConfig): Promise<void> {
    const key = keyOf(instance, server);
    const running = refreshing.get(key);
    if (running) return running;
    const started = list(instance, server).finally(() => refreshing.delete(key));
    refreshing.set(key, started);
    return started;
  }

  /** Before a run: lists what was never listed (awaited), refreshes what is stale (not awaited). */
  async function prepare(instance: AgentInstance, config: AgentConfig): Promise<void> {
    const firstTime: Promise<void>[] = [];
    for (const server of config.mcp_servers) {
      const entry = catalog.get(keyOf(instance, server));
      if (!entry) firstTime.push(refresh(instance, server));
      else if (isStale(entry)) void refresh(instance, server);
    }
    await Promise.all(firstTime);
  }

  /** Changes whenever the tools `tools()` would build change; part of the built agent's cache key. */
  function revision(instance: AgentInstance, config: AgentConfig): string {
    return config.mcp_servers
      .map((server) => catalog.get(keyOf(instance, server))?.generation ?? 0)
      .join(".");
  }

  function tools(instance: AgentInstance, config: AgentConfig): ToolSet {
    const built: ToolSet = {};
    for (const server of config.mcp_servers) {
      const entry = catalog.get(keyOf(instance, server));
      if (entry?.status !== "ok") continue;
      const timeout = server.timeout_seconds * 1_000;
      for (const tool of entry.tools) {
        built[tool.exposedName] = toAgentTool({
          pool,
          server,
          tool,
          target: () => connectionTarget(secrets, instance, server, timeout),
          maxResultChars: settings.maxResultChars,
        });
      }
    }
    return built;
  }

  /** For discovery: never waits on the network; what is missing or stale is listed in the background. */
  function health(instance: AgentInstance, config: AgentConfig): McpServerHealth[] {
    return config.mcp_servers.map((server) => {
      const entry = catalog.get(keyOf(instance, server));
      if (!entry || isStale(entry)) void refresh(instance, server);
      if (!entry) return { name: server.name, status: "pending", tools: [], checked_at: null };
      return {
        name: server.name,
        status: entry.status,
        tools: entry.tools.map((tool) => ({
          name: tool.exposedName,
          description: tool.description.slice(0, 300),
        })),
        ...(entry.reason === undefined ? {} : { reason: entry.reason }),
        checked_at: new Date(entry.checkedAt).toISOString(),
      };
    });
  }

  const stopListening = secrets.onChange((change) => {
    pool.discardUsingSecret(change.accountId, change.name);
    // A new or removed token can change what a server offers: list it again on next use.
    for (const [key, entry] of catalog.entries()) {
      if (entry.accountId === change.accountId && entry.secretName === change.name) catalog.delete(key);
    }
  });

  /** Listings still under way finish on their own and are dropped; none waits for a slow server. */
  async function close(): Promise<void> {
    closed = true;
    stopListening();
    await pool.close();
  }

  return { prepare, revision, tools, health, close };
}
