/** Something written as an address, complete or not: "jane@example.com", "jane@", "jane@example". */
const ADDRESS_LIKE = /[\p{L}\p{N}._%+-]+@[^\s<>()[\]{}"',;:!?]*/u;
/** "my email is …", "our e-mail address: …": the customer's own address, not a question about one. */
const EMAIL_PHRASE =
  /\b(?:my|our)\s+(?:work\s+|business\s+)?e-?mail(?:\s+address)?(?:\s+is|\s*:)\s*([^\s,;!?]+)?/iu;

/**
 * The e-mail address a customer tried to give, as written, or null when the message gives none.
 * "my email is jane@" gives "jane@": an attempt the agent must answer, not ignore.
 */
export function contactAttempt(message: string): string | null {
  const address = ADDRESS_LIKE.exec(message)?.[0];
  if (address !== undefined) return address.replace(/[.]+$/u, "");
  const phrase = EMAIL_PHRASE.exec(message);
  if (phrase === null) return null;
  return (phrase[1] ?? "").replace(/[.]+$/u, "");
}
