/** Values that can be read off a user message without a language model. */
export type MessageFacts = {
  email?: string;
  name?: string;
  phone?: string;
  url?: string;
  company?: string;
};

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/u;
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"')\]]+/u;
const PHONE = /(?<![\p{L}\p{N}])\+?\d[\d\s().-]{6,}\d(?![\p{L}\p{N}])/u;
// "my name is" is explicit enough to accept lowercase names; the looser "I'm X" needs a capital.
const NAME_EXPLICIT = /\b(?:my name is|my name's|call me)\s+([\p{L}'’-]+(?:\s+[\p{Lu}][\p{L}'’-]+)?)/iu;
const NAME_INTRODUCTION =
  /(?:\bI am|\bI'm|\bI’m|\b[Tt]his is)\s+(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)?)/u;
const COMPANY =
  /\b(?:work (?:at|for)|company is|from)\s+(\p{Lu}[\p{L}\p{N}&'’-]*(?:\.[\p{L}\p{N}]+)*(?:\s+\p{Lu}[\p{L}\p{N}&'’-]*)*)/u;
/\b(?:work (?:at|for)|company is|from)\s+(\p{Lu}[\p{L}\p{N}&.'’-]*(?:\s+\p{Lu}[\p{L}\p{N}&.'’-]*)*)/u;

/** Capitalised words that follow "I'm" in ordinary sentences and are not names. */
const NOT_NAMES = new Set([
  "Interested",
  "Looking",
  "Trying",
  "Not",
  "Just",
  "Here",
  "Sure",
  "Sorry",
  "Happy",
]);

export function readMessageFacts(message: string): MessageFacts {
  const facts: MessageFacts = {};
  const email = EMAIL.exec(message)?.[0]?.replace(/\.$/u, "");
  if (email !== undefined) facts.email = email;
  const url = URL_PATTERN.exec(message)?.[0]?.replace(/[.,;:!?]+$/u, "");
  if (url !== undefined) facts.url = url;
  const withoutAddresses = message.replace(EMAIL, " ").replace(URL_PATTERN, " ");
  const phone = PHONE.exec(withoutAddresses)?.[0];
  if (phone !== undefined && phone.replace(/\D/gu, "").length >= 7) facts.phone = phone.trim();
  const name = readName(message);
  if (name !== undefined) facts.name = name;
  const company = COMPANY.exec(withoutAddresses)?.[1];
  if (company !== undefined && company !== name) facts.company = company.replace(/[.'’-]+$/u, "");
  return facts;
}

function readName(message: string): string | undefined {
  const explicit = NAME_EXPLICIT.exec(message)?.[1];
  if (explicit !== undefined) return trimName(explicit);
  const introduced = NAME_INTRODUCTION.exec(message)?.[1];
  if (introduced === undefined) return undefined;
  const first = introduced.split(/\s+/u)[0] ?? "";
  return NOT_NAMES.has(first) ? undefined : trimName(introduced);
}

function trimName(name: string): string {
  return name
    .split(/\s+/u)
    .filter((word) => !/^(?:and|from|at|with|here)$/iu.test(word))
    .join(" ")
    .replace(/[’'-]+$/u, "");
}
