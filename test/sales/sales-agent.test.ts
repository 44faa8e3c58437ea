import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readStream, textOf } from "../support/sse-client.ts";
import { BACKENDS, startTestServer, type TestServer } from "../support/test-server.ts";
import { createSalesAccount, quotedPrices, SHOP_CATALOG } from "./support/sales-fixtures.ts";

const QUESTIONS = [
  "What are you hoping to achieve with the product?",
  "How many people on your team would use it?",
  "What is your timeline for getting started?",
];

/** The sales agent on the offline model, over HTTP: catalog prices, leads, qualification, isolation. */
describe.each(BACKENDS)("the sales agent on %s", (backend) => {
  let server: TestServer;
  let shopKey: string;
  let rivalKey: string;

  beforeAll(async () => {
    server = await startTestServer(backend);
    shopKey = await createSalesAccount(server, "shop", { catalog: SHOP_CATALOG });
    rivalKey = await createSalesAccount(server, "rival");
  });
  afterAll(async () => {
    await server?.close();
  });

  const chat = (message: string, conversationId?: string, account = "shop", key = shopKey) =>
    server.request("POST", `/accounts/${account}/agents/${account}-sales/chat`, {
      key,
      body: conversationId ? { message, conversation_id: conversationId } : { message },
    });
  const leadsOf = async (account = "shop", key = shopKey) =>
    (await server.request("GET", `/accounts/${account}/leads`, { key })).body.leads;

  it("quotes the exact catalog price of the product asked about, and no other price", async () => {
    const response = await chat("How much is the Pro plan?");
    expect(response.status).toBe(200);
    expect(response.body.metadata.model).toBe("offline");
    expect(response.body.text).toContain("Pro plan — 49.00 USD");
    expect(quotedPrices(response.body.text)).toEqual(["49.00 USD"]);
    expect(response.body.metadata.extra.unverified_prices).toEqual([]);
  });

  it("lists the catalog with its prices for a general question", async () => {
    const response = await chat("What plans do you offer?");
    expect(quotedPrices(response.body.text)).toEqual(["19.00 USD", "49.00 USD", "249.50 USD"]);
  });

  it("asks the template's qualification questions with the first quote, once per conversation", async () => {
    const first = await chat("How much is the Enterprise plan?");
    expect(first.body.text).toContain("249.50 USD");
    expect(first.body.text).toContain("Before I prepare a quote:");
    for (const question of QUESTIONS) expect(first.body.text).toContain(question);
    expect(first.body.metadata.extra.qualification_asked).toEqual(QUESTIONS);
    // The questions come after the answer, never in place of it.
    expect(first.body.text.indexOf("249.50 USD")).toBeLessThan(first.body.text.indexOf("Before I prepare"));

    const followUp = await chat("And how much is the Starter plan?", first.body.conversation_id);
    expect(followUp.body.text).toContain("19.00 USD");
    expect(followUp.body.text).not.toContain("Before I prepare a quote");
    expect(followUp.body.metadata.extra.qualification_asked).toBeUndefined();

    const askedForQuote = await chat("Could you send me a quote?");
    expect(askedForQuote.body.text).toContain("Before I prepare a quote:");

    const smallTalk = await chat("Do you have an office in Berlin?");
    expect(smallTalk.body.text).not.toContain("Before I prepare a quote");
  });

  it("says nothing was found for a product not in the catalog, and quotes no price", async () => {
    const response = await chat("How much is the Hyperdrive plan?");
    expect(response.status).toBe(200);
    expect(response.body.text).toMatch(/nothing was found about "Hyperdrive plan"/i);
    expect(quotedPrices(response.body.text)).toEqual([]);
    expect(response.body.text).not.toContain("Before I prepare a quote");
  });

  it("captures a lead with a valid e-mail once per conversation, listed for its own account only", async () => {
    const first = await chat("I'd like a demo, my email is jane@example.com");
    expect(first.body.text).toContain("Lead captured for jane@example.com");
    const again = await chat(
      "My name is Jane Doe and my email is Jane@Example.com",
      first.body.conversation_id,
    );
    expect(again.body.text).toContain("updated");

    const leads = await leadsOf();
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({
      email: "jane@example.com",
      name: "Jane Doe",
      agent: "shop-sales",
      conversation_id: first.body.conversation_id,
    });
    expect(leads[0].interest).toContain("Jane Doe");
    expect(await leadsOf("rival", rivalKey)).toEqual([]);

    const later = await chat("Please have someone call me, sam@northwind.com");
    expect(later.body.text).toContain("Lead captured for sam@northwind.com");
    expect((await leadsOf()).map((lead: { email: string }) => lead.email)).toEqual([
      "sam@northwind.com",
      "jane@example.com",
    ]);
  });

  it("reports an invalid e-mail as the capture_lead error, and stores nothing", async () => {
    const before = (await leadsOf()).length;
    const streamed = await readStream(`${server.baseUrl}/accounts/shop/agents/shop-sales/stream`, {
      key: shopKey,
      body: { message: "I'd like a demo, my email is jane@" },
    });
    const result = streamed.events.find((event) => event.type === "tool_result");
    expect(result).toMatchObject({
      tool_name: "capture_lead",
      output: { status: "error", code: "INVALID_LEAD", message: expect.stringContaining('"jane@"') },
    });
    const text = textOf(streamed.events);
    expect(text).toContain("I couldn't record your contact details");
    expect(text).toContain('"jane@" is not a valid e-mail address');
    expect(await leadsOf()).toHaveLength(before);

    const noAddress = await chat("I'd like a demo, my email is");
    expect(noAddress.body.text).toContain("an e-mail address is required");
    expect(await leadsOf()).toHaveLength(before);
  });

  it("never shows one account's products to another account's sales agent", async () => {
    const response = await chat("How much is the Pro plan?", undefined, "rival", rivalKey);
    expect(response.status).toBe(200);
    expect(response.body.text).not.toContain("49.00");
    expect(response.body.text).toMatch(/nothing was found/i);
    const ownCatalog = await server.request("GET", "/accounts/rival/products?q=pro", { key: rivalKey });
    expect(ownCatalog.body.products).toEqual([]);
  });
});
