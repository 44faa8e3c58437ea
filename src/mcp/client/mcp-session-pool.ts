import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LRUCache } from "lru-cache";

/** Where and as whom to connect; sessions with the same key are shared. */
export interface ConnectionTarget {
  key: string;
  url: string;
  headers: Record<string, string>;
  /** Some sessions belong to one account's connection (stateful servers); the pool can drop them. */
  accountId: string | null;
  secretName: string | null;
  timeoutMs: number;
}

interface PooledSession {
  client: Client;
  accountId: string | null;
  secretName: string | null;
}

const CLIENT_INFO = { name: "switchboard", version: "0.1.0" };

export type McpSessionPool = ReturnType<typeof createMcpSessionPool>;

/**
 * Open MCP client sessions to external servers, kept for reuse: a stateless server's session is
 * shared by every account that reaches it with the same credentials, a stateful server's belongs
 * to one account's instance. The HTTP connections underneath all come from one guarded pool.
 */
export function createMcpSessionPool(options: { fetch: typeof fetch; maxSessions?: number }) {
  const sessions = new LRUCache<string, PooledSession>({
    max: options.maxSessions ?? 1_000,
    dispose: (session) => {
      void session.client.close().catch(() => {});
    },
  });
  const connecting = new Map<string, Promise<Client>>();
  // Agents only call tools; a standing GET stream per session for server-initiated messages would
  // hold a pooled connection each for nothing. 405 is how a server says it offers none.
  const callsOnly: typeof fetch = (input, init) =>
    init?.method === "GET"
      ? Promise.resolve(new Response(null, { status: 405 }))
      : options.fetch(input, init);
  let closed = false;

  async function open(target: ConnectionTarget): Promise<Client> {
    const client = new Client(CLIENT_INFO, { capabilities: {} });
    const transport = new StreamableHTTPClientTransport(new URL(target.url), {
      fetch: callsOnly,
      requestInit: { headers: target.headers },
      // A broken server is marked unreachable and retried later; no reconnect storm meanwhile.
      reconnectionOptions: {
        maxRetries: 0,
        initialReconnectionDelay: 1_000,
        maxReconnectionDelay: 1_000,
        reconnectionDelayGrowFactor: 1,
      },
    });
    // The SDK reports stream troubles here too; the calls that fail say so themselves.
    client.onerror = () => {};
    client.onclose = () => {
      if (sessions.peek(target.key)?.client === client) sessions.delete(target.key);
    };
    try {
      await client.connect(transport, { timeout: target.timeoutMs });
    } catch (error) {
      await client.close().catch(() => {});
      throw error;
    }
    if (closed) {
      await client.close().catch(() => {});
      throw new Error("The MCP session pool is closed");
    }
    sessions.set(target.key, { client, accountId: target.accountId, secretName: target.secretName });
    return client;
  }

  async function client(target: ConnectionTarget): Promise<Client> {
    if (closed) throw new Error("The MCP session pool is closed");
    const existing = sessions.get(target.key);
    if (existing) return existing.client;
    const pending = connecting.get(target.key);
    if (pending) return pending;
    const opening = open(target).finally(() => connecting.delete(target.key));
    connecting.set(target.key, opening);
    return opening;
  }

  /** Closes a session that failed, so the next call opens a fresh one. */
  function discard(key: string): void {
    sessions.delete(key);
  }

  /** Drops the sessions that carry an account's secret (it was replaced or deleted). */
  function discardUsingSecret(accountId: string, secretName: string): void {
    for (const [key, session] of sessions.entries()) {
      if (
        session.secretName === secretName &&
        (session.accountId === null || session.accountId === accountId)
      ) {
        sessions.delete(key);
      }
    }
  }

  async function close(): Promise<void> {
    closed = true;
    const open = [...sessions.values()].map((session) => session.client.close().catch(() => {}));
    sessions.clear();
    await Promise.all(open);
  }

  return { client, discard, discardUsingSecret, close };
}
