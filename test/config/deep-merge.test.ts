import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deepMerge } from "../../src/config/deep-merge.ts";

const jsonObject = fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.jsonValue(), {
  maxKeys: 6,
}) as fc.Arbitrary<Record<string, unknown>>;

describe("deepMerge", () => {
  it("merges nested objects, replaces arrays and scalars", () => {
    const template = { limits: { max_steps: 5, timeout_seconds: 120 }, tools: ["a", "b"], temperature: 0.7 };
    const merged = deepMerge(template, { limits: { max_steps: 2 }, tools: ["c"], temperature: 0.1 });
    expect(merged).toEqual({
      limits: { max_steps: 2, timeout_seconds: 120 },
      tools: ["c"],
      temperature: 0.1,
    });
    // The template is not mutated: it is shared by every instance of the type.
    expect(template.limits.max_steps).toBe(5);
  });

  it("removes a key given as null so the default applies again", () => {
    expect(deepMerge({ temperature: 0.7, model: "x" }, { temperature: null })).toEqual({ model: "x" });
  });

  it("ignores prototype-polluting keys", () => {
    const overrides = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as Record<string, unknown>;
    const merged = deepMerge({}, overrides);
    expect(merged).toEqual({ ok: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("has the empty object as identity on both sides (property)", () => {
    fc.assert(
      fc.property(jsonObject, (value) => {
        const withoutNulls = deepMerge({}, value);
        expect(deepMerge(withoutNulls, {})).toEqual(withoutNulls);
        expect(deepMerge({}, withoutNulls)).toEqual(withoutNulls);
      }),
    );
  });

  it("lets every non-null top-level override win (property)", () => {
    fc.assert(
      fc.property(jsonObject, jsonObject, (base, overrides) => {
        const merged = deepMerge(base, overrides);
        for (const [key, value] of Object.entries(overrides)) {
          if (value === null || key === "__proto__") continue;
          const isObject = typeof value === "object" && !Array.isArray(value);
          if (!isObject) expect(merged[key]).toEqual(value);
        }
      }),
    );
  });
});
