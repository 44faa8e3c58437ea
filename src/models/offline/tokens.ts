/**
 * One token is a run of letters/digits or a run of other non-space characters, so
 * "Pro plan — 49.00 USD." counts as Pro, plan, —, 49, ., 00, USD, . (8 tokens).
 * Input and output are counted with this same function, which keeps usage comparable.
 */
const TOKEN_PATTERN = /[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]+/gu;

export function countTokens(text: string): number {
  let count = 0;
  TOKEN_PATTERN.lastIndex = 0;
  while (TOKEN_PATTERN.exec(text) !== null) {
    count += 1;
  }
  return count;
}
