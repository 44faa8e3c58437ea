import type { AgentConfig } from "../../../config/agent-config.ts";
import type { ModelRegistry } from "../../../models/model-registry.ts";
import { splitWords } from "../../../models/offline/plan-response.ts";
import type { AgentContext } from "../../agent-context.ts";
import type { AskAgentRequest, AskAgentResult } from "../../child-runner.ts";
import type { RunProducer } from "../../run-producer.ts";
import { keyTerms, planSubQuestions } from "./plan-questions.ts";
import {
  extractiveSummary,
  isGap,
  mergeCitations,
  type ResearchReport,
  type ResearchSection,
  type ResearchSource,
  renderReport,
} from "./research-report.ts";

export type AskAgent = (
  parent: AgentContext,
  parentConfig: AgentConfig,
  request: AskAgentRequest,
  signal: AbortSignal | undefined,
) => Promise<AskAgentResult>;

interface Finding {
  question: string;
  result: AskAgentResult;
}

/** Runs tasks with at most `limit` of them in flight, keeping results in task order. */
async function inParallel<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  async function worker() {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await (tasks[index] as () => Promise<T>)();
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/**
 * deep-research: plan sub-questions, research each through ask_agent in parallel (bounded by
 * limits.max_fan_out), reflect on gaps and research them once more while the request's budget
 * allows, then write a structured report. Every phase shows as a `progress` event; each child
 * call shows as a tool call and result, exactly as when a model calls ask_agent.
 */
export function createDeepResearchProducer(dependencies: {
  ask: AskAgent;
  models: ModelRegistry;
}): RunProducer {
  return async ({ context, plan, signal, accumulator, emit }) => {
    const config = plan.config;
    const delegate = config.delegates.find((slug) => slug !== "*") ?? "simple-research";
    const concurrency = config.limits.max_fan_out;
    let callNumber = 0;

    async function research(question: string): Promise<Finding> {
      callNumber += 1;
      const toolCallId = `research-${callNumber}`;
      const input = { agent_name: delegate, input_text: question, stream_events: true };
      emit({ type: "tool_call", tool_call_id: toolCallId, tool_name: "ask_agent", input });
      const result = await dependencies.ask(context, config, input, signal);
      emit({
        type: "tool_result",
        tool_call_id: toolCallId,
        tool_name: "ask_agent",
        output: result,
        is_error: false,
      });
      return { question, result };
    }

    const planned = await planSubQuestions({
      question: plan.userMessage,
      maxQuestions: Math.max(concurrency, 1),
      modelId: plan.modelId,
      models: dependencies.models,
      signal,
    });
    if (planned.usage) accumulator.addUsage(planned.usage);
    const questions = planned.questions;
    emit({
      type: "progress",
      phase: "plan",
      message: `Planned ${questions.length} sub-question(s): ${questions.join(" | ")}`,
      current: 0,
      total: questions.length,
    });

    let done = 0;
    const findings = await inParallel(
      questions.map((question) => async () => {
        const finding = await research(question);
        done += 1;
        emit({
          type: "progress",
          phase: "research",
          message: `Researched ${done} of ${questions.length}: ${question}`,
          current: done,
          total: questions.length,
        });
        return finding;
      }),
      concurrency,
    );

    const gaps = findings.filter((finding) =>
      isGap({ status: finding.result.status, answer: finding.result.text_response }),
    );
    const budget = context.tree.budget;
    const room = budget.maxChildRuns - budget.childRuns;
    emit({
      type: "progress",
      phase: "reflect",
      message:
        gaps.length === 0
          ? "No gaps: every sub-question was answered"
          : `${gaps.length} gap(s)${room >= gaps.length && !budget.tokensExhausted() ? "; researching them once more with broader queries" : "; no budget left for another round"}`,
      current: findings.length - gaps.length,
      total: findings.length,
    });
    if (gaps.length > 0 && room >= gaps.length && !budget.tokensExhausted() && !signal.aborted) {
      const retried = await inParallel(
        gaps.map((gap) => () => research(keyTerms(gap.question))),
        concurrency,
      );
      retried.forEach((second, index) => {
        const gap = gaps[index] as Finding;
        if (!isGap({ status: second.result.status, answer: second.result.text_response })) {
          findings[findings.indexOf(gap)] = { question: gap.question, result: second.result };
        }
      });
    }

    emit({
      type: "progress",
      phase: "report",
      message: "Writing the report",
      current: findings.length,
      total: findings.length,
    });
    const sources: ResearchSource[] = [];
    const sections: ResearchSection[] = findings.map(({ question, result }) => ({
      question,
      agent: result.agent_schema,
      status: result.status,
      answer:
        result.status === "success"
          ? mergeCitations(result.text_response, sources)
          : (result.error?.message ?? ""),
    }));
    const report: ResearchReport = {
      title: plan.userMessage,
      summary: extractiveSummary(sections),
      sections,
      sources,
      gaps: sections.filter(isGap).map((section) => section.question),
    };
    context.recordedMetadata.fields = { report };
    for (const word of splitWords(renderReport(report))) {
      const event = accumulator.appendText(word);
      if (event) emit(event);
    }
  };
}
