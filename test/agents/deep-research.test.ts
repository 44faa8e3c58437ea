import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentEvent } from "../../src/events/index.ts";
import { readStream, textOf } from "../support/sse-client.ts";
import { startTestServer, type TestServer } from "../support/test-server.ts";

type Progress = Extract<AgentEvent, { type: "progress" }>;

describe("deep-research: plan, parallel research, reflection, report", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer("pglite");
  });
  afterAll(async () => {
    await server?.close();
  });

  it("streams each phase with counts, researches the parts in parallel and stores a retrievable report", async () => {
    const streamed = await readStream(`${server.baseUrl}/accounts/demo/agents/deep-research/stream`, {
      key: server.demoKey,
      // Nothing in the knowledge base covers these: both parts come back as gaps.
      body: { message: "Compare our pet allowance and our parking arrangements" },
    });
    const events = streamed.events;
    const progress = events.filter((event): event is Progress => event.type === "progress");
    expect(progress.map((event) => event.phase)).toEqual([
      "plan",
      "research",
      "research",
      "reflect",
      "report",
    ]);
    expect(progress[0]).toMatchObject({ current: 0, total: 2 });
    expect(progress[0]?.message).toContain("Our pet allowance");
    expect(progress[2]).toMatchObject({ current: 2, total: 2 });

    // Both sub-questions were under way before either finished.
    const children = events.filter((event) => event.type === "agent_event");
    const firstDone = children.findIndex(
      (event) => event.type === "agent_event" && event.event.type === "done",
    );
    const startedBefore = children
      .slice(0, firstDone)
      .filter((event) => event.type === "agent_event" && event.event.type === "start");
    expect(startedBefore.length).toBe(2);

    // Gaps are researched once more, with broader queries.
    expect(progress[3]?.message).toMatch(/2 gap\(s\); researching them once more/);
    const calls = events.filter((event) => event.type === "tool_call");
    expect(calls).toHaveLength(4);

    const text = textOf(events);
    expect(text).toMatch(/^# Research report: Compare our pet allowance/);
    expect(text).toContain("## Summary");
    expect(text).toContain("## Our pet allowance");
    expect(text).toContain("## Gaps");

    const start = events[0];
    if (start?.type !== "start") throw new Error("expected start");
    const stored = await server.request("GET", `/accounts/demo/reports/${start.message_id}`);
    expect(stored.status).toBe(200);
    expect(stored.body.text).toBe(text);
    expect(stored.body.report).toMatchObject({
      title: "Compare our pet allowance and our parking arrangements",
      gaps: ["Our pet allowance", "Our parking arrangements"],
    });
    expect(stored.body.report.sections).toHaveLength(2);

    const metadata = events.find((event) => event.type === "metadata");
    expect(metadata).toMatchObject({
      child_agents: expect.arrayContaining([expect.objectContaining({ status: "success" })]),
    });
  });

  it("answers 404 for a message that is not a report, and for another account's report", async () => {
    const chat = await server.request("POST", "/accounts/demo/agents/simple-chat/chat", {
      body: { message: "hi" },
    });
    const notReport = await server.request("GET", `/accounts/demo/reports/${chat.body.message_id}`);
    expect(notReport.status).toBe(404);
    expect(notReport.body.error.code).toBe("REPORT_NOT_FOUND");

    const research = await server.request("POST", "/accounts/demo/agents/deep-research/chat", {
      body: { message: "What is our onboarding process?" },
    });
    const created = await server.request("POST", "/accounts", {
      key: server.adminKey,
      body: { slug: "report-outsider", name: "Outsider", tier: "budget" },
    });
    const foreign = await server.request(
      "GET",
      `/accounts/report-outsider/reports/${research.body.message_id}`,
      {
        key: created.body.api_key,
      },
    );
    expect(foreign.status).toBe(404);
  });
});
