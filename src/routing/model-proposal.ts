import type { LanguageModel } from "ai";
import type { DecideContext, Proposal } from "./decision-context.ts";
import { runModelStage } from "./model-stage.ts";

/**
 * Asks the router's model only when it can help: the stage is on, a generative (not offline)
 * model is configured, and the fast stage is below `thresholds.accept`. Whatever goes wrong —
 * no such model, a timeout, an error, an answer naming nothing — the fast proposal stands and
 * its reason says why.
 */
export async function runModelStageIfUseful(context: DecideContext, proposal: Proposal): Promise<Proposal> {
  const { routerConfig } = context.input;
  const models = context.models;
  if (!routerConfig.stages.model || models === undefined) return proposal;
  if (proposal.confidence >= routerConfig.thresholds.accept) return proposal;
  if (models.isOffline(routerConfig.model)) return proposal;

  let model: LanguageModel;
  try {
    model = models.languageModel(routerConfig.model);
  } catch (error) {
    context.onError?.(error, "routing model stage: model not available");
    return { ...proposal, reason: `${proposal.reason}; model stage skipped: ${messageOf(error)}` };
  }

  const outcome = await runModelStage({
    model,
    message: context.input.message,
    entries: context.index.entries,
    routerDescription: routerConfig.description,
    timeoutMs: routerConfig.model_stage.timeout_ms,
    signal: context.input.signal,
    now: context.now,
  });
  const ms = Math.round(outcome.ms);
  switch (outcome.status) {
    case "timeout":
      return {
        ...proposal,
        reason: `${proposal.reason}; model stage timed out after ${ms} ms, fast answer stands`,
      };
    case "failed":
      context.onError?.(outcome.error, "routing model stage failed");
      return {
        ...proposal,
        reason: `${proposal.reason}; model stage failed (${messageOf(outcome.error)}), fast answer stands`,
      };
    case "answered": {
      const { answer } = outcome;
      const named = context.index.bySlug.get(answer.instance);
      return {
        type: answer.type,
        confidence: answer.confidence,
        stage: "model",
        reason: `model stage (${ms} ms, fast stage had ${proposal.confidence.toFixed(2)} for ${proposal.type}): ${answer.reason}`,
        ...(named !== undefined && named.instance.type === answer.type && { instance: named }),
      };
    }
    default: {
      const unreachable: never = outcome;
      return unreachable;
    }
  }
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 160 ? `${message.slice(0, 157)}...` : message;
}
