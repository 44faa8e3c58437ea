import type { LanguageModelV3FunctionTool } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { readMessageFacts } from "../../../src/models/offline/message-facts.ts";
import { chooseToolCalls } from "../../../src/models/offline/tool-choice.ts";

const functionTool = (name: string, properties: Record<string, unknown>, required: string[]) =>
  ({
    type: "function",
    name,
    inputSchema: { type: "object", properties, required },
  }) as LanguageModelV3FunctionTool;

const options = { agentName: undefined, delegates: [], maxFanOut: 3 };

describe("readMessageFacts", () => {
  it("reads contact details off a message", () => {
    expect(
      readMessageFacts(
        "Hi, my name is Ann Lee from Acme. Mail ann@acme.io or call +49 30 1234567, site https://acme.io.",
      ),
    ).toEqual({
      name: "Ann Lee",
      company: "Acme",
      email: "ann@acme.io",
      phone: "+49 30 1234567",
      url: "https://acme.io",
    });
  });

  it('does not take ordinary words after "I\'m" for a name', () => {
    expect(readMessageFacts("I'm looking for a cheaper plan").name).toBeUndefined();
    expect(readMessageFacts("I'm Interested in the Pro plan").name).toBeUndefined();
  });
});

describe("chooseToolCalls", () => {
  it("calls a tool only when all its required arguments come from the message", () => {
    const tools = [
      functionTool("capture_lead", { email: { type: "string", format: "email" }, name: { type: "string" } }, [
        "email",
      ]),
      functionTool("lookup_order", { order_id: { type: "string" } }, ["order_id"]),
      functionTool("current_time", {}, []),
    ];

    expect(
      chooseToolCalls({ tools, toolChoice: undefined, userText: "Reach me at bo@example.com", options }),
    ).toEqual([{ toolName: "capture_lead", input: { email: "bo@example.com" } }]);
    expect(
      chooseToolCalls({ tools, toolChoice: undefined, userText: "Where is my order?", options }),
    ).toEqual([]);
  });

  it("fills an enum argument from a word of the message", () => {
    const tools = [
      functionTool("set_tier", { tier: { type: "string", enum: ["budget", "enterprise"] } }, ["tier"]),
    ];

    expect(
      chooseToolCalls({ tools, toolChoice: undefined, userText: "Move us to Enterprise", options }),
    ).toEqual([{ toolName: "set_tier", input: { tier: "enterprise" } }]);
  });

  it("respects toolChoice none and a named tool", () => {
    const tools = [
      functionTool("search_knowledge", { query: { type: "string" } }, ["query"]),
      functionTool("search_products", { query: { type: "string" } }, ["query"]),
    ];
    const userText = "What does the Team plan cost?";

    expect(chooseToolCalls({ tools, toolChoice: { type: "none" }, userText, options })).toEqual([]);
    expect(
      chooseToolCalls({
        tools,
        toolChoice: { type: "tool", toolName: "search_products" },
        userText,
        options,
      }),
    ).toEqual([{ toolName: "search_products", input: { query: "Team plan" } }]);
  });

  it("routes a part to the delegate it names, else to the first delegate", () => {
    const tools = [
      functionTool("ask_agent", { agent_name: { type: "string" }, input_text: { type: "string" } }, [
        "agent_name",
        "input_text",
      ]),
    ];
    const delegating = { ...options, delegates: ["researcher", "writer"] };

    expect(
      chooseToolCalls({
        tools,
        toolChoice: undefined,
        userText: "Research solar panels, then ask writer to draft a summary.",
        options: delegating,
      }).map((call) => call.input),
    ).toEqual([
      { agent_name: "researcher", input_text: "Research solar panels" },
      { agent_name: "writer", input_text: "Ask writer to draft a summary." },
    ]);
  });
});
