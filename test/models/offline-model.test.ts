import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { UnsupportedFunctionalityError } from "@ai-sdk/provider";
import { generateText, isStepCount, Output, streamText, tool } from "ai";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { promptToText } from "../../src/models/offline/prompt-view.ts";
import { countTokens, createOfflineModel } from "../../src/models/offline-model.ts";

const refundDocuments = {
  results: [
    {
      title: "Refund policy",
      source: "kb://refunds",
      content:
        "Our office is open on weekdays. Refunds are accepted within 30 days of purchase. Shipping is free above 50 EUR.",
    },
    { title: "Office", source: "kb://office", content: "The office is in Berlin, next to the river." },
  ],
};

function knowledgeTool(results: unknown = refundDocuments) {
  const queries: string[] = [];
  const searchKnowledge = tool({
    description: "Search the agent's knowledge base",
    inputSchema: z.object({ query: z.string(), limit: z.number().int().optional() }),
    execute: async ({ query }) => {
      queries.push(query);
      return results;
    },
  });
  return { searchKnowledge, queries };
}

function delegationTool() {
  const inputs: Array<{ agent_name: string; input_text: string }> = [];
  const askAgent = tool({
    description: "Ask another agent",
    inputSchema: z.object({ agent_name: z.string(), input_text: z.string() }),
    execute: async (input) => {
      inputs.push(input);
      return { agent: input.agent_name, text_response: `${input.input_text} is a relational database.` };
    },
  });
  return { askAgent, inputs };
}

function leadTool() {
  const leads: unknown[] = [];
  const captureLead = tool({
    description: "Record a sales lead",
    inputSchema: z.object({ email: z.email(), name: z.string().optional() }),
    execute: async (input) => {
      leads.push(input);
      return { status: "ok", message: "Lead saved" };
    },
  });
  return { captureLead, leads };
}

async function readAll<T>(stream: ReadableStream<T>): Promise<T[]> {
  const parts: T[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

const switchboard = (options: { agentName?: string; delegates?: string[]; maxFanOut?: number }) => ({
  switchboard: options,
});

describe("offline model with the AI SDK", () => {
  it("searches the knowledge base with the user's words, then answers with a citation and sources", async () => {
    const { searchKnowledge, queries } = knowledgeTool();
    const result = await generateText({
      model: createOfflineModel(),
      tools: { search_knowledge: searchKnowledge },
      prompt: "What is the refund policy?",
      stopWhen: isStepCount(3),
    });

    expect(result.steps[0]?.toolCalls.map((call) => call.toolName)).toEqual(["search_knowledge"]);
    expect(queries).toEqual(["What is the refund policy"]);
    expect(result.text).toContain("Refunds are accepted within 30 days of purchase [1].");
    expect(result.text).not.toContain("Berlin");
    expect(result.text).toMatch(/Sources:\n\[1\] Refund policy \(kb:\/\/refunds\)$/);
    expect(result.finishReason).toBe("stop");
  });

  it("says plainly that nothing was found when the results are unrelated", async () => {
    const { searchKnowledge } = knowledgeTool({
      results: [{ title: "Office", content: "The office is in Berlin, next to the river." }],
    });
    const result = await generateText({
      model: createOfflineModel(),
      tools: { search_knowledge: searchKnowledge },
      prompt: "Tell me about quantum gravity",
      stopWhen: isStepCount(3),
    });

    expect(result.text).toContain('Nothing was found about "quantum gravity"');
    expect(result.text).not.toContain("[1]");
    expect(result.text).not.toContain("Berlin");
  });

  it("asks a delegate once per compared item, in the same step", async () => {
    const { askAgent, inputs } = delegationTool();
    const result = await generateText({
      model: createOfflineModel(),
      tools: { ask_agent: askAgent },
      prompt: "Compare Postgres and MySQL",
      providerOptions: switchboard({ delegates: ["db-expert", "other"] }),
      stopWhen: isStepCount(3),
    });

    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]?.toolCalls.map((call) => call.input)).toEqual([
      { agent_name: "db-expert", input_text: "Postgres" },
      { agent_name: "db-expert", input_text: "MySQL" },
    ]);
    expect(inputs).toHaveLength(2);
    expect(result.text).toBe(
      "### Postgres\n\nPostgres is a relational database.\n\n### MySQL\n\nMySQL is a relational database.",
    );
  });

  it("caps the fan-out and merges the overflow into the last part", async () => {
    const { askAgent } = delegationTool();
    const result = await generateText({
      model: createOfflineModel(),
      tools: { ask_agent: askAgent },
      prompt: "Summarise the refund policy. Explain shipping. List the plans.",
      providerOptions: switchboard({ delegates: ["helper"], maxFanOut: 2 }),
      stopWhen: isStepCount(3),
    });

    expect(result.steps[0]?.toolCalls.map((call) => call.input)).toEqual([
      { agent_name: "helper", input_text: "Summarise the refund policy." },
      { agent_name: "helper", input_text: "Explain shipping. List the plans." },
    ]);
  });

  it("does not delegate when no delegates are configured, and says so honestly", async () => {
    const { askAgent, inputs } = delegationTool();
    const result = await generateText({
      model: createOfflineModel(),
      tools: { ask_agent: askAgent },
      prompt: "Compare Postgres and MySQL",
      providerOptions: switchboard({ agentName: "Router Bot" }),
      stopWhen: isStepCount(3),
    });

    expect(inputs).toHaveLength(0);
    expect(result.text).toContain('You asked: "Compare Postgres and MySQL"');
    expect(result.text).toContain("Router Bot");
  });

  it("captures a lead with the e-mail address found in the message", async () => {
    const { captureLead, leads } = leadTool();
    const result = await generateText({
      model: createOfflineModel(),
      tools: { capture_lead: captureLead },
      prompt: "I'm Ann Lee, please reach me at ann.lee@example.com about the Pro plan.",
      stopWhen: isStepCount(3),
    });

    expect(result.steps[0]?.toolCalls.map((call) => call.toolName)).toEqual(["capture_lead"]);
    expect(leads).toEqual([{ email: "ann.lee@example.com", name: "Ann Lee" }]);
    expect(result.text).toContain("The tool capture_lead completed: Lead saved.");
  });

  it("does not capture a lead when the message has no e-mail address", async () => {
    const { captureLead, leads } = leadTool();
    const result = await generateText({
      model: createOfflineModel(),
      tools: { capture_lead: captureLead },
      prompt: "I'm Ann and I would like to know more about the Pro plan.",
      providerOptions: switchboard({ agentName: "Sales" }),
      stopWhen: isStepCount(3),
    });

    expect(leads).toHaveLength(0);
    expect(result.steps).toHaveLength(1);
    expect(result.text).toContain("I am Sales");
  });

  it("looks up products for price questions and quotes the price verbatim", async () => {
    const productQueries: string[] = [];
    const searchProducts = tool({
      inputSchema: z.object({ query: z.string() }),
      execute: async ({ query }) => {
        productQueries.push(query);
        return [
          {
            sku: "PRO-1",
            name: "Pro plan",
            price: "49.00",
            currency: "USD",
            description: "Includes ten seats.",
          },
          {
            sku: "TEAM-1",
            name: "Team plan",
            price: "99.00",
            currency: "USD",
            description: "For larger teams.",
          },
        ];
      },
    });
    const { searchKnowledge } = knowledgeTool({ results: [] });
    const result = await generateText({
      model: createOfflineModel(),
      tools: { search_knowledge: searchKnowledge, search_products: searchProducts },
      prompt: "How much does the Pro plan cost?",
      stopWhen: isStepCount(3),
    });

    expect(result.steps[0]?.toolCalls.map((call) => call.toolName)).toEqual([
      "search_knowledge",
      "search_products",
    ]);
    expect(productQueries).toEqual(["Pro plan"]);
    expect(result.text).toContain("Pro plan — 49.00 USD [1].");
    expect(result.text).toContain("[1] Pro plan (PRO-1)");
    expect(result.text).not.toContain("99.00");
  });

  it("does not search products for questions that are not about products", async () => {
    const searchProducts = tool({ inputSchema: z.object({ query: z.string() }), execute: async () => [] });
    const result = await generateText({
      model: createOfflineModel(),
      tools: { search_products: searchProducts },
      prompt: "Where is your office?",
      stopWhen: isStepCount(3),
    });

    expect(result.steps).toHaveLength(1);
    expect(result.steps[0]?.toolCalls).toEqual([]);
  });

  it("reports a failing tool honestly instead of inventing an answer", async () => {
    const searchKnowledge = tool({
      inputSchema: z.object({ query: z.string() }),
      execute: async (): Promise<string> => {
        throw new Error("vector store unavailable");
      },
    });
    const result = await generateText({
      model: createOfflineModel(),
      tools: { search_knowledge: searchKnowledge },
      prompt: "What is the refund policy?",
      stopWhen: isStepCount(3),
    });

    expect(result.text).toContain("The tool search_knowledge failed: vector store unavailable.");
    expect(result.text).toContain('Nothing was found about "refund policy"');
  });

  it("reports a result with status error as a failure", async () => {
    const { searchKnowledge } = knowledgeTool({ status: "error", message: "index is rebuilding" });
    const result = await generateText({
      model: createOfflineModel(),
      tools: { search_knowledge: searchKnowledge },
      prompt: "What is the refund policy?",
      stopWhen: isStepCount(3),
    });

    expect(result.text).toContain("The tool search_knowledge failed: index is rebuilding.");
  });

  it("replies without tools by restating the request and naming the agent", async () => {
    const result = await generateText({
      model: createOfflineModel(),
      system: "You are a helpful assistant.",
      prompt: "Write a poem about the sea",
      providerOptions: switchboard({ agentName: "Poet" }),
    });

    expect(result.text).toContain('You asked: "Write a poem about the sea".');
    expect(result.text).toContain("I am Poet");
    expect(result.text).toContain("Open-ended generation needs a configured model");

    const anonymous = await generateText({ model: createOfflineModel(), prompt: "Hello there" });
    expect(anonymous.text).toContain("This agent is answering");
  });

  it("ignores provider options of the wrong shape", async () => {
    const result = await generateText({
      model: createOfflineModel(),
      prompt: "Hello",
      providerOptions: { switchboard: { agentName: 42, delegates: "nobody", maxFanOut: -1 } },
    });

    expect(result.text).toContain("This agent is answering");
  });

  it("calls tools again on a new turn after earlier tool results", async () => {
    const { searchKnowledge, queries } = knowledgeTool();
    const model = createOfflineModel();
    const first = await generateText({
      model,
      tools: { search_knowledge: searchKnowledge },
      prompt: "What is the refund policy?",
      stopWhen: isStepCount(3),
    });
    const second = await generateText({
      model,
      tools: { search_knowledge: searchKnowledge },
      messages: [
        { role: "user", content: "What is the refund policy?" },
        ...first.response.messages,
        { role: "user", content: "Is shipping free?" },
      ],
      stopWhen: isStepCount(3),
    });

    expect(queries).toEqual(["What is the refund policy", "Is shipping free"]);
    expect(second.text).toContain("Shipping is free above 50 EUR [1].");
    const firstIds = first.steps[0]?.toolCalls.map((call) => call.toolCallId);
    const secondIds = second.steps[0]?.toolCalls.map((call) => call.toolCallId);
    expect(secondIds).not.toEqual(firstIds);
  });

  it("streams one word per text delta, adding up to the final text", async () => {
    const { searchKnowledge } = knowledgeTool();
    const result = streamText({
      model: createOfflineModel(),
      tools: { search_knowledge: searchKnowledge },
      prompt: "What is the refund policy?",
      stopWhen: isStepCount(3),
    });
    const deltas: string[] = [];
    for await (const part of result.fullStream) {
      if (part.type === "text-delta") deltas.push(part.text);
    }

    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.every((delta) => /^\S+\s*$/u.test(delta))).toBe(true);
    expect(deltas.join("")).toBe(await result.text);
  });

  it("reports usage counted with countTokens on both sides", async () => {
    const system = "You are a helpful assistant.";
    const prompt = "Write a poem about the sea, please!";
    const result = await generateText({ model: createOfflineModel(), system, prompt });

    expect(result.usage.inputTokens).toBe(countTokens(system) + countTokens(prompt));
    expect(result.usage.outputTokens).toBe(countTokens(result.text));
    expect(result.usage.outputTokens).toBeGreaterThan(0);
  });

  it("counts tool results in the input and tool inputs in the output", async () => {
    const { searchKnowledge } = knowledgeTool();
    const result = await generateText({
      model: createOfflineModel(),
      tools: { search_knowledge: searchKnowledge },
      prompt: "What is the refund policy?",
      stopWhen: isStepCount(3),
    });
    const [first, second] = result.steps;

    expect(first?.usage.outputTokens).toBe(countTokens(JSON.stringify(first?.toolCalls[0]?.input)));
    expect(second?.usage.inputTokens).toBeGreaterThan(countTokens(JSON.stringify(refundDocuments)));
    expect(second?.usage.outputTokens).toBe(countTokens(result.text));
  });

  it("gives the same answer and the same tool call ids for the same input", async () => {
    const run = async () => {
      const { askAgent } = delegationTool();
      return generateText({
        model: createOfflineModel(),
        tools: { ask_agent: askAgent },
        prompt: "Compare Postgres and MySQL",
        providerOptions: switchboard({ delegates: ["db-expert"] }),
        stopWhen: isStepCount(3),
      });
    };
    const [first, second] = [await run(), await run()];

    expect(second.text).toBe(first.text);
    expect(second.steps[0]?.toolCalls.map((call) => call.toolCallId)).toEqual(
      first.steps[0]?.toolCalls.map((call) => call.toolCallId),
    );
    expect(new Set(first.steps[0]?.toolCalls.map((call) => call.toolCallId)).size).toBe(2);
  });

  it("rejects structured output with UnsupportedFunctionalityError", async () => {
    const request = generateText({
      model: createOfflineModel(),
      prompt: "Route this message",
      output: Output.object({ schema: z.object({ type: z.string() }) }),
    });

    await expect(request).rejects.toSatisfy((error) => UnsupportedFunctionalityError.isInstance(error));
  });
});

describe("offline model streaming", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const callOptions = (options: Partial<LanguageModelV3CallOptions> = {}): LanguageModelV3CallOptions => ({
    prompt: [
      { role: "user", content: [{ type: "text", text: "Write a long poem about the sea and the sky" }] },
    ],
    ...options,
  });

  it("uses no timers at all without a chunk delay", async () => {
    vi.useFakeTimers();
    const { stream } = await createOfflineModel().doStream(callOptions());
    const parts = await readAll(stream);

    expect(parts[0]?.type).toBe("stream-start");
    expect(parts.at(-1)?.type).toBe("finish");
  });

  it("counts the whole prompt as input", async () => {
    const options = callOptions({
      prompt: [
        { role: "system", content: "Be brief." },
        { role: "user", content: [{ type: "text", text: "Write a long poem about the sea and the sky" }] },
      ],
    });
    const { stream } = await createOfflineModel().doStream(options);
    const parts = await readAll(stream);
    const finish = parts.find((part) => part.type === "finish");

    expect(finish?.type === "finish" && finish.usage.inputTokens.total).toBe(
      countTokens(promptToText(options.prompt)),
    );
  });

  it("stops a slow stream promptly when the call is aborted", async () => {
    const controller = new AbortController();
    const { stream } = await createOfflineModel({ chunkDelayMs: 20 }).doStream(
      callOptions({ abortSignal: controller.signal }),
    );
    const reader = stream.getReader();
    const received: LanguageModelV3StreamPart[] = [];
    let failure: unknown;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received.push(value);
        if (received.filter((part) => part.type === "text-delta").length === 2) controller.abort();
      }
    } catch (error) {
      failure = error;
    }

    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).name).toBe("AbortError");
    expect(received.filter((part) => part.type === "text-delta")).toHaveLength(2);
    expect(received.some((part) => part.type === "finish")).toBe(false);
  });

  it("ends streamText early when its abort signal fires", async () => {
    const controller = new AbortController();
    const result = streamText({
      model: createOfflineModel({ chunkDelayMs: 20 }),
      prompt: "Write a long poem about the sea and the sky",
      abortSignal: controller.signal,
    });
    const deltas: string[] = [];
    const types: string[] = [];
    try {
      for await (const part of result.fullStream) {
        types.push(part.type);
        if (part.type === "text-delta") {
          deltas.push(part.text);
          if (deltas.length === 3) controller.abort();
        }
      }
    } catch (error) {
      expect((error as Error).name).toBe("AbortError");
    }

    expect(deltas.length).toBeLessThanOrEqual(4);
    expect(types).not.toContain("finish");
  });
});
