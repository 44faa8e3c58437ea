import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/events/index.ts";
import { readStream, textOf } from "../support/sse-client.ts";
import { startTestServer, type TestServer } from "../support/test-server.ts";

type Progress = Extract<AgentEvent, { type: "progress" }>;

/** The demo account as a newcomer gets it: seeded instances and the sample knowledge. */
describe("agent types on the seeded demo account, offline", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("pglite", { seedSampleKnowledge: true });
  });
  afterAll(async () => {
    await server?.close();
  });

  const chat = (agent: string, message: string) =>
    server.request("POST", `/accounts/demo/agents/${agent}/chat`, { body: { message } });

  it("simple-research answers from the knowledge base and cites the right file", async () => {
    const response = await chat("simple-research", "How long do card refunds take to arrive?");
    expect(response.status).toBe(200);
    expect(response.body.text).toMatch(/five to\s+ten business days/);
    expect(response.body.text).toMatch(/\[1\]/);
    expect(response.body.text).toContain("refund-policy.md");
    expect(response.body.text).not.toContain("onboarding.md");
  });

  it("simple-research says plainly when the knowledge base has nothing on the subject", async () => {
    const response = await chat("simple-research", "Can I bring my dog to the office?");
    expect(response.body.text).toMatch(/nothing was found/i);
    expect(response.body.text).not.toMatch(/\[1\]/);
  });

  it("digital-expert answers inside its domain, citing its own corpus", async () => {
    const response = await chat("digital-expert", "How is customer data encrypted at rest?");
    expect(response.body.text).toContain("AES-256");
    expect(response.body.text).toContain("security-practices.md");
  });

  it("digital-expert refuses an off-domain question politely, naming its domain", async () => {
    const response = await chat("digital-expert", "Can you suggest a good lasagna recipe for dinner?");
    expect(response.status).toBe(200);
    expect(response.body.text).toContain("information security and data protection");
    expect(response.body.text).toMatch(/outside that domain/);
    expect(response.body.metadata.extra).toMatchObject({ refused: true, reason: "outside_domain" });
  });

  it("digital-expert only knows its own corpus, not the rest of the account's knowledge", async () => {
    const response = await chat("digital-expert", "How long do card refunds take to arrive?");
    expect(response.body.text).not.toContain("business days");
  });

  it("deep-research streams its plan, parallel children and a report with sources", async () => {
    const streamed = await readStream(`${server.baseUrl}/accounts/demo/agents/deep-research/stream`, {
      key: server.demoKey,
      body: { message: "Compare our refund policy and our security practices" },
    });
    const progress = streamed.events.filter((event): event is Progress => event.type === "progress");
    expect(progress[0]).toMatchObject({ phase: "plan", total: 2 });
    expect(progress.map((event) => event.phase)).toContain("report");
    const children = new Set(
      streamed.events.flatMap((event) => (event.type === "agent_event" ? [event.child_message_id] : [])),
    );
    expect(children.size).toBeGreaterThanOrEqual(2);
    const report = textOf(streamed.events);
    expect(report).toContain("## Sources");
    expect(report).toContain("refund-policy.md");
    expect(report).toContain("security-practices.md");
    expect(report).toMatch(/\[1\]/);
  });
});
