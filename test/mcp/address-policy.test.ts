import { describe, expect, it } from "vitest";
import { checkUrlWithoutDns, isAllowListed, isBlockedAddress } from "../../src/mcp/address-policy.ts";

describe("the outbound address policy", () => {
  it.each([
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "127.0.0.1",
    "127.255.0.9",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fc00::1",
    "fd00:ec2::254",
    "fe80::1",
    "::ffff:127.0.0.1",
    "::ffff:a9fe:a9fe",
    "not an address",
  ])("blocks %s", (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111"])(
    "lets %s through",
    (address) => {
      expect(isBlockedAddress(address)).toBe(false);
    },
  );

  it("matches allow-list entries by host, or by host and port", () => {
    expect(isAllowListed(["127.0.0.1:8080"], "127.0.0.1", "8080")).toBe(true);
    expect(isAllowListed(["127.0.0.1:8080"], "127.0.0.1", "8081")).toBe(false);
    expect(isAllowListed(["mcp.internal"], "MCP.internal", "443")).toBe(true);
    expect(isAllowListed(["[::1]:9000"], "[::1]", "9000")).toBe(true);
    expect(isAllowListed(["[::1]:9000"], "::1", "9000")).toBe(true);
  });

  it("decides what it can without DNS: schemes, credentials, literal addresses and local names", () => {
    expect(checkUrlWithoutDns("https://mcp.example.com/mcp", [])).toEqual({ allowed: true });
    expect(checkUrlWithoutDns("http://127.0.0.1:9000/mcp", ["127.0.0.1:9000"])).toEqual({ allowed: true });
    for (const url of [
      "http://127.0.0.1:9000/mcp",
      "http://0x7f.1/mcp",
      "http://[::ffff:127.0.0.1]/mcp",
      "http://api.localhost/mcp",
      "http://169.254.169.254/",
    ]) {
      expect(checkUrlWithoutDns(url, []), url).toMatchObject({
        allowed: false,
        reason: expect.stringContaining("private"),
      });
    }
    expect(checkUrlWithoutDns("file:///etc/passwd", [])).toMatchObject({ allowed: false });
    expect(checkUrlWithoutDns("https://user:pass@mcp.example.com/", [])).toMatchObject({
      allowed: false,
      reason: expect.stringContaining("token_secret_ref"),
    });
  });
});
