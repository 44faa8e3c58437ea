/** Words that carry no product meaning in a catalog question. */
const FILLER_WORDS = new Set(
  (
    "a an the is are was be do does did can could would will should i me my we our us you your it its " +
    "this that these those there here what which who how much many for of in on at to from by and or " +
    "with without about any some all please tell show give get need want like have has had include " +
    "includes including come comes per each one just also than then if so as send see know find look " +
    "looking interested wondering"
  ).split(" "),
);

/**
 * Words that ask about the catalog in general ("what plans do you offer?"), not about one product.
 * A question made only of these gets the whole catalog; next to a product word they only break ties.
 */
const CATALOG_WORDS = new Set(
  (
    "plan plans product products price prices pricing priced cost costs package packages tier tiers " +
    "subscription subscriptions option options edition editions catalog catalogue list offer offers " +
    "offering offerings sell sold available sku skus item items cheap cheaper cheapest expensive " +
    "affordable deal deals buy purchase quote quotes"
  ).split(" "),
);

export interface SearchTerms {
  /** Words that name or describe a product: what a match must contain. */
  specific: string[];
  /** Catalog words of the query. */
  general: string[];
  /** Whitespace-separated tokens that could be a SKU as typed ("PRO-49"). */
  skuTokens: string[];
}

/** "plans" → "plan", "companies" → "company"; never below three letters. */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us")) {
    return word.slice(0, -1);
  }
  return word;
}

export function searchTerms(query: string): SearchTerms {
  const words = [...query.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)].map((match) => match[0]);
  const specific = new Set<string>();
  const general = new Set<string>();
  for (const word of words) {
    if (FILLER_WORDS.has(word) || word.length < 2) continue;
    if (CATALOG_WORDS.has(word)) general.add(stem(word));
    else specific.add(stem(word));
  }
  const skuTokens = query
    .split(/\s+/)
    .map((token) => token.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, ""))
    .filter((token) => /^[A-Za-z0-9._-]{1,64}$/.test(token));
  return { specific: [...specific], general: [...general], skuTokens: [...new Set(skuTokens)] };
}

/**
 * A case-insensitive whole-word pattern for a stemmed term and its plural forms, for Postgres'
 * `~*`: "plan" finds "Plan" and "plans" but "pro" does not find "professional".
 * Terms are letters and digits only, so nothing in them is a regex operator.
 */
export function wordPattern(term: string): string {
  const base = term.endsWith("y") ? `(${term}|${term.slice(0, -1)}ies)` : term;
  return `\\m${base}(e?s)?\\M`;
}
