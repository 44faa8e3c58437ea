import type { MessageFacts } from "./message-facts.ts";
import { cleanText } from "./text-terms.ts";

export type ArgumentSources = {
  /** Values decided by the policy itself, by property name (the query of a search tool, say). */
  given: Readonly<Record<string, unknown>>;
  facts: MessageFacts;
  message: string;
};

export type FilledArguments = {
  input: Record<string, unknown>;
  /** How many values were actually read off the message, as opposed to defaults. */
  readFromMessage: number;
};

const FACT_ALIASES: ReadonlyArray<[keyof MessageFacts, ReadonlyArray<string>]> = [
  ["email", ["email", "emailaddress", "contactemail", "mail", "useremail", "customeremail"]],
  ["phone", ["phone", "phonenumber", "telephone", "mobile", "contactphone"]],
  ["name", ["name", "fullname", "customername", "contactname", "username", "leadname"]],
  ["url", ["url", "website", "link", "homepage", "site"]],
  ["company", ["company", "companyname", "organization", "organisation", "business", "employer"]],
];
const FORMAT_FACTS: Readonly<Record<string, keyof MessageFacts>> = {
  email: "email",
  "idn-email": "email",
  uri: "url",
  url: "url",
  "iri-reference": "url",
};
const QUERY_NAMES = new Set(["query", "question", "q", "search", "searchquery", "keywords", "topic"]);
const FREE_TEXT_NAMES = new Set([
  "message",
  "notes",
  "note",
  "comment",
  "comments",
  "details",
  "inquiry",
  "interest",
  "request",
  "context",
]);

/**
 * Fills a tool's JSON-schema input from what is known. Returns undefined when a required
 * property cannot be filled: a tool is never called with made-up arguments.
 */
export function fillArguments(schema: unknown, sources: ArgumentSources): FilledArguments | undefined {
  const properties = isRecord(schema) && isRecord(schema.properties) ? schema.properties : {};
  const required = new Set(
    isRecord(schema) && Array.isArray(schema.required)
      ? schema.required.filter((name): name is string => typeof name === "string")
      : [],
  );
  const input: Record<string, unknown> = {};
  let readFromMessage = 0;
  for (const [name, propertySchema] of Object.entries(properties)) {
    const isRequired = required.has(name);
    const resolved = resolveProperty(
      name,
      isRecord(propertySchema) ? propertySchema : {},
      isRequired,
      sources,
    );
    if (resolved === undefined) {
      if (isRequired) return undefined;
      continue;
    }
    input[name] = resolved.value;
    if (resolved.fromMessage) readFromMessage += 1;
  }
  for (const name of required) {
    if (!(name in input)) return undefined;
  }
  return { input, readFromMessage };
}

type Resolved = { value: unknown; fromMessage: boolean };

function resolveProperty(
  name: string,
  schema: Record<string, unknown>,
  isRequired: boolean,
  sources: ArgumentSources,
): Resolved | undefined {
  if (sources.given[name] !== undefined) return { value: sources.given[name], fromMessage: false };
  if ("const" in schema) return { value: schema.const, fromMessage: false };
  const key = name.toLowerCase().replace(/[^a-z0-9]/gu, "");
  if (acceptsString(schema)) {
    const fact = factFor(key, schema, sources.facts);
    if (fact !== undefined) return { value: fact, fromMessage: true };
    const option = enumOptionIn(schema, sources.message);
    if (option !== undefined) return { value: option, fromMessage: true };
    const text = cleanText(sources.message);
    if (text.length > 0 && !Array.isArray(schema.enum)) {
      if (isRequired && QUERY_NAMES.has(key)) return { value: text, fromMessage: true };
      // Context for a record (lead notes, say) is welcome but never the reason to call a tool.
      if (!isRequired && FREE_TEXT_NAMES.has(key)) return { value: text, fromMessage: false };
    }
  }
  if (isRequired && "default" in schema) return { value: schema.default, fromMessage: false };
  return undefined;
}

function factFor(key: string, schema: Record<string, unknown>, facts: MessageFacts): string | undefined {
  const byFormat = typeof schema.format === "string" ? FORMAT_FACTS[schema.format] : undefined;
  if (byFormat !== undefined) return facts[byFormat];
  for (const [fact, aliases] of FACT_ALIASES) {
    if (aliases.includes(key)) return facts[fact];
  }
  return undefined;
}

function enumOptionIn(schema: Record<string, unknown>, message: string): string | undefined {
  if (!Array.isArray(schema.enum)) return undefined;
  const lowered = message.toLowerCase();
  for (const option of schema.enum) {
    if (typeof option !== "string" || option.length === 0) continue;
    const escaped = option.toLowerCase().replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
    if (new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "u").test(lowered)) return option;
  }
  return undefined;
}

function acceptsString(schema: Record<string, unknown>): boolean {
  const type = schema.type;
  if (type === undefined) return true;
  if (typeof type === "string") return type === "string";
  return Array.isArray(type) && type.includes("string");
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
