import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readStream } from "../support/sse-client.ts";
import { startTestServer, type TestServer } from "../support/test-server.ts";

describe("GET /metrics", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("pglite");
  });
  afterAll(async () => {
    await server?.close();
  });

  it("counts requests by route template (streams included), runs by type and status, and tokens", async () => {
    await server.request("POST", "/accounts/demo/agents/simple-chat/chat", { body: { message: "hi" } });
    await readStream(`${server.baseUrl}/accounts/demo/agents/simple-chat/stream`, {
      key: server.demoKey,
      body: { message: "hi again" },
    });
    await server.request("GET", "/accounts/demo/agents/ghost");

    const response = await fetch(`${server.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toMatch(
      /switchboard_http_requests_total\{method="POST",route="\/accounts\/:account\/agents\/:agent\/chat",status="200"\} 1/,
    );
    expect(text).toMatch(
      /switchboard_http_requests_total\{method="POST",route="\/accounts\/:account\/agents\/:agent\/stream",status="200"\} 1/,
    );
    expect(text).toMatch(
      /switchboard_http_requests_total\{method="GET",route="\/accounts\/:account\/agents\/:agent",status="404"\} 1/,
    );
    expect(text).toMatch(
      /switchboard_agent_runs_total\{agent_type="simple-chat",depth="0",status="complete"\} 2/,
    );
    expect(text).toMatch(/switchboard_tokens_total\{agent_type="simple-chat",direction="output"\} [1-9]/);
    expect(text).toMatch(/switchboard_agent_runs_in_flight 0/);
    // No tenant identifiers in labels.
    expect(text).not.toContain("demo");
  });
});
