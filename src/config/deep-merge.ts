type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Template ⊕ overrides: objects merge key by key, arrays and scalars replace, and an explicit
 * `null` removes the key so the template's (or the schema's) default applies again.
 */
export function deepMerge(base: PlainObject, overrides: PlainObject): PlainObject {
  const result: PlainObject = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    // Prototype keys in tenant JSON must never reach an object's prototype chain.
    if (key === "__proto__" || key === "constructor" || key === "prototype") continue;
    if (value === null) {
      delete result[key];
    } else if (isPlainObject(value) && isPlainObject(result[key])) {
      result[key] = deepMerge(result[key] as PlainObject, value);
    } else {
      result[key] = value;
    }
  }
  return result;
}
