import type { AgentType } from "../config/agent-config.ts";
import {
  type Calibration,
  type CalibrationFeatures,
  calibratedConfidence,
  FAST_STAGE_CALIBRATION,
} from "./calibration.ts";
import type { IndexedInstance, RoutingIndex } from "./routing-index.ts";
import { containsPhrase, routingTerms, routingVector } from "./routing-text.ts";
import type { ScoredCandidate } from "./routing-types.ts";
import { dotDense } from "./sparse-vector.ts";

/**
 * How the signals add up to one raw score per instance:
 *
 *   score = (example · nearest-example cosine + centroid · centroid cosine) · support
 *           + keyword · (1 − 0.5^matched keywords)
 *
 * The nearest example carries most of the meaning; the centroid (description plus all examples)
 * steadies it against one lucky example; configured keywords are exact, cheap evidence that the
 * hashing embedder blurs. Weights chosen by a small grid search on the tune split.
 */
export interface FastStageWeights {
  example: number;
  centroid: number;
  keyword: number;
}

export const FAST_STAGE_WEIGHTS: FastStageWeights = { example: 1, centroid: 0.25, keyword: 0.2 };

export interface FastCandidate extends ScoredCandidate {
  entry: IndexedInstance;
  /** What the confidence was calibrated from. */
  features: CalibrationFeatures;
  matchedKeywords: string[];
  /** The example closest to the message, for the decision's reason. */
  nearestExample: string | null;
}

export interface FastStageResult {
  /** Every active instance, best first. */
  candidates: FastCandidate[];
  queryTerms: string[];
}

export interface FastStageOptions {
  weights?: FastStageWeights;
  calibration?: Calibration;
}

/** Scores the message against every active instance of the account; no model call, no I/O. */
export function runFastStage(
  index: RoutingIndex,
  message: string,
  options: FastStageOptions = {},
): FastStageResult {
  const weights = options.weights ?? FAST_STAGE_WEIGHTS;
  const calibration = options.calibration ?? FAST_STAGE_CALIBRATION;
  const queryTerms = routingTerms(message);
  const query = routingVector(message);
  const scored = index.entries.map((entry) => scoreEntry(entry, query, queryTerms, weights));

  const bestByType = new Map<AgentType, number>();
  for (const { entry, score } of scored) {
    const type = entry.instance.type;
    bestByType.set(type, Math.max(bestByType.get(type) ?? Number.NEGATIVE_INFINITY, score));
  }
  const bestOtherType = (type: AgentType): number => {
    let best = 0;
    for (const [otherType, score] of bestByType) if (otherType !== type && score > best) best = score;
    return best;
  };

  const candidates = scored.map((candidate) => {
    const features = {
      score: candidate.score,
      margin: candidate.score - bestOtherType(candidate.entry.instance.type),
      evidence: candidate.evidence,
    };
    return {
      ...candidate,
      instance: candidate.entry.instance,
      features,
      confidence: calibratedConfidence(features, calibration),
    };
  });
  candidates.sort((left, right) => right.score - left.score);
  return { candidates, queryTerms };
}

interface ScoredEntry {
  entry: IndexedInstance;
  score: number;
  evidence: number;
  matchedKeywords: string[];
  nearestExample: string | null;
}

/**
 * How much of the embedding similarity counts, indexed by how many of the message's words the
 * instance recognises (its description and examples) when no keyword matched: none or one 10%,
 * two 60%, three or more in full. Cosine flatters short messages: "and for 40 people?" shares
 * one ordinary word with one example and looks as close to it as a real match would. Chosen on
 * the tune split together with FAST_STAGE_WEIGHTS.
 */
const SIMILARITY_SUPPORT: readonly number[] = [0.1, 0.1, 0.6];

/** Recognised words plus matched keywords, three or more counting as full support. */
const FULL_EVIDENCE = 3;

function scoreEntry(
  entry: IndexedInstance,
  query: Float32Array,
  queryTerms: readonly string[],
  weights: FastStageWeights,
): ScoredEntry {
  const { profile } = entry;
  let nearest = 0;
  let nearestExample: string | null = null;
  profile.examples.forEach((example, position) => {
    const similarity = dotDense(query, example);
    if (similarity > nearest) {
      nearest = similarity;
      nearestExample = profile.exampleTexts[position] ?? null;
    }
  });
  const centroidSimilarity = Math.max(0, dotDense(query, profile.centroid));
  const matchedKeywords: string[] = [];
  for (const keyword of profile.keywords) {
    if (containsPhrase(queryTerms, keyword)) matchedKeywords.push(keyword.join(" "));
  }
  // Each further keyword adds half as much again: two hits are strong evidence, five are not 2.5× it.
  const keywordEvidence = 1 - 0.5 ** matchedKeywords.length;
  let recognised = 0;
  for (const term of new Set(queryTerms)) if (profile.vocabulary.has(term)) recognised += 1;
  const support = matchedKeywords.length > 0 ? 1 : (SIMILARITY_SUPPORT[recognised] ?? 1);
  const score =
    (weights.example * nearest + weights.centroid * centroidSimilarity) * support +
    weights.keyword * keywordEvidence;
  const evidence = Math.min(FULL_EVIDENCE, recognised + matchedKeywords.length) / FULL_EVIDENCE;
  return { entry, score, evidence, matchedKeywords, nearestExample };
}
