import { APICallError, embed, generateText, isStepCount, streamText, tool } from "ai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError } from "../../src/errors/app-error.ts";
import { createModelRegistry, ModelNotAvailableError } from "../../src/models/model-registry.ts";
import { loadModelSettings, type ModelSettings } from "../../src/models/model-settings.ts";
import { type OpenAiWireServer, startOpenAiWireServer } from "../support/openai-wire-server.ts";

const OPENAI_KEY = "sk-test-openai-0123456789abcdef";
const ANTHROPIC_KEY = "sk-ant-test-0123456789abcdef";

async function caught(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

function settingsError(env: NodeJS.ProcessEnv): string {
  try {
    loadModelSettings(env);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error("expected loadModelSettings to throw");
}

describe("loadModelSettings", () => {
  it("runs on the offline model and hashing embedder when no provider is configured", () => {
    expect(loadModelSettings({})).toEqual<ModelSettings>({
      openaiApiKey: null,
      openaiBaseUrl: null,
      anthropicApiKey: null,
      anthropicBaseUrl: null,
      openaiCompatibleBaseUrl: null,
      openaiCompatibleApiKey: null,
      defaultModel: "offline",
      embeddingModel: "offline",
      offlineChunkDelayMs: 0,
    });
  });

  it("treats empty variables as unset", () => {
    const settings = loadModelSettings({
      OPENAI_API_KEY: "",
      OPENAI_BASE_URL: " ",
      SWITCHBOARD_DEFAULT_MODEL: "",
    });
    expect(settings.openaiApiKey).toBeNull();
    expect(settings.defaultModel).toBe("offline");
  });

  it("picks a default model from the configured provider", () => {
    expect(loadModelSettings({ OPENAI_API_KEY: OPENAI_KEY }).defaultModel).toBe("openai:gpt-4o-mini");
    expect(loadModelSettings({ ANTHROPIC_API_KEY: ANTHROPIC_KEY }).defaultModel).toBe(
      "anthropic:claude-3-5-haiku-latest",
    );
    expect(
      loadModelSettings({ OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY }).defaultModel,
    ).toBe("openai:gpt-4o-mini");
  });

  it("stays offline for an OpenAI-compatible server unless a default model is named", () => {
    const base = { OPENAI_COMPATIBLE_BASE_URL: "http://localhost:11434/v1" };
    expect(loadModelSettings(base).defaultModel).toBe("offline");
    const named = loadModelSettings({ ...base, SWITCHBOARD_DEFAULT_MODEL: "openai-compatible:llama3.2" });
    expect(named.defaultModel).toBe("openai-compatible:llama3.2");
    expect(named.openaiCompatibleApiKey).toBeNull();
  });

  it("canonicalises the offline model id and reads the chunk delay", () => {
    const settings = loadModelSettings({
      SWITCHBOARD_DEFAULT_MODEL: "switchboard:offline",
      SWITCHBOARD_OFFLINE_CHUNK_DELAY_MS: "25",
    });
    expect(settings.defaultModel).toBe("offline");
    expect(settings.offlineChunkDelayMs).toBe(25);
  });

  it("rejects a bad base URL naming the variable, without echoing the secret in it", () => {
    const message = settingsError({
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_BASE_URL: "ftp://sk-url-secret@example.com",
    });
    expect(message).toMatch(/^Invalid configuration:\n {2}OPENAI_BASE_URL: /);
    expect(message).not.toContain("sk-url-secret");
    expect(message).not.toContain(OPENAI_KEY);
  });

  it("rejects a malformed key without printing it", () => {
    const message = settingsError({ ANTHROPIC_API_KEY: "sk-ant-secret\nextra" });
    expect(message).toContain("ANTHROPIC_API_KEY: must not contain whitespace");
    expect(message).not.toContain("sk-ant-secret");
  });

  it("rejects default and embedding ids that name no usable model, every variable at once", () => {
    const message = settingsError({
      OPENAI_API_KEY: OPENAI_KEY,
      SWITCHBOARD_DEFAULT_MODEL: "gpt-4o",
      SWITCHBOARD_EMBEDDING_MODEL: "anthropic:voyage",
      SWITCHBOARD_OFFLINE_CHUNK_DELAY_MS: "-5",
    });
    expect(message).toContain('SWITCHBOARD_DEFAULT_MODEL: must be "offline" or "provider:model"');
    expect(message).toContain("SWITCHBOARD_EMBEDDING_MODEL:");
    expect(message).toContain("SWITCHBOARD_OFFLINE_CHUNK_DELAY_MS:");
    expect(message).not.toContain(OPENAI_KEY);
  });

  it("rejects a default model whose provider is not configured, saying how to configure it", () => {
    const message = settingsError({ SWITCHBOARD_DEFAULT_MODEL: "anthropic:claude-3-5-sonnet-latest" });
    expect(message).toContain("SWITCHBOARD_DEFAULT_MODEL");
    expect(message).toContain("ANTHROPIC_API_KEY");
    expect(settingsError({ SWITCHBOARD_DEFAULT_MODEL: "mistral:large" })).toContain(
      'unknown provider "mistral"',
    );
  });
});

describe("createModelRegistry", () => {
  const offline = createModelRegistry(loadModelSettings({}));

  it("resolves default and offline to the offline model, which answers without a network", async () => {
    for (const id of ["default", "offline", "switchboard:offline"]) {
      const model = offline.languageModel(id);
      expect(model.provider).toBe("switchboard");
      expect(model.modelId).toBe("offline");
    }
    const result = await generateText({ model: offline.languageModel("default"), prompt: "Hello there" });
    expect(result.text.length).toBeGreaterThan(0);
  });

  it("resolves the effective id: allowed override > config model > default", () => {
    const registry = createModelRegistry(loadModelSettings({ OPENAI_API_KEY: OPENAI_KEY }));
    expect(registry.resolveModelId("default")).toBe("openai:gpt-4o-mini");
    expect(registry.resolveModelId("openai:gpt-4o")).toBe("openai:gpt-4o");
    expect(registry.resolveModelId("openai:gpt-4o", "offline")).toBe("offline");
    expect(registry.resolveModelId("openai:gpt-4o", "switchboard:offline", true)).toBe("offline");
    expect(registry.resolveModelId("openai:gpt-4o", "default")).toBe("openai:gpt-4o-mini");
    expect(registry.resolveModelId("openai:gpt-4o", "offline", false)).toBe("openai:gpt-4o");
    expect(registry.resolveModelId("offline", "")).toBe("offline");
    expect(registry.isOffline("default")).toBe(false);
    expect(registry.isOffline("switchboard:offline")).toBe(true);
    expect(offline.isOffline("default")).toBe(true);
  });

  it("refuses unconfigured and unknown providers with MODEL_NOT_AVAILABLE", () => {
    const cases: Array<[string, string]> = [
      ["openai:gpt-4o", "OPENAI_API_KEY"],
      ["anthropic:claude-3-5-haiku-latest", "ANTHROPIC_API_KEY"],
      ["openai-compatible:llama3.2", "OPENAI_COMPATIBLE_BASE_URL"],
      ["mistral:large", 'unknown provider "mistral"'],
      ["gpt-4o", '"provider:model"'],
      ["switchboard:genius", 'only offers "offline"'],
    ];
    for (const [id, hint] of cases) {
      const error = (() => {
        try {
          offline.languageModel(id);
        } catch (caughtError) {
          return caughtError;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(ModelNotAvailableError);
      expect(AppError.isInstance(error)).toBe(true);
      if (!ModelNotAvailableError.isInstance(error)) throw new Error("unreachable");
      expect(error.code).toBe("MODEL_NOT_AVAILABLE");
      expect(error.modelId).toBe(id);
      expect(error.message).toContain(id);
      expect(error.message).toContain(hint);
    }
  });

  it("builds configured provider models without calling them", () => {
    const registry = createModelRegistry(
      loadModelSettings({ OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_API_KEY: ANTHROPIC_KEY }),
    );
    expect(registry.languageModel("default").modelId).toBe("gpt-4o-mini");
    expect(registry.languageModel("anthropic:claude-3-5-haiku-latest").provider).toMatch(/^anthropic/);
  });

  it("embeds with the 384-dimension hashing embedder by default", async () => {
    expect(offline.embeddingModelId()).toBe("offline");
    const { embedding } = await embed({ model: offline.embeddingModel(), value: "refund policy" });
    expect(embedding).toHaveLength(384);
    expect(Math.hypot(...embedding)).toBeCloseTo(1, 5);
  });

  it("uses a provider embedding model when one is configured", () => {
    const registry = createModelRegistry(
      loadModelSettings({
        OPENAI_API_KEY: OPENAI_KEY,
        SWITCHBOARD_EMBEDDING_MODEL: "openai:text-embedding-3-small",
      }),
    );
    expect(registry.embeddingModelId()).toBe("openai:text-embedding-3-small");
    expect(registry.embeddingModel().modelId).toBe("text-embedding-3-small");
  });

  it("describes providers and models without secrets", () => {
    const registry = createModelRegistry(
      loadModelSettings({
        OPENAI_API_KEY: OPENAI_KEY,
        ANTHROPIC_API_KEY: ANTHROPIC_KEY,
        OPENAI_COMPATIBLE_BASE_URL:
          "https://router-user:url-password@openrouter.example/api/v1/?key=query-secret",
        OPENAI_COMPATIBLE_API_KEY: "compat-secret-key",
      }),
    );
    const description = registry.describe();
    expect(description.defaultModel).toBe("openai:gpt-4o-mini");
    expect(description.embeddingModel).toBe("offline");
    expect(description.providers).toEqual([
      { id: "openai", baseUrl: null },
      { id: "anthropic", baseUrl: null },
      { id: "openai-compatible", baseUrl: "https://openrouter.example/api/v1" },
      { id: "switchboard", baseUrl: null },
    ]);
    const text = JSON.stringify(description);
    for (const secret of [OPENAI_KEY, ANTHROPIC_KEY, "compat-secret-key", "url-password", "query-secret"]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe("openai-compatible models over the wire", () => {
  let server: OpenAiWireServer;
  let registry: ReturnType<typeof createModelRegistry>;

  beforeAll(async () => {
    server = await startOpenAiWireServer();
    registry = createModelRegistry(
      loadModelSettings({
        OPENAI_COMPATIBLE_BASE_URL: server.baseUrl,
        OPENAI_COMPATIBLE_API_KEY: "local-wire-key",
        SWITCHBOARD_DEFAULT_MODEL: "openai-compatible:llama-wire",
      }),
    );
  });
  afterAll(async () => {
    await server.close();
  });

  const lastRequest = () => {
    const request = server.requests.at(-1);
    if (request === undefined) throw new Error("the wire server received no request");
    return request;
  };

  it("streams the scripted text in several deltas and reports the usage chunk", async () => {
    const text = "Refunds are accepted within 30 days of purchase.";
    server.enqueue({ kind: "text", text, chunkSize: 6, usage: { prompt_tokens: 21, completion_tokens: 9 } });

    const result = streamText({
      model: registry.languageModel("default"),
      prompt: "What is the refund policy?",
    });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);

    expect(deltas.join("")).toBe(text);
    expect(deltas.length).toBeGreaterThan(1);
    const usage = await result.usage;
    expect(usage.inputTokens).toBe(21);
    expect(usage.outputTokens).toBe(9);
    expect(usage.totalTokens).toBe(30);
    expect(await result.finishReason).toBe("stop");

    const request = lastRequest();
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.headers.authorization).toBe("Bearer local-wire-key");
    expect(request.body).toMatchObject({
      model: "llama-wire",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "What is the refund policy?" }],
    });
  });

  it("assembles fragmented tool-call arguments, runs the tool and sends its result back", async () => {
    server.enqueue({
      kind: "tool-calls",
      calls: [{ name: "get_weather", arguments: { city: "Zürich", unit: "celsius" } }],
    });
    server.enqueue({ kind: "text", text: "It is 21 degrees in Zürich." });
    const execute = vi.fn(async ({ city }: { city: string; unit: "celsius" | "fahrenheit" }) => ({
      city,
      temperature: 21,
    }));
    const firstRequestIndex = server.requests.length;

    const result = streamText({
      model: registry.languageModel("openai-compatible:llama-wire"),
      system: "Answer briefly.",
      prompt: "How warm is it in Zürich?",
      tools: {
        get_weather: tool({
          description: "Current weather for a city",
          inputSchema: z.object({ city: z.string(), unit: z.enum(["celsius", "fahrenheit"]) }),
          execute,
        }),
      },
      stopWhen: isStepCount(3),
    });

    expect(await result.text).toBe("It is 21 degrees in Zürich.");
    expect(execute).toHaveBeenCalledTimes(1);
    expect(execute.mock.calls[0]?.[0]).toEqual({ city: "Zürich", unit: "celsius" });
    const steps = await result.steps;
    expect(steps).toHaveLength(2);
    expect(steps[0]?.finishReason).toBe("tool-calls");

    const [first, second] = server.requests.slice(firstRequestIndex);
    expect(first?.body.model).toBe("llama-wire");
    expect(first?.body.messages?.map((message) => message.role)).toEqual(["system", "user"]);
    expect(first?.body.tools).toEqual([
      expect.objectContaining({
        type: "function",
        function: expect.objectContaining({
          name: "get_weather",
          description: "Current weather for a city",
          parameters: expect.objectContaining({ required: ["city", "unit"] }),
        }),
      }),
    ]);
    const toolMessage = second?.body.messages?.find((message) => message.role === "tool");
    const toolCallId = steps[0]?.toolCalls[0]?.toolCallId;
    expect(toolCallId).toBeDefined();
    expect(toolMessage?.tool_call_id).toBe(toolCallId);
    expect(JSON.parse(String(toolMessage?.content))).toEqual({ city: "Zürich", temperature: 21 });
  });

  it("handles non-streamed completions, tool calls included", async () => {
    server.enqueue({ kind: "tool-calls", calls: [{ name: "lookup", arguments: { sku: "A-1" } }] });
    server.enqueue({
      kind: "text",
      text: "A-1 costs 10 EUR.",
      usage: { prompt_tokens: 30, completion_tokens: 6 },
    });
    const result = await generateText({
      model: registry.languageModel("default"),
      prompt: "Price of A-1?",
      tools: {
        lookup: tool({
          inputSchema: z.object({ sku: z.string() }),
          execute: async ({ sku }) => ({ sku, price: 10 }),
        }),
      },
      stopWhen: isStepCount(2),
    });
    expect(result.text).toBe("A-1 costs 10 EUR.");
    expect(result.steps[0]?.toolCalls[0]?.input).toEqual({ sku: "A-1" });
    expect(result.steps.at(-1)?.usage.outputTokens).toBe(6);
    expect(result.steps.at(-1)?.usage.inputTokens).toBe(30);
    expect(lastRequest().body.stream).not.toBe(true);
  });

  it.each([429, 500] as const)("surfaces HTTP %i as an APICallError with the status", async (status) => {
    server.enqueue({ kind: "error", status, message: `scripted failure ${status}` });
    const error = await caught(
      generateText({ model: registry.languageModel("default"), prompt: "hello", maxRetries: 0 }),
    );
    expect(APICallError.isInstance(error)).toBe(true);
    if (!APICallError.isInstance(error)) throw error;
    expect(error.statusCode).toBe(status);
    expect(error.message).toContain(`scripted failure ${status}`);
    expect(error.isRetryable).toBe(true);
    if (status === 429) expect(error.responseHeaders?.["retry-after"]).toBe("1");
  });

  it("fails loudly when a test forgot to enqueue a reply", async () => {
    const error = await caught(
      generateText({ model: registry.languageModel("default"), prompt: "hello", maxRetries: 0 }),
    );
    expect(APICallError.isInstance(error) && error.message).toContain("no reply enqueued");
  });
});

describe("aborted streams", () => {
  let server: OpenAiWireServer;
  let registry: ReturnType<typeof createModelRegistry>;

  beforeAll(async () => {
    server = await startOpenAiWireServer();
    registry = createModelRegistry(
      loadModelSettings({
        OPENAI_COMPATIBLE_BASE_URL: server.baseUrl,
        SWITCHBOARD_DEFAULT_MODEL: "openai-compatible:slow",
      }),
    );
  });
  afterAll(async () => {
    await server.close();
    expect(server.openSockets()).toBe(0);
  });

  it("cuts off a stalled stream when the abort signal fires", async () => {
    server.enqueue({ kind: "stall" });
    const requestIndex = server.requests.length;
    const started = Date.now();
    const onAbort = vi.fn();
    const result = streamText({
      model: registry.languageModel("default"),
      prompt: "hello",
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(300),
      onAbort,
    });
    const partTypes: string[] = [];
    for await (const part of result.fullStream) partTypes.push(part.type);

    // Generous bound: "promptly" means long before any HTTP or test timeout, not a benchmark.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(partTypes).toContain("abort");
    expect(partTypes).not.toContain("text-delta");
    expect(onAbort).toHaveBeenCalledTimes(1);
    expect(await caught(result.text)).toMatchObject({ name: "TimeoutError" });
    expect(await server.requests[requestIndex]?.outcome).toBe("aborted");
  });

  it("stops a slow stream mid-way, keeping the deltas that arrived", async () => {
    const text = "one two three four five six seven eight nine ten";
    server.enqueue({ kind: "text", text, chunkSize: 4, delayMs: 40 });
    const requestIndex = server.requests.length;
    const result = streamText({
      model: registry.languageModel("default"),
      prompt: "count slowly",
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(150),
    });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);

    expect(deltas.length).toBeGreaterThan(0);
    expect(text.startsWith(deltas.join(""))).toBe(true);
    expect(deltas.join("")).not.toBe(text);
    expect(await server.requests[requestIndex]?.outcome).toBe("aborted");
  });

  it("leaves no open sockets once closed, even with a stream still stalled", async () => {
    const lonely = await startOpenAiWireServer();
    lonely.enqueue({ kind: "stall" });
    const lonelyRegistry = createModelRegistry(
      loadModelSettings({
        OPENAI_COMPATIBLE_BASE_URL: lonely.baseUrl,
        SWITCHBOARD_DEFAULT_MODEL: "openai-compatible:slow",
      }),
    );
    const result = streamText({
      model: lonelyRegistry.languageModel("default"),
      prompt: "hello",
      maxRetries: 0,
    });
    const firstPart = result.fullStream[Symbol.asyncIterator]().next();
    await firstPart;
    await vi.waitFor(() => expect(lonely.requests).toHaveLength(1));
    expect(lonely.openSockets()).toBeGreaterThan(0);

    await lonely.close();
    expect(lonely.openSockets()).toBe(0);
    expect(await lonely.requests[0]?.outcome).toBe("aborted");
    // The client sees the connection drop instead of hanging forever.
    expect(await caught(result.text)).toBeInstanceOf(Error);
  });
});
