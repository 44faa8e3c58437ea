import type { FastifyBaseLogger } from "fastify";
import type { ProducerInput, RunProducer } from "../agents/run-producer.ts";
import type { AgentEventInput } from "../events/index.ts";
import { contactAttempt } from "./contact-attempt.ts";
import type { LeadCapture } from "./lead-capture.ts";
import { collectKnownPrices, findPriceMentions, isKnownPrice, type KnownPrice } from "./price-mentions.ts";
import {
  type AskedQuestions,
  pendingQuestions,
  QUALIFICATION_FIELD,
  qualificationText,
  wantsQualification,
} from "./qualification.ts";

/** Where an answer's prices may come from. */
const CATALOG_TOOLS = new Set(["search_products", "get_product"]);

export interface SalesProducerDependencies {
  /** How the answer itself is made: the model's tool loop. */
  toolLoop: RunProducer;
  captureLead: LeadCapture;
  askedQuestions: AskedQuestions;
  logger: FastifyBaseLogger;
}

/**
 * sales: the model's tool loop, then three checks on what it produced.
 * - Prices: every currency amount in the answer must have come from this run's catalog results;
 *   the others are listed in metadata `extra.unverified_prices`. The text is not rewritten: it has
 *   already streamed to the customer, and a silent edit would make the stored answer differ from
 *   the one they read.
 * - Contact details: an address the customer wrote (even a broken one) is either captured or
 *   reported as not captured; if the model did not call capture_lead, this does, visibly.
 * - Qualification: once a quote is on the table (a catalog price was quoted, or a quote asked
 *   for), the template's questions not yet asked in this conversation are appended, and recorded
 *   in metadata `extra.qualification_asked` so later turns do not repeat them.
 */
export function createSalesProducer(dependencies: SalesProducerDependencies): RunProducer {
  return async (input) => {
    const { context, plan, accumulator, signal } = input;
    const known: KnownPrice[] = [];
    let leadToolCalled = false;
    const observe = (event: AgentEventInput) => {
      if (event.type === "tool_call" && event.tool_name === "capture_lead") leadToolCalled = true;
      if (event.type === "tool_result" && !event.is_error && CATALOG_TOOLS.has(event.tool_name)) {
        collectKnownPrices(event.output, known);
      }
      input.emit(event);
    };
    await dependencies.toolLoop({ ...input, emit: observe });
    if (signal.aborted || accumulator.aborted || accumulator.error !== null) return;

    const mentions = findPriceMentions(accumulator.text);
    const fields: Record<string, unknown> = {
      unverified_prices: mentions
        .filter((mention) => !isKnownPrice(mention, known))
        .map((mention) => mention.text),
    };
    // Follow-ups speak to the customer, who talks to the root run; a child answers another agent.
    if (context.depth === 0) {
      if (!leadToolCalled && plan.config.tools.includes("capture_lead")) {
        const attempt = contactAttempt(plan.userMessage);
        if (attempt !== null) await captureForModel(input, attempt, dependencies);
      }
      const questions = plan.config.qualification?.questions ?? [];
      const quotedCatalogPrice = mentions.some((mention) => isKnownPrice(mention, known));
      if (questions.length > 0 && wantsQualification({ quotedCatalogPrice, userMessage: plan.userMessage })) {
        const asked = await dependencies.askedQuestions(context.accountId, context.conversationId);
        const pending = pendingQuestions(questions, asked);
        if (pending.length > 0) {
          appendParagraph(input, qualificationText(pending));
          fields[QUALIFICATION_FIELD] = pending;
        }
      }
    }
    const recorded = context.recordedMetadata.fields as Record<string, unknown> | undefined;
    context.recordedMetadata.fields = { ...recorded, ...fields };
  };
}

function appendParagraph(input: ProducerInput, paragraph: string): void {
  const event = input.accumulator.appendText(
    input.accumulator.text.length > 0 ? `\n\n${paragraph}` : paragraph,
  );
  if (event) input.emit(event);
}

/** The capture_lead call the model did not make, shown as a tool call like any other. */
async function captureForModel(
  input: ProducerInput,
  email: string,
  dependencies: SalesProducerDependencies,
): Promise<void> {
  const { context, plan } = input;
  const toolCallId = `lead-check-${context.runId}`;
  const leadInput = { email, interest: plan.userMessage };
  input.emit({ type: "tool_call", tool_call_id: toolCallId, tool_name: "capture_lead", input: leadInput });
  try {
    const result = await dependencies.captureLead(
      {
        accountId: context.accountId,
        instanceId: context.instanceId,
        conversationId: context.conversationId,
      },
      leadInput,
    );
    input.emit({
      type: "tool_result",
      tool_call_id: toolCallId,
      tool_name: "capture_lead",
      output: result,
      is_error: false,
    });
    appendParagraph(
      input,
      result.status === "captured"
        ? `I've passed your details (${email}) to the sales team; they will be in touch.`
        : `I couldn't record your contact details: ${result.message}. Please send your full e-mail address (for example name@example.com).`,
    );
  } catch (error) {
    dependencies.logger.error({ err: error, run: context.runId }, "capturing a lead failed");
    const output = { error: "The lead could not be stored" };
    input.emit({
      type: "tool_result",
      tool_call_id: toolCallId,
      tool_name: "capture_lead",
      output,
      is_error: true,
    });
    appendParagraph(
      input,
      "I couldn't record your contact details just now; please send them again in a moment.",
    );
  }
}
