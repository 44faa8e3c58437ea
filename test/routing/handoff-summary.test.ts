import { describe, expect, it } from "vitest";
import { extractiveSummary, type HandoffMessage, summarizeForHandoff } from "../../src/routing/index.ts";
import {
  answeringModel,
  failingModel,
  GENERATIVE_MODEL_ID,
  routerModels,
  slowModel,
} from "./support/mock-router-models.ts";

const conversation: HandoffMessage[] = [
  { role: "user", content: "Hi there!" },
  { role: "assistant", agent: "simple-chat", content: "Hello! How can I help you today?" },
  {
    role: "user",
    content:
      "We are a team of 45 people at Fernhill Labs. We want to move our customer records into your platform next quarter.",
  },
  {
    role: "assistant",
    agent: "sales",
    content:
      "Thanks for the details. The Business plan costs 19 EUR per seat per month. It includes single sign-on and audit logs.",
  },
  { role: "system", content: "internal: routing metadata that must never reach the summary" },
  { role: "user", content: "Great, thanks. My email is ana@fernhill.io." },
  { role: "user", content: "Now, how should we encrypt the customer records during the migration?" },
];

describe("extractive handoff summary", () => {
  it("keeps the informative sentences, says who said them, and drops pleasantries", () => {
    const summary = extractiveSummary(conversation, { focus: "how do we encrypt customer records" });
    expect(summary).toContain("user: We are a team of 45 people at Fernhill Labs.");
    expect(summary).toContain("sales: ");
    expect(summary).toContain("19 EUR per seat");
    expect(summary).toContain("ana@fernhill.io");
    expect(summary).toContain("encrypt the customer records");
    expect(summary).not.toContain("Hi there");
    expect(summary).not.toContain("How can I help");
    expect(summary).not.toContain("internal");
  });

  it("keeps the conversation's order", () => {
    const summary = extractiveSummary(conversation);
    const team = summary.indexOf("45 people");
    const price = summary.indexOf("19 EUR");
    const encrypt = summary.indexOf("encrypt");
    expect(team).toBeGreaterThanOrEqual(0);
    expect(team).toBeLessThan(price);
    expect(price).toBeLessThan(encrypt);
  });

  it("stays within the length and sentence bounds", () => {
    for (const maxCharacters of [40, 120, 300]) {
      expect(extractiveSummary(conversation, { maxCharacters }).length).toBeLessThanOrEqual(maxCharacters);
    }
    const two = extractiveSummary(conversation, { maxSentences: 2, maxCharacters: 2_000 });
    expect(two.split(/(?<=[.?!])\s/u).length).toBeLessThanOrEqual(2);
  });

  it("cuts a single long sentence at a word boundary rather than returning nothing", () => {
    const long = [
      { role: "user" as const, content: `Please migrate ${"the archived invoices ".repeat(30)}today.` },
    ];
    const summary = extractiveSummary(long, { maxCharacters: 80 });
    expect(summary.length).toBeLessThanOrEqual(80);
    expect(summary).toMatch(/^user: Please migrate the archived invoices .*…$/u);
  });

  it("is empty for an empty conversation", () => {
    expect(extractiveSummary([])).toBe("");
  });
});

describe("summarizeForHandoff", () => {
  it("is extractive without a model", async () => {
    const result = await summarizeForHandoff(conversation);
    expect(result.method).toBe("extractive");
    expect(result.summary).toBe(extractiveSummary(conversation));
  });

  it("uses a generative model's summary when one is configured", async () => {
    const model = answeringModel(
      "Ana (Fernhill Labs, 45 people) was quoted the Business plan; now asks about encryption.",
    );
    const result = await summarizeForHandoff(conversation, {
      models: routerModels(model),
      modelId: GENERATIVE_MODEL_ID,
    });
    expect(result).toEqual({
      method: "model",
      summary: "Ana (Fernhill Labs, 45 people) was quoted the Business plan; now asks about encryption.",
    });
    const prompt = JSON.stringify(model.doGenerateCalls[0]?.prompt);
    expect(prompt).toContain("sales: Thanks for the details.");
    expect(prompt).not.toContain("internal: routing metadata");
  });

  it("never asks the offline model", async () => {
    const models = routerModels(answeringModel("unused"));
    const result = await summarizeForHandoff(conversation, { models, modelId: "offline" });
    expect(result.method).toBe("extractive");
    expect(models.requested).toEqual([]);
  });

  it("falls back to the extractive summary on timeout and on error", async () => {
    const slow = await summarizeForHandoff(conversation, {
      models: routerModels(slowModel(2_000, "too late")),
      modelId: GENERATIVE_MODEL_ID,
      timeoutMs: 50,
    });
    expect(slow.method).toBe("extractive");
    const errors: string[] = [];
    const failed = await summarizeForHandoff(conversation, {
      models: routerModels(failingModel()),
      modelId: GENERATIVE_MODEL_ID,
      onError: (_error, context) => errors.push(context),
    });
    expect(failed.method).toBe("extractive");
    expect(errors).toEqual(["handoff summary model failed"]);
  });

  it("bounds a long model summary too", async () => {
    const model = answeringModel("word ".repeat(500));
    const result = await summarizeForHandoff(conversation, {
      models: routerModels(model),
      modelId: GENERATIVE_MODEL_ID,
      maxCharacters: 100,
    });
    expect(result.summary.length).toBeLessThanOrEqual(100);
  });
});
