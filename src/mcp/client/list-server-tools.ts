import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { McpServerConfig } from "../../config/agent-config.ts";

/** One external tool as the agent sees it. */
export interface ListedTool {
  /** `<server>__<tool>`, in the characters every model provider accepts. */
  exposedName: string;
  /** The name the server knows it by. */
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

const MAX_PAGES = 10;
const MAX_TOOLS_PER_SERVER = 64;
const MAX_DESCRIPTION_CHARS = 2_000;
const MAX_SCHEMA_CHARS = 50_000;
/** The widest name providers take (OpenAI: ^[a-zA-Z0-9_-]{1,64}$). */
const MAX_NAME_CHARS = 64;

export function exposedToolName(server: string, tool: string): string {
  return `${server}__${tool.replace(/[^A-Za-z0-9_-]/g, "_")}`.slice(0, MAX_NAME_CHARS);
}

/** An object schema a provider accepts, whatever the server sent. */
function objectSchema(schema: unknown): Record<string, unknown> | null {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return null;
  const record = schema as Record<string, unknown>;
  if (record.type !== undefined && record.type !== "object") return null;
  if ((JSON.stringify(record) ?? "").length > MAX_SCHEMA_CHARS) return null;
  return { ...record, type: "object", properties: record.properties ?? {} };
}

/**
 * The server's tools that the instance may use: those on `allowed_tools` (all of them when the
 * list is empty), each with a usable schema and a name no other tool of the instance has.
 */
export async function listServerTools(
  client: Client,
  server: McpServerConfig,
  timeoutMs: number,
): Promise<ListedTool[]> {
  const allowed = new Set(server.allowed_tools);
  const listed: ListedTool[] = [];
  const taken = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await client.listTools(cursor === undefined ? undefined : { cursor }, {
      timeout: timeoutMs,
    });
    for (const tool of result.tools) {
      if (allowed.size > 0 && !allowed.has(tool.name)) continue;
      const inputSchema = objectSchema(tool.inputSchema);
      const exposedName = exposedToolName(server.name, tool.name);
      if (inputSchema === null || taken.has(exposedName)) continue;
      taken.add(exposedName);
      listed.push({
        exposedName,
        name: tool.name,
        description: (tool.description ?? tool.title ?? tool.name).slice(0, MAX_DESCRIPTION_CHARS),
        inputSchema,
      });
      if (listed.length >= MAX_TOOLS_PER_SERVER) return listed;
    }
    cursor = result.nextCursor;
    if (cursor === undefined) break;
  }
  return listed;
}
