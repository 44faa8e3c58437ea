/** FNV-1a (32-bit) over UTF-16 code units: cheap, stable across runs and platforms. */
export function fnv1a32(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Ids derived from content instead of randomness, so the same prompt gives the same ids. */
export function stableId(prefix: string, ...parts: ReadonlyArray<string | number>): string {
  const hash = fnv1a32(parts.join("\u0000"));
  return `${prefix}_${hash.toString(16).padStart(8, "0")}`;
}
