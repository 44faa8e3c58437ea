import type { AgentType } from "../config/agent-config.ts";
import { judgeContinuity } from "./continuity.ts";
import type { DecideContext, Proposal } from "./decision-context.ts";
import { type FastCandidate, type FastStageResult, runFastStage } from "./fast-stage.ts";
import { selectInstance } from "./instance-selection.ts";
import { runModelStageIfUseful } from "./model-proposal.ts";
import { NoRoutableAgentError } from "./no-routable-agent-error.ts";
import type { RoutingIndex } from "./routing-index.ts";
import { routingTerms } from "./routing-text.ts";
import type { RoutingAlternative, RoutingDecision } from "./routing-types.ts";

const MAX_ALTERNATIVES = 4;
const round = (value: number) => Math.round(value * 1_000) / 1_000;
const format = (value: number) => value.toFixed(2);

/** One routing decision: fast stage, model stage when unsure, continuity, fallback, instance choice. */
export async function decideRoute(context: DecideContext): Promise<Omit<RoutingDecision, "ms">> {
  const { index, input } = context;
  const { routerConfig } = input;
  const fast = routerConfig.stages.fast ? runFastStage(index, input.message) : unscored(index, input.message);
  const answer = await runModelStageIfUseful(context, fastProposal(fast));
  let proposal = answer;

  const currentSlug = input.currentInstance ?? null;
  const current = currentSlug === null ? undefined : index.bySlug.get(currentSlug);
  const handoffFrom = (slug: string) =>
    currentSlug !== null && currentSlug !== slug ? { from: currentSlug, to: slug } : null;
  const alternativesBesides = (slug: string) => alternatives(fast.candidates, slug);

  if (routerConfig.stickiness.enabled && current !== undefined) {
    const currentCandidate = fast.candidates.find(
      (candidate) => candidate.instance.slug === current.instance.slug,
    );
    const currentConfidence =
      answer.type === current.instance.type ? answer.confidence : (currentCandidate?.confidence ?? 0);
    const verdict = judgeContinuity({
      current: current.instance,
      currentConfidence,
      challenger: answer,
      routerConfig,
    });
    if (verdict.stay) {
      // Staying because the message fits anyway is the stage's own decision; staying against a
      // weak challenger, or on a message that fits nothing, is stickiness.
      const fits =
        answer.type === current.instance.type && answer.confidence >= routerConfig.thresholds.fallback;
      return {
        agent_type: current.instance.type,
        instance: current.instance.slug,
        confidence: round(currentConfidence),
        stage: fits ? answer.stage : "sticky",
        alternatives: alternativesBesides(current.instance.slug),
        reason: fits ? `${answer.reason}; ${verdict.reason}` : verdict.reason,
        fallback: false,
        handoff: null,
      };
    }
    proposal = { ...answer, reason: `${answer.reason}; ${verdict.reason}` };
  }

  const fallbackType = routerConfig.fallback_type;
  const available = index.byType.get(proposal.type) ?? [];
  const tooUnsure = proposal.confidence < routerConfig.thresholds.fallback;
  if (tooUnsure || available.length === 0) {
    const why = tooUnsure
      ? `best match ${proposal.type} at ${format(proposal.confidence)} is below the fallback threshold ${format(routerConfig.thresholds.fallback)}`
      : `${proposal.type} was chosen (${proposal.stage} stage) but has no active instance`;
    const selected = chooseInstance(context, fallbackType, fast);
    if (selected === null) {
      throw new NoRoutableAgentError(
        input.accountId,
        `${why}, and there is no active ${fallbackType} instance to fall back to`,
      );
    }
    return {
      agent_type: fallbackType,
      instance: selected.instance.slug,
      confidence: round(proposal.confidence),
      stage: "fallback",
      alternatives: alternativesBesides(selected.instance.slug),
      reason: `${why}; falling back to ${fallbackType}${selected.reason ? ` (${selected.reason})` : ""}`,
      fallback: true,
      handoff: handoffFrom(selected.instance.slug),
    };
  }

  const selected = proposal.instance
    ? { instance: proposal.instance.instance, reason: "" }
    : chooseInstance(context, proposal.type, fast);
  if (selected === null)
    throw new NoRoutableAgentError(input.accountId, `no active ${proposal.type} instance`);
  return {
    agent_type: proposal.type,
    instance: selected.instance.slug,
    confidence: round(proposal.confidence),
    stage: proposal.stage,
    alternatives: alternativesBesides(selected.instance.slug),
    reason: selected.reason ? `${proposal.reason}; ${selected.reason}` : proposal.reason,
    fallback: false,
    handoff: handoffFrom(selected.instance.slug),
  };
}

function fastProposal(fast: FastStageResult): Proposal {
  const top = fast.candidates[0];
  if (top === undefined || top.score <= 0) {
    return {
      type: top?.instance.type ?? "simple-chat",
      confidence: top?.confidence ?? 0,
      stage: "fast",
      reason: "fast stage: nothing in the message matches any agent",
    };
  }
  const evidence = [
    top.matchedKeywords.length > 0 ? `keywords ${top.matchedKeywords.join(", ")}` : "",
    top.nearestExample ? `closest example "${top.nearestExample}"` : "",
  ].filter(Boolean);
  return {
    type: top.instance.type,
    confidence: top.confidence,
    stage: "fast",
    reason: `fast stage: ${top.instance.type} at ${format(top.confidence)}${evidence.length > 0 ? ` (${evidence.join("; ")})` : ""}`,
  };
}

function chooseInstance(context: DecideContext, type: AgentType, fast: FastStageResult) {
  const ofType = fast.candidates.filter((candidate) => candidate.instance.type === type);
  // The load comes from this call's input: the index may hold a copy from an earlier call.
  const live = new Map(
    ofType.length > 1 ? context.input.instances.map((instance) => [instance.id, instance] as const) : [],
  );
  const candidates = ofType.map((candidate) => ({
    instance: live.get(candidate.instance.id) ?? candidate.instance,
    routingScore: candidate.score,
    capabilityTerms: candidate.entry.profile.capabilityTerms,
  }));
  return selectInstance(
    candidates,
    fast.queryTerms,
    context.roundRobin,
    `${context.input.accountId}:${type}`,
  );
}

function alternatives(candidates: readonly FastCandidate[], chosenSlug: string): RoutingAlternative[] {
  return candidates
    .filter((candidate) => candidate.instance.slug !== chosenSlug)
    .sort((left, right) => right.confidence - left.confidence)
    .slice(0, MAX_ALTERNATIVES)
    .map((candidate) => ({
      agent_type: candidate.instance.type,
      instance: candidate.instance.slug,
      confidence: round(candidate.confidence),
    }));
}

/** With the fast stage switched off every instance starts level, and only the model can tell them apart. */
function unscored(index: RoutingIndex, message: string): FastStageResult {
  return {
    queryTerms: routingTerms(message),
    candidates: index.entries.map((entry) => ({
      entry,
      instance: entry.instance,
      score: 0,
      confidence: 0,
      features: { score: 0, margin: 0, evidence: 0 },
      matchedKeywords: [],
      nearestExample: null,
    })),
  };
}
