import type { AgentConfig } from "../config/agent-config.ts";
import { ROUTING_DIMENSIONS, routingTerms, routingVector } from "./routing-text.ts";
import { type SparseVector, sparseCentroid, toSparse } from "./sparse-vector.ts";

/**
 * What the fast stage needs about one instance's routing config. It depends only on the config,
 * not on the instance, so every instance left on its template's routing section shares one.
 */
export interface RoutingProfile {
  readonly examples: readonly SparseVector[];
  readonly exampleTexts: readonly string[];
  /** The shared direction of the description and every example. */
  readonly centroid: SparseVector;
  /** Every term of the description and examples: how many of a message's words this instance knows. */
  readonly vocabulary: ReadonlySet<string>;
  /** Each keyword as its stemmed term sequence. */
  readonly keywords: readonly (readonly string[])[];
  /** Terms of what it can do (knowledge topics, tools, delegates, tags), for choosing within a type. */
  readonly capabilityTerms: ReadonlySet<string>;
}

/** The parts of a config that shape its profile, as a stable string: equal keys, equal profiles. */
export function routingProfileKey(config: AgentConfig): string {
  return JSON.stringify([
    config.routing.description.trim() || config.description,
    config.routing.examples,
    config.routing.keywords,
    config.knowledge_base.topics,
    config.tags,
    config.tools,
    config.delegates,
  ]);
}

export function buildRoutingProfile(config: AgentConfig): RoutingProfile {
  const descriptionText = config.routing.description.trim() || config.description;
  const description = routingVector(descriptionText);
  const examples = config.routing.examples.map((example) => routingVector(example));
  // "billing" and "billed" stem alike: one stem sequence counts once.
  const keywordsByStem = new Map<string, string[]>();
  for (const keyword of config.routing.keywords) {
    const terms = routingTerms(keyword);
    if (terms.length > 0) keywordsByStem.set(terms.join(" "), terms);
  }
  const keywords = [...keywordsByStem.values()];
  const capabilityText = [
    ...config.knowledge_base.topics,
    ...config.tags,
    ...config.tools.map((tool) => tool.replaceAll("_", " ")),
    ...config.delegates
      .filter((delegate) => delegate !== "*")
      .map((delegate) => delegate.replaceAll("-", " ")),
  ].join(" ");
  return {
    examples: examples.map(toSparse),
    exampleTexts: config.routing.examples,
    centroid: sparseCentroid([description, ...examples], ROUTING_DIMENSIONS),
    vocabulary: new Set([descriptionText, ...config.routing.examples].flatMap((text) => routingTerms(text))),
    keywords,
    capabilityTerms: new Set(routingTerms(capabilityText)),
  };
}
