import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAiWireServer } from "../support/openai-wire-server.ts";
import { readStream, textOf } from "../support/sse-client.ts";
import { BACKENDS, baseTestSettings, startTestServer, type TestServer } from "../support/test-server.ts";
import type { WireServer } from "../support/wire-test-server.ts";
import { createSalesAccount, SHOP_CATALOG } from "./support/sales-fixtures.ts";

/** The sales agent on a real provider wire format: what a model that could invent things does. */
describe.each(BACKENDS)("sales safeguards with a provider model on %s", (backend) => {
  let wire: WireServer;
  let server: TestServer;
  let key: string;

  beforeAll(async () => {
    wire = await startOpenAiWireServer();
    const models = { ...baseTestSettings().models, openaiCompatibleBaseUrl: wire.baseUrl };
    server = await startTestServer(backend, { models, modelMaxRetries: 0 });
    key = await createSalesAccount(server, "wired", { catalog: SHOP_CATALOG });
    const configured = await server.request("PUT", "/accounts/wired/agents/wired-sales/config", {
      key,
      body: { model: "openai-compatible:wire-model" },
    });
    expect(configured.status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
    await wire?.close();
  });

  const stream = (message: string) =>
    readStream(`${server.baseUrl}/accounts/wired/agents/wired-sales/stream`, { key, body: { message } });
  const metadataOf = (events: Awaited<ReturnType<typeof stream>>["events"]) => {
    const metadata = events.find((event) => event.type === "metadata");
    if (metadata?.type !== "metadata") throw new Error("no metadata event");
    return metadata;
  };

  it("flags a price that no catalog result gave, without rewriting what was streamed", async () => {
    wire.enqueue({ kind: "tool-calls", calls: [{ name: "search_products", arguments: { query: "Pro" } }] });
    const invented = "The Pro plan is 49.00 USD a month, or $39 a month billed annually.";
    wire.enqueue({ kind: "text", text: invented });
    const streamed = await stream("How much is Pro?");
    const text = textOf(streamed.events);
    expect(text.startsWith(invented)).toBe(true);
    expect(metadataOf(streamed.events).extra).toMatchObject({ unverified_prices: ["$39"] });
    // The catalog price was quoted, so the qualification questions follow.
    expect(text).toContain("Before I prepare a quote:");
  });

  it("flags every price when the model quotes without looking anything up", async () => {
    wire.enqueue({ kind: "text", text: "Pro costs 49.00 USD." });
    const streamed = await stream("How much is Pro?");
    expect(metadataOf(streamed.events).extra).toMatchObject({ unverified_prices: ["49.00 USD"] });
    expect(textOf(streamed.events)).not.toContain("Before I prepare a quote");
  });

  it("get_product returns the product with its exact price, or PRODUCT_NOT_FOUND", async () => {
    wire.enqueue({
      kind: "tool-calls",
      calls: [
        { name: "get_product", arguments: { sku: "enterprise" } },
        { name: "get_product", arguments: { sku: "warp-drive" } },
      ],
    });
    wire.enqueue({ kind: "text", text: "Enterprise is 249.50 USD; there is no warp drive." });
    const streamed = await stream("Enterprise price, and the warp drive?");
    const results = streamed.events.filter((event) => event.type === "tool_result");
    const outputs = results.map((event) => (event.type === "tool_result" ? event.output : null));
    // The two calls run in parallel: their results arrive in either order.
    expect(outputs).toHaveLength(2);
    expect(outputs).toEqual(
      expect.arrayContaining([
        {
          sku: "enterprise",
          name: "Enterprise plan",
          description: SHOP_CATALOG[2]?.description,
          price: "249.50",
          currency: "USD",
          attributes: SHOP_CATALOG[2]?.attributes,
        },
        {
          status: "error",
          code: "PRODUCT_NOT_FOUND",
          message: 'No product with SKU "warp-drive" is in the catalog',
        },
      ]),
    );
    expect(metadataOf(streamed.events).extra).toMatchObject({ unverified_prices: [] });
  });

  it("capture_lead refuses an invalid lead with INVALID_LEAD and stores nothing", async () => {
    wire.enqueue({
      kind: "tool-calls",
      calls: [{ name: "capture_lead", arguments: { email: "jane@", name: "x".repeat(201) } }],
    });
    wire.enqueue({ kind: "text", text: "That address looks incomplete." });
    const streamed = await stream("I'm Jane, reach me at jane@");
    const result = streamed.events.find((event) => event.type === "tool_result");
    expect(result).toMatchObject({
      tool_name: "capture_lead",
      output: { status: "error", code: "INVALID_LEAD" },
    });
    const message = result?.type === "tool_result" ? (result.output as { message: string }).message : "";
    expect(message).toContain('"jane@" is not a valid e-mail address');
    expect(message).toContain("the name must be at most 200 characters");
    // The model called the tool itself and read its error: nothing is added to its answer.
    expect(textOf(streamed.events)).toBe("That address looks incomplete.");
    expect((await server.request("GET", "/accounts/wired/leads", { key })).body.leads).toEqual([]);
  });

  it("captures an address the model ignored, as a visible capture_lead call", async () => {
    wire.enqueue({ kind: "text", text: "Thanks for reaching out!" });
    const streamed = await stream("Please have sales contact me: sam@northwind.com");
    const call = streamed.events.find((event) => event.type === "tool_call");
    expect(call).toMatchObject({ tool_name: "capture_lead", input: { email: "sam@northwind.com" } });
    expect(textOf(streamed.events)).toContain(
      "I've passed your details (sam@northwind.com) to the sales team",
    );
    const leads = (await server.request("GET", "/accounts/wired/leads", { key })).body.leads;
    expect(leads).toEqual([expect.objectContaining({ email: "sam@northwind.com", agent: "wired-sales" })]);
  });
});
