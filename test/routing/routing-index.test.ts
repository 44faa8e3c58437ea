import { describe, expect, it } from "vitest";
import { createRoutingIndexStore, instancesFingerprint } from "../../src/routing/routing-index.ts";
import { instanceOf, oneInstancePerType } from "./support/template-instances.ts";

describe("routing index store", () => {
  it("embeds an unchanged account once and returns the same index after", () => {
    const store = createRoutingIndexStore();
    const first = store.indexFor("acme", oneInstancePerType());
    expect(store.profileBuilds).toBe(5);
    const second = store.indexFor("acme", oneInstancePerType());
    expect(second).toBe(first);
    expect(store.profileBuilds).toBe(5);
  });

  it("shares profiles between accounts left on the templates' routing sections", () => {
    const store = createRoutingIndexStore();
    store.indexFor("acme", oneInstancePerType());
    store.indexFor("globex", oneInstancePerType());
    expect(store.profileBuilds).toBe(5);
  });

  it("rebuilds on a version bump, re-embedding only the instance whose routing changed", () => {
    const store = createRoutingIndexStore();
    const first = store.indexFor("acme", oneInstancePerType());
    const changed = oneInstancePerType().map((instance) =>
      instance.type === "sales"
        ? instanceOf("sales", { version: 2, overrides: { routing: { description: "Anvils and hammers." } } })
        : instance,
    );
    const second = store.indexFor("acme", changed);
    expect(second).not.toBe(first);
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect(store.profileBuilds).toBe(6);
    // A bump that leaves the routing-relevant config alone re-embeds nothing.
    const temperatureOnly = oneInstancePerType().map((instance) =>
      instance.type === "simple-chat"
        ? instanceOf("simple-chat", { version: 7, overrides: { temperature: 0.1 } })
        : instance,
    );
    store.indexFor("acme", temperatureOnly);
    expect(store.profileBuilds).toBe(6);
  });

  it("drops the least recently routed account beyond its bound", () => {
    const store = createRoutingIndexStore({ maxAccounts: 2 });
    const acme = store.indexFor("acme", oneInstancePerType());
    store.indexFor("globex", oneInstancePerType());
    store.indexFor("initech", oneInstancePerType());
    expect(store.indexFor("acme", oneInstancePerType())).not.toBe(acme);
  });

  it("fingerprints active instances by id and version, in any order", () => {
    const [first, second] = [instanceOf("sales"), instanceOf("simple-chat")];
    expect(instancesFingerprint([first, second])).toBe(instancesFingerprint([second, first]));
    expect(instancesFingerprint([first, { ...second, status: "inactive" }])).toBe(
      instancesFingerprint([first]),
    );
    expect(instancesFingerprint([{ ...first, version: 2 }])).not.toBe(instancesFingerprint([first]));
  });
});
