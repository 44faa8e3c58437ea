import type { AgentConfig } from "../config/agent-config.ts";
import { InvalidAgentConfigError } from "../errors/app-error.ts";
import { checkUrlWithoutDns } from "./address-policy.ts";

/**
 * Refuses, when a config is saved, the external MCP servers that could only be private addresses
 * (literal IPs and local names) unless the operator allow-listed them. Names are checked again,
 * resolved, on every connection; this only makes the obvious mistake or probe a clear 422.
 */
export function checkMcpServerUrls(config: AgentConfig, allowedHosts: readonly string[]): void {
  const issues = config.mcp_servers.flatMap((server, index) => {
    const verdict = checkUrlWithoutDns(server.url, allowedHosts);
    return verdict.allowed ? [] : [{ path: `mcp_servers.${index}.url`, message: verdict.reason }];
  });
  if (issues.length === 0) return;
  const message = issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
  throw new InvalidAgentConfigError(`Invalid agent config: ${message}`, { details: { issues } });
}
