import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../support/test-server.ts";
import { startServerWithWire, type WireServer } from "../support/wire-test-server.ts";

describe("simple-chat keeps a long thread: history window plus a rolling summary", () => {
  let wire: WireServer;
  let server: TestServer;

  beforeAll(async () => {
    ({ server, wire } = await startServerWithWire());
    await server.request("PUT", "/accounts/demo/agents/simple-chat/config", {
      body: { model: "openai-compatible:wire-model", limits: { max_history_turns: 1 } },
    });
  });
  afterAll(async () => {
    await server?.close();
    await wire?.close();
  });

  async function say(message: string, conversationId?: string) {
    wire.enqueue({ kind: "text", text: `Noted: ${message}` });
    const response = await server.request("POST", "/accounts/demo/agents/simple-chat/chat", {
      body: conversationId ? { message, conversation_id: conversationId } : { message },
    });
    expect(response.status).toBe(200);
    return response.body;
  }

  it("remembers a fact from a turn that left the window through the summary", async () => {
    const first = await say("My favourite colour is teal and I live in Lisbon.");
    const conversationId = first.conversation_id;
    await say("I work as a carpenter.", conversationId);
    await say("I have two cats.", conversationId);
    await say("What do you remember about me?", conversationId);

    const sent = (wire.requests.at(-1)?.body.messages ?? []).map((message) =>
      JSON.stringify(message.content),
    );
    // The window holds one earlier turn ("two cats"); the first turn only survives in the summary.
    // Same representation as the check below, so that check cannot pass by a change of format.
    expect(sent.some((content) => content === JSON.stringify("I have two cats."))).toBe(true);
    expect(
      sent.some((content) => content === JSON.stringify("My favourite colour is teal and I live in Lisbon.")),
    ).toBe(false);
    const summary = sent.find((content) => content.includes("(Summary of the earlier conversation)"));
    expect(summary).toContain("teal");
  });

  it("sends no summary while the conversation still fits the window", async () => {
    const first = await say("Short thread.");
    await say("Still short.", first.conversation_id);
    const sent = JSON.stringify(wire.requests.at(-1)?.body.messages ?? []);
    expect(sent).not.toContain("(Summary of the earlier conversation)");
    expect(sent).toContain("Short thread.");
  });
});
