import { splitWords } from "../../../models/offline/plan-response.ts";
import type { RunProducer } from "../../run-producer.ts";
import type { KnowledgeSearcher } from "../../tools/search-knowledge-tool.ts";
import { isWithinDomain } from "./domain-relevance.ts";

/**
 * digital-expert: answers only inside its persona's domain, from its own corpus. The corpus is
 * searched first; a question that shares nothing with what it holds or with the domain gets a
 * polite refusal naming the domain, whatever the model would have said. Otherwise the model's
 * grounded tool loop answers, citing every claim.
 */
export function createDigitalExpertProducer(dependencies: {
  search: KnowledgeSearcher;
  toolLoop: RunProducer;
}): RunProducer {
  return async (input) => {
    const { context, plan, accumulator, emit } = input;
    const persona = plan.config.persona;
    const knowledge = plan.config.knowledge_base;
    const results = await dependencies.search(
      { accountId: context.accountId, instanceId: context.instanceId, agentSchema: context.agentSchema },
      plan.userMessage,
      { topK: knowledge.top_k, minScore: knowledge.min_score },
    );
    const evidence = [
      ...results.map((result) => `${result.title} ${result.content}`),
      ...(persona ? [persona.domain] : []),
    ];
    if (isWithinDomain(plan.userMessage, evidence)) {
      await dependencies.toolLoop(input);
      return;
    }
    const name = persona?.name ?? plan.instance.name;
    const domain = persona?.domain ?? "my own area of expertise";
    const refusal =
      `Thank you for your question. I'm ${name}, and I can only advise on ${domain}, from the material ` +
      "I have been given. Your question falls outside that domain, so I won't guess at an answer — a " +
      "general assistant is better placed to help with it.";
    context.recordedMetadata.fields = { refused: true, reason: "outside_domain", domain };
    for (const word of splitWords(refusal)) {
      const event = accumulator.appendText(word);
      if (event) emit(event);
    }
  };
}
