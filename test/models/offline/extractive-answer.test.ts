import { describe, expect, it } from "vitest";
import { composeExtractiveAnswer } from "../../../src/models/offline/extractive-answer.ts";
import type { PromptView, TurnToolResult } from "../../../src/models/offline/prompt-view.ts";
import { countTokens } from "../../../src/models/offline/tokens.ts";

const view = (userText: string, toolResults: TurnToolResult[]): PromptView => ({
  userText,
  toolCalls: [],
  toolResults,
  messageCount: 3,
});

const jsonResult = (toolName: string, value: unknown): TurnToolResult =>
  ({
    toolCallId: `call-${toolName}`,
    toolName,
    output: { type: "json", value },
    call: undefined,
  }) as TurnToolResult;

describe("composeExtractiveAnswer", () => {
  it("numbers citations per distinct source and keeps the sources' order", () => {
    const answer = composeExtractiveAnswer(
      view("How long do refunds take and is shipping free?", [
        jsonResult("search_knowledge", [
          { title: "Shipping", url: "https://x.test/shipping", text: "Shipping is free in the EU." },
          { title: "Refunds", snippet: "Refunds take five days. Refunds of shipping costs take longer." },
        ]),
      ]),
    );

    expect(answer).toBe(
      "Shipping is free in the EU [1]. Refunds take five days [2]. Refunds of shipping costs take longer [2].\n\n" +
        "Sources:\n[1] Shipping (https://x.test/shipping)\n[2] Refunds",
    );
  });

  it("reads passages from nested result lists and plain text output", () => {
    const nested = composeExtractiveAnswer(
      view("Which regions are supported?", [
        jsonResult("search_knowledge", {
          data: { items: [{ name: "Regions", description: "Supported regions are EU and US." }] },
        }),
      ]),
    );
    const text = composeExtractiveAnswer(
      view("Which regions are supported?", [
        {
          toolCallId: "1",
          toolName: "web_search",
          output: { type: "text", value: "Supported regions are EU and US." },
          call: undefined,
        },
      ]),
    );

    expect(nested).toContain("Supported regions are EU and US [1].\n\nSources:\n[1] Regions");
    expect(text).toContain("[1] web_search");
  });

  it("reports denied and failed tools next to what was found", () => {
    const answer = composeExtractiveAnswer(
      view("Is shipping free?", [
        jsonResult("search_knowledge", [{ title: "Shipping", content: "Shipping is free in the EU." }]),
        { toolCallId: "2", toolName: "send_email", output: { type: "execution-denied" }, call: undefined },
        {
          toolCallId: "3",
          toolName: "crm",
          output: { type: "error-json", value: { error: { message: "timeout" } } },
          call: undefined,
        },
      ]),
    );

    expect(answer).toContain("The tool send_email was not run.\nThe tool crm failed: timeout.");
    expect(answer.endsWith("Sources:\n[1] Shipping")).toBe(true);
  });

  it("puts a failed delegation under its part's heading", () => {
    const answer = composeExtractiveAnswer(
      view("Compare A and B", [
        {
          toolCallId: "1",
          toolName: "ask_agent",
          output: { type: "json", value: { text_response: "A is fast." } },
          call: { toolCallId: "1", toolName: "ask_agent", input: { agent_name: "x", input_text: "A" } },
        },
        {
          toolCallId: "2",
          toolName: "ask_agent",
          output: { type: "error-text", value: "DepthLimitExceeded: too deep" },
          call: { toolCallId: "2", toolName: "ask_agent", input: { agent_name: "x", input_text: "B" } },
        },
      ]),
    );

    expect(answer).toBe(
      "### A\n\nA is fast.\n\n### B\n\nThe tool ask_agent failed: DepthLimitExceeded: too deep.",
    );
  });
});

describe("countTokens", () => {
  it("counts word runs and punctuation runs", () => {
    expect(countTokens("")).toBe(0);
    expect(countTokens("Pro plan — 49.00 USD.")).toBe(8);
    expect(countTokens("héllo, wörld!!")).toBe(4);
    expect(countTokens("a b") + countTokens("c")).toBe(countTokens("a b\nc"));
  });
});

describe("composeExtractiveAnswer for products", () => {
  const catalogue = jsonResult("search_products", {
    products: [
      { sku: "S-1", name: "Starter", price: 0, currency: "EUR", description: "Free for one user." },
      { sku: "P-1", name: "Pro plan", price: "49.00", currency: "USD", description: "Ten seats." },
    ],
  });

  it("lists every priced product for a question about the catalogue as a whole", () => {
    expect(composeExtractiveAnswer(view("What plans do you offer?", [catalogue]))).toBe(
      "Starter — 0 EUR [1]. Pro plan — 49.00 USD [2].\n\nSources:\n[1] Starter (S-1)\n[2] Pro plan (P-1)",
    );
  });

  it("answers a question about one product with that product only", () => {
    const answer = composeExtractiveAnswer(view("How much is the Pro plan?", [catalogue]));
    expect(answer).toContain("Pro plan — 49.00 USD [1].");
    expect(answer).not.toContain("Starter");
  });
});
