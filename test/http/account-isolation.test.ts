import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, startTestServer, type TestServer } from "../support/test-server.ts";

/** Every route that names an account, with a body that would succeed for the owner. */
const ACCOUNT_ROUTES: Array<[method: string, path: string, body?: unknown]> = [
  ["GET", "/accounts/{account}"],
  ["GET", "/accounts/{account}/agents"],
  ["POST", "/accounts/{account}/agents", { type: "simple-chat", slug: "intruder" }],
  ["GET", "/accounts/{account}/agents/{agent}"],
  ["PUT", "/accounts/{account}/agents/{agent}/config", { system_prompt: "pwned" }],
  ["POST", "/accounts/{account}/agents/{agent}/status", { status: "archived" }],
];

describe.each(BACKENDS)("account isolation on %s", (backend) => {
  let server: TestServer;
  let otherKey: string;

  beforeAll(async () => {
    server = await startTestServer(backend);
    const created = await server.request("POST", "/accounts", {
      key: server.adminKey,
      body: { slug: "other", name: "Other", tier: "enterprise" },
    });
    otherKey = created.body.api_key;
    await server.request("POST", "/accounts/other/agents", {
      key: otherKey,
      body: { type: "sales", slug: "other-sales" },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each(ACCOUNT_ROUTES)(
    "%s %s with another account's key answers 404 like a missing account",
    async (method, template, body) => {
      const path = (account: string, agent: string) =>
        template.replace("{account}", account).replace("{agent}", agent);
      const foreign = await server.request(method, path("other", "other-sales"), {
        key: server.demoKey,
        body,
      });
      const missing = await server.request(method, path("no-such-account", "other-sales"), {
        key: server.demoKey,
        body,
      });
      expect(foreign.status).toBe(404);
      expect(foreign.body.error.code).toBe("ACCOUNT_NOT_FOUND");
      // Same status and code as a missing account, so nothing about existence leaks.
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe(foreign.body.error.code);

      const reverse = await server.request(method, path("demo", "sales"), { key: otherKey, body });
      expect(reverse.status).toBe(404);
    },
  );

  it("left the other account's data untouched", async () => {
    const other = await server.request("GET", "/accounts/other/agents/other-sales", { key: otherKey });
    expect(other.body).toMatchObject({ status: "active", version: 1 });
    expect(other.body.config.system_prompt).not.toBe("pwned");
    const list = await server.request("GET", "/accounts/other/agents", { key: otherKey });
    expect(list.body.agents.map((agent: { slug: string }) => agent.slug)).toEqual(["other-sales"]);
  });

  it("lets the admin key reach any account", async () => {
    const response = await server.request("GET", "/accounts/other/agents", { key: server.adminKey });
    expect(response.status).toBe(200);
  });
});
