import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, startTestServer, type TestServer } from "../support/test-server.ts";

describe.each(BACKENDS)("agent instances API on %s", (backend) => {
  let server: TestServer;
  let budgetKey: string;

  beforeAll(async () => {
    server = await startTestServer(backend);
    const created = await server.request("POST", "/accounts", {
      key: server.adminKey,
      body: { slug: "small-shop", name: "Small Shop", tier: "budget" },
    });
    budgetKey = created.body.api_key;
  });
  afterAll(async () => {
    await server?.close();
  });

  it("discovers instances with capabilities and health", async () => {
    const response = await server.request("GET", "/accounts/demo/agents");
    expect(response.status).toBe(200);
    const bySlug = Object.fromEntries(
      response.body.agents.map((agent: { slug: string }) => [agent.slug, agent]),
    );
    expect(Object.keys(bySlug).sort()).toEqual(
      ["deep-research", "digital-expert", "sales", "simple-chat", "simple-research"].sort(),
    );
    expect(bySlug.sales.capabilities.tools).toEqual(
      expect.arrayContaining(["search_products", "get_product", "capture_lead"]),
    );
    expect(bySlug["deep-research"].capabilities.delegates).toEqual(["simple-research"]);
    expect(bySlug["simple-research"].capabilities.knowledge.enabled).toBe(true);
    expect(bySlug["simple-chat"].health).toEqual({ status: "ok" });
  });

  it("provisions from the template with overrides, and returns the merged config", async () => {
    const response = await server.request("POST", "/accounts/demo/agents", {
      body: {
        type: "simple-research",
        slug: "policy-desk",
        name: "Policy desk",
        config: { temperature: 0.1, knowledge_base: { top_k: 3 }, tags: ["policies"] },
      },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      slug: "policy-desk",
      name: "Policy desk",
      type: "simple-research",
      status: "active",
      version: 1,
    });
    // Deep merge: the override changed top_k, the template's `enabled: true` stayed.
    expect(response.body.config.knowledge_base).toMatchObject({ enabled: true, top_k: 3 });
    expect(response.body.config.temperature).toBe(0.1);
    expect(response.body.config.system_prompt).toContain("search_knowledge");
    expect(response.body.overrides).toEqual({
      temperature: 0.1,
      knowledge_base: { top_k: 3 },
      tags: ["policies"],
    });

    const fetched = await server.request("GET", "/accounts/demo/agents/policy-desk");
    expect(fetched.status).toBe(200);
    expect(fetched.body.config).toEqual(response.body.config);
  });

  it("rejects a duplicate instance slug, an unknown type and an invalid override, naming the field", async () => {
    const duplicate = await server.request("POST", "/accounts/demo/agents", {
      body: { type: "sales", slug: "sales" },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe("AGENT_SLUG_TAKEN");

    const unknownType = await server.request("POST", "/accounts/demo/agents", {
      body: { type: "router", slug: "my-router" },
    });
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.error.details.issues[0].path).toBe("body.type");

    const badOverride = await server.request("POST", "/accounts/demo/agents", {
      body: { type: "sales", slug: "sales-two", config: { limits: { max_steps: 0 } } },
    });
    expect(badOverride.status).toBe(422);
    expect(badOverride.body.error.code).toBe("INVALID_AGENT_CONFIG");
    expect(badOverride.body.error.details.issues[0].path).toBe("limits.max_steps");
    // Nothing was created by the failed attempt.
    expect((await server.request("GET", "/accounts/demo/agents/sales-two")).status).toBe(404);
  });

  it("updates config without restart: the next request sees the new version", async () => {
    const before = await server.request("GET", "/accounts/demo/agents/simple-chat");
    const update = await server.request("PUT", "/accounts/demo/agents/simple-chat/config", {
      body: { system_prompt: "You are Switchboard's greeter.", model: "offline", temperature: 0 },
    });
    expect(update.status).toBe(200);
    expect(update.body.version).toBe(before.body.version + 1);

    const after = await server.request("GET", "/accounts/demo/agents/simple-chat");
    expect(after.body.version).toBe(before.body.version + 1);
    expect(after.body.config).toMatchObject({
      system_prompt: "You are Switchboard's greeter.",
      model: "offline",
      temperature: 0,
    });

    // PUT replaces the overrides: what is left out returns to the template's value.
    const reset = await server.request("PUT", "/accounts/demo/agents/simple-chat/config", { body: {} });
    expect(reset.body.version).toBe(before.body.version + 2);
    expect(reset.body.config.system_prompt).toBe(before.body.config.system_prompt);
    expect(reset.body.overrides).toEqual({});
  });

  const invalidOverrides: Array<[string, unknown, string]> = [
    ["a temperature out of range", { temperature: 3 }, "temperature"],
    ["an unknown field", { temperatur: 0.5 }, "temperatur"],
    ["an unknown nested field", { limits: { max_stepz: 2 } }, "limits.max_stepz"],
    ["an unknown tool", { tools: ["rm_rf"] }, "tools.0"],
    ["a bad model id", { model: "not a model" }, "model"],
    [
      "an MCP server with a stdio URL",
      { mcp_servers: [{ name: "local", url: "file:///bin/sh" }] },
      "mcp_servers.0.url",
    ],
    ["a wrong type", { system_prompt: 42 }, "system_prompt"],
  ];
  it.each(invalidOverrides)("answers 422 for %s, naming the field", async (_label, body, path) => {
    const response = await server.request("PUT", "/accounts/demo/agents/sales/config", { body });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe("INVALID_AGENT_CONFIG");
    expect(response.body.error.details.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    expect(response.body.error.message).toContain(path);
  });

  it("answers 400 when the config body is not an object", async () => {
    const response = await server.request("PUT", "/accounts/demo/agents/sales/config", { body: ["tools"] });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("VALIDATION_FAILED");
  });

  it("never returns secret values in config", async () => {
    const response = await server.request("PUT", "/accounts/demo/agents/simple-research/config", {
      body: {
        mcp_servers: [
          { name: "search", url: "https://mcp.example.com/mcp", token_secret_ref: "search-token" },
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.config.mcp_servers[0]).toMatchObject({
      name: "search",
      token_secret_ref: "search-token",
    });
    expect(response.body.capabilities.mcp_servers).toEqual([
      expect.objectContaining({ name: "search", status: expect.any(String) }),
    ]);
  });

  it("changes status, bumps the version, and hides archived instances from discovery", async () => {
    const inactive = await server.request("POST", "/accounts/demo/agents/policy-desk/status", {
      body: { status: "inactive" },
    });
    expect(inactive.status).toBe(200);
    expect(inactive.body).toMatchObject({ status: "inactive", version: 2, health: { status: "inactive" } });

    const archived = await server.request("POST", "/accounts/demo/agents/policy-desk/status", {
      body: { status: "archived" },
    });
    expect(archived.body.status).toBe("archived");
    const listed = await server.request("GET", "/accounts/demo/agents");
    expect(listed.body.agents.map((agent: { slug: string }) => agent.slug)).not.toContain("policy-desk");
    const all = await server.request("GET", "/accounts/demo/agents?include_archived=true");
    expect(all.body.agents.map((agent: { slug: string }) => agent.slug)).toContain("policy-desk");

    const badStatus = await server.request("POST", "/accounts/demo/agents/policy-desk/status", {
      body: { status: "deleted" },
    });
    expect(badStatus.status).toBe(400);
  });

  it("enforces the tier's instance limit per type, counting archived instances out", async () => {
    const first = await server.request("POST", "/accounts/small-shop/agents", {
      key: budgetKey,
      body: { type: "sales", slug: "shop-sales" },
    });
    expect(first.status).toBe(201);
    const second = await server.request("POST", "/accounts/small-shop/agents", {
      key: budgetKey,
      body: { type: "sales", slug: "shop-sales-2" },
    });
    expect(second.status).toBe(403);
    expect(second.body.error.code).toBe("INSTANCE_LIMIT_REACHED");
    expect(second.body.error.details).toMatchObject({ tier: "budget", type: "sales", limit: 1 });

    // Another type has its own allowance.
    const otherType = await server.request("POST", "/accounts/small-shop/agents", {
      key: budgetKey,
      body: { type: "simple-chat", slug: "shop-chat" },
    });
    expect(otherType.status).toBe(201);

    await server.request("POST", "/accounts/small-shop/agents/shop-sales/status", {
      key: budgetKey,
      body: { status: "archived" },
    });
    const afterArchive = await server.request("POST", "/accounts/small-shop/agents", {
      key: budgetKey,
      body: { type: "sales", slug: "shop-sales-2" },
    });
    expect(afterArchive.status).toBe(201);

    // Restoring the archived one would exceed the limit again.
    const restore = await server.request("POST", "/accounts/small-shop/agents/shop-sales/status", {
      key: budgetKey,
      body: { status: "active" },
    });
    expect(restore.status).toBe(403);
    expect(restore.body.error.code).toBe("INSTANCE_LIMIT_REACHED");
  });

  it("holds the limit under concurrent provisioning", async () => {
    const created = await server.request("POST", "/accounts", {
      key: server.adminKey,
      body: { slug: "racer", name: "Racer", tier: "budget" },
    });
    const key = created.body.api_key;
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        server.request("POST", "/accounts/racer/agents", {
          key,
          body: { type: "deep-research", slug: `deep-${index}` },
        }),
      ),
    );
    const statuses = attempts.map((attempt) => attempt.status).sort();
    expect(statuses).toEqual([201, 403, 403, 403, 403, 403]);
  });

  it("answers 404 for an unknown instance on every instance route", async () => {
    const routes: Array<[string, string, unknown]> = [
      ["GET", "/accounts/demo/agents/ghost", undefined],
      ["PUT", "/accounts/demo/agents/ghost/config", {}],
      ["POST", "/accounts/demo/agents/ghost/status", { status: "active" }],
    ];
    for (const [method, path, body] of routes) {
      const response = await server.request(method, path, { body });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body.error.code).toBe("AGENT_NOT_FOUND");
    }
  });
});
