import { describe, expect, it } from "vitest";
import { loadSettings } from "../../src/config/settings.ts";

describe("MCP settings", () => {
  it("reads the outbound allow-list and the browser origins", () => {
    const settings = loadSettings({
      SWITCHBOARD_MCP_ALLOWED_HOSTS: " MCP.internal:8443, 127.0.0.1:9000,[::1]:7000 ",
      SWITCHBOARD_MCP_ALLOWED_ORIGINS: "https://app.example.com",
    });
    expect(settings.mcp.allowedHosts).toEqual(["mcp.internal:8443", "127.0.0.1:9000", "[::1]:7000"]);
    expect(settings.mcp.allowedOrigins).toEqual(["https://app.example.com"]);
    expect(() => loadSettings({ SWITCHBOARD_MCP_ALLOWED_HOSTS: "http://x/" })).toThrow(
      /SWITCHBOARD_MCP_ALLOWED_HOSTS/,
    );
  });
});
