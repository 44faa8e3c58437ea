import { z } from "zod";

/** `host` or `host:port`; IPv6 hosts in brackets (`[::1]:8443`). */
const HOST_ENTRY = /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::\d{1,5})?$/i;

const commaList = (check: (entry: string) => boolean, message: string) =>
  z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((entry) => entry.trim().toLowerCase())
        .filter((entry) => entry.length > 0),
    )
    .refine((entries) => entries.every(check), message);

const McpEnvSchema = z.object({
  SWITCHBOARD_MCP_ALLOWED_HOSTS: commaList(
    (entry) => HOST_ENTRY.test(entry),
    "must be a comma-separated list of host or host:port",
  ).default([]),
  SWITCHBOARD_MCP_ALLOWED_ORIGINS: commaList(
    (entry) => /^https?:\/\/[^/\s]+$/.test(entry),
    "must be a comma-separated list of origins like https://app.example.com",
  ).default([]),
  SWITCHBOARD_MCP_MAX_RESULT_CHARS: z.coerce.number().int().min(1_000).max(1_000_000).default(20_000),
  SWITCHBOARD_MCP_TOOLS_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
});

export interface McpSettings {
  /**
   * Hosts external MCP servers may live on even though they resolve to a private, loopback or
   * link-local address (an operator's own network; the tests' loopback servers).
   */
  allowedHosts: string[];
  /** Browser origins allowed to call the account MCP endpoints; requests without Origin always pass. */
  allowedOrigins: string[];
  /** The most characters of one external tool result that reach a model. */
  maxResultChars: number;
  /** How long a listed set of external tools is trusted before it is listed again. */
  toolsTtlSeconds: number;
}

export class McpSettingsError extends Error {
  override readonly name = "McpSettingsError";
}

/** Reads the MCP settings from an environment whose empty variables are already removed. */
export function loadMcpSettings(env: Record<string, string | undefined>): McpSettings {
  const parsed = McpEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new McpSettingsError(`Invalid configuration:\n${problems.join("\n")}`);
  }
  const values = parsed.data;
  return {
    allowedHosts: values.SWITCHBOARD_MCP_ALLOWED_HOSTS,
    allowedOrigins: values.SWITCHBOARD_MCP_ALLOWED_ORIGINS,
    maxResultChars: values.SWITCHBOARD_MCP_MAX_RESULT_CHARS,
    toolsTtlSeconds: values.SWITCHBOARD_MCP_TOOLS_TTL_SECONDS,
  };
}
