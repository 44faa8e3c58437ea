import type { AgentEventInput } from "../events/index.ts";
import type { AgentContext } from "./agent-context.ts";
import type { AgentFactory } from "./agent-factory.ts";
import type { createRunAccumulator } from "./run-accumulator.ts";
import type { RunPlan } from "./run-agent.ts";

export type RunAccumulator = ReturnType<typeof createRunAccumulator>;

export interface ProducerInput {
  context: AgentContext;
  plan: RunPlan;
  signal: AbortSignal;
  accumulator: RunAccumulator;
  emit: (event: AgentEventInput) => void;
}

/**
 * What makes a run's answer. The default lets the model drive the tool loop; an agent type whose
 * work has a fixed shape (deep-research: plan, research, reflect, report) brings its own.
 * A producer emits its events, feeds the accumulator, and throws only for a run-ending failure.
 */
export type RunProducer = (input: ProducerInput) => Promise<void>;

/** The default: the model drives the tool loop, and its stream becomes the run's events. */
export async function runToolLoop(factory: AgentFactory, input: ProducerInput): Promise<void> {
  const { plan, signal, accumulator, emit } = input;
  const { agent } = factory.get(plan.instance, plan.config, plan.modelId);
  const result = await agent.stream({
    messages: [...plan.history, { role: "user", content: plan.userMessage }],
    abortSignal: signal,
  });
  for await (const part of result.fullStream) {
    const event = accumulator.accept(part);
    if (event) emit(event);
  }
}

/** The tool loop as a producer, for types that wrap it (digital-expert, sales). */
export function createToolLoopProducer(factory: AgentFactory): RunProducer {
  return (input) => runToolLoop(factory, input);
}
