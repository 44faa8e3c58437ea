import { createHash } from "node:crypto";
import type { AgentInstance } from "../../agents/instance-service.ts";
import type { McpServerConfig } from "../../config/agent-config.ts";
import type { SecretStore } from "../../secrets/secret-store.ts";
import type { ConnectionTarget } from "./mcp-session-pool.ts";

/** The config cannot be acted on (a token secret that is not stored); no network was touched. */
export class McpTargetError extends Error {
  override readonly name = "McpTargetError";
}

function fingerprint(token: string | null): string {
  return token === null ? "anonymous" : createHash("sha256").update(token).digest("hex").slice(0, 16);
}

/**
 * How one instance reaches one of its servers. Stateless servers are shared: no account headers,
 * and every account presenting the same credentials shares the session. Stateful servers keep
 * per-tenant state, so they are told whose session it is (the seed's policy) and get their own.
 */
export async function connectionTarget(
  secrets: SecretStore,
  instance: AgentInstance,
  server: McpServerConfig,
  timeoutMs: number,
): Promise<ConnectionTarget> {
  const secretName = server.token_secret_ref ?? null;
  const token = secretName === null ? null : await secrets.reveal(instance.accountId, secretName);
  if (secretName !== null && token === null) {
    throw new McpTargetError(`token_secret_ref names the secret "${secretName}", which is not stored`);
  }
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (!server.stateless) {
    headers["x-account-id"] = instance.accountId;
    headers["x-agent-instance-id"] = instance.id;
  }
  const key = server.stateless
    ? `shared|${server.url}|${fingerprint(token)}`
    : `tenant|${instance.accountId}|${instance.id}|${server.url}|${fingerprint(token)}`;
  return {
    key,
    url: server.url,
    headers,
    accountId: server.stateless ? null : instance.accountId,
    secretName,
    timeoutMs,
  };
}
