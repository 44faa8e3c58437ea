import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { AgentInstance } from "../../src/agents/instance-service.ts";
import { AgentConfigSchema } from "../../src/config/agent-config.ts";
import { createExternalToolsFromSettings } from "../../src/mcp/client/create-external-tools.ts";
import { wrapToolOutput } from "../../src/mcp/client/tool-output-envelope.ts";
import type { SecretStore } from "../../src/secrets/secret-store.ts";

const instance: AgentInstance = {
  id: "00000000-0000-4000-8000-000000000001",
  accountId: "00000000-0000-4000-8000-000000000002",
  slug: "desk",
  name: "Desk",
  type: "simple-chat",
  status: "active",
  version: 1,
  overrides: {},
  createdAt: new Date(),
  updatedAt: new Date(),
};
const noSecrets = { reveal: async () => null, onChange: () => () => {} } as unknown as SecretStore;

describe("external tools of an instance", () => {
  it("marks a server whose name resolves to a private address as blocked, without connecting", async () => {
    const tools = createExternalToolsFromSettings({
      settings: { allowedHosts: [], allowedOrigins: [], maxResultChars: 1_000, toolsTtlSeconds: 300 },
      secrets: noSecrets,
      logger: pino({ level: "silent" }),
      // A rebinding resolver: the name looks public in the config, and answers loopback.
      resolve: async () => [{ address: "127.0.0.1", family: 4 }],
    });
    const config = AgentConfigSchema.parse({
      system_prompt: "Help.",
      mcp_servers: [{ name: "crm", url: "https://crm.rebind.test/mcp" }],
    });
    const [pending] = tools.health(instance, config);
    expect(pending).toEqual({ name: "crm", status: "pending", tools: [], checked_at: null });

    await tools.prepare(instance, config);
    const [blocked] = tools.health(instance, config);
    expect(blocked).toMatchObject({ name: "crm", status: "blocked", tools: [] });
    expect(blocked?.reason).toContain("resolves to 127.0.0.1");
    expect(tools.tools(instance, config)).toEqual({});
    expect(tools.revision(instance, config)).toBe(tools.revision(instance, config));
    await tools.close();
  });

  it("names a missing token secret as the reason a server is unreachable", async () => {
    const tools = createExternalToolsFromSettings({
      settings: { allowedHosts: [], allowedOrigins: [], maxResultChars: 1_000, toolsTtlSeconds: 300 },
      secrets: noSecrets,
      logger: pino({ level: "silent" }),
    });
    const config = AgentConfigSchema.parse({
      system_prompt: "Help.",
      mcp_servers: [{ name: "crm", url: "https://crm.example.com/mcp", token_secret_ref: "crm-token" }],
    });
    await tools.prepare(instance, config);
    expect(tools.health(instance, config)[0]).toMatchObject({
      status: "unreachable",
      reason: 'token_secret_ref names the secret "crm-token", which is not stored',
    });
    await tools.close();
  });
});

describe("the envelope around external output", () => {
  it("keeps text, omits binary content, and cuts text past the cap", () => {
    const envelope = wrapToolOutput({
      server: "crm",
      tool: "lookup",
      isError: false,
      content: [
        { type: "text", text: "a".repeat(80) },
        { type: "image", data: "AAAA", mimeType: "image/png" },
        { type: "text", text: "b".repeat(80) },
      ],
      structuredContent: undefined,
      maxChars: 100,
    });
    expect(envelope).toMatchObject({ type: "external_tool_output", trust: "untrusted", truncated: true });
    expect(envelope.content).toEqual([
      { type: "text", text: "a".repeat(80) },
      { type: "image", omitted: true, mime_type: "image/png" },
      { type: "text", text: "b".repeat(20) },
    ]);
  });

  it("keeps structured content only when the server sent no text", () => {
    const structured = wrapToolOutput({
      server: "crm",
      tool: "lookup",
      isError: false,
      content: [],
      structuredContent: { plan: "Gold" },
      maxChars: 100,
    });
    expect(structured.structured_content).toEqual({ plan: "Gold" });
    const mirrored = wrapToolOutput({
      server: "crm",
      tool: "lookup",
      isError: false,
      content: [{ type: "text", text: '{"plan":"Gold"}' }],
      structuredContent: { plan: "Gold" },
      maxChars: 100,
    });
    expect(mirrored.structured_content).toBeUndefined();
  });
});
