import { describe, expect, it } from "vitest";
import { createMemoryCacheBackend } from "../../src/cache/memory-cache.ts";
import { createIntentRouter, type RoutableInstance } from "../../src/routing/index.ts";
import { instanceOf, templateRouterConfig } from "./support/template-instances.ts";

const routerConfig = templateRouterConfig({ cache: { enabled: false, ttl_seconds: 300 } });
const question = "How much does the Business plan cost per seat?";

function decide(instances: RoutableInstance[], message = question) {
  return createIntentRouter({ cache: createMemoryCacheBackend().cache }).decide({
    accountId: "acme",
    instances,
    routerConfig,
    message,
  });
}

describe("choosing among instances of the winning type", () => {
  it("picks the instance whose knowledge topics and tags match the message", async () => {
    const instances = [
      instanceOf("simple-chat"),
      instanceOf("sales", { slug: "software-sales", overrides: { tags: ["software", "licenses"] } }),
      instanceOf("sales", {
        slug: "hardware-sales",
        overrides: { tags: ["hardware"], knowledge_base: { topics: ["printers", "scanners"] } },
      }),
    ];
    const decision = await decide(instances, "What does the printer bundle cost?");
    expect(decision).toMatchObject({ agent_type: "sales", instance: "hardware-sales", stage: "fast" });
    expect(decision.reason).toContain("best capability match of 2 sales instances (matched printer)");
    expect(decision.alternatives.map((alternative) => alternative.instance)).toContain("software-sales");
  });

  it("prefers the instance whose own routing examples fit the message", async () => {
    const instances = [
      instanceOf("simple-chat"),
      instanceOf("sales", { slug: "general-sales" }),
      instanceOf("sales", {
        slug: "enterprise-sales",
        overrides: {
          routing: {
            description:
              "Enterprise contracts: volume pricing, procurement, security reviews and legal terms.",
            examples: ["we need a volume quote for 2,000 seats and a procurement contact"],
            keywords: ["procurement", "volume", "enterprise"],
          },
        },
      }),
    ];
    const decision = await decide(instances, "Who handles procurement for a volume quote on 1,500 seats?");
    expect(decision.instance).toBe("enterprise-sales");
  });

  it("among equally capable instances, picks the least loaded", async () => {
    const instances = [
      instanceOf("simple-chat"),
      instanceOf("sales", { slug: "sales-a", inFlight: 4 }),
      instanceOf("sales", { slug: "sales-b", inFlight: 1 }),
      instanceOf("sales", { slug: "sales-c", inFlight: 3 }),
    ];
    const decision = await decide(instances);
    expect(decision.instance).toBe("sales-b");
    expect(decision.reason).toContain("least loaded of 3 equally capable sales instances (1 in flight)");
  });

  it("takes the load from each call's input, not from the cached index", async () => {
    const router = createIntentRouter({ cache: createMemoryCacheBackend().cache });
    const withLoad = (loadA: number, loadB: number) => ({
      accountId: "acme",
      routerConfig,
      message: question,
      instances: [
        instanceOf("simple-chat"),
        instanceOf("sales", { slug: "sales-a", inFlight: loadA }),
        instanceOf("sales", { slug: "sales-b", inFlight: loadB }),
      ],
    });
    expect((await router.decide(withLoad(0, 5))).instance).toBe("sales-a");
    expect((await router.decide(withLoad(5, 0))).instance).toBe("sales-b");
  });

  it("round-robins over equally capable, equally loaded instances, per account and type", async () => {
    const router = createIntentRouter({ cache: createMemoryCacheBackend().cache });
    const instances = [
      instanceOf("simple-chat"),
      instanceOf("sales", { slug: "sales-b" }),
      instanceOf("sales", { slug: "sales-a" }),
      instanceOf("sales", { slug: "sales-c" }),
    ];
    const picks: string[] = [];
    for (let turn = 0; turn < 6; turn += 1) {
      picks.push(
        (await router.decide({ accountId: "acme", instances, routerConfig, message: question })).instance,
      );
    }
    expect(picks).toEqual(["sales-a", "sales-b", "sales-c", "sales-a", "sales-b", "sales-c"]);
    const other = await router.decide({ accountId: "globex", instances, routerConfig, message: question });
    expect(other.instance).toBe("sales-a");
    const lastPick = await router.decide({ accountId: "acme", instances, routerConfig, message: question });
    expect(lastPick.reason).toContain("round robin over 3 equally capable, equally loaded sales instances");
  });

  it("keeps a conversation on its instance instead of re-balancing it", async () => {
    const instances = [
      instanceOf("simple-chat"),
      instanceOf("sales", { slug: "sales-a", inFlight: 9 }),
      instanceOf("sales", { slug: "sales-b", inFlight: 0 }),
    ];
    const decision = await createIntentRouter({ cache: createMemoryCacheBackend().cache }).decide({
      accountId: "acme",
      instances,
      routerConfig,
      message: question,
      currentInstance: "sales-a",
    });
    expect(decision).toMatchObject({ instance: "sales-a", handoff: null });
  });
});
