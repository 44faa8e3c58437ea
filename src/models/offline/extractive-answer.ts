import type { Passage } from "./passages.ts";
import type { PromptView } from "./prompt-view.ts";
import { catalogueSentences, isCatalogueQuestion, rankSentences } from "./sentence-ranking.ts";
import { subjectOf } from "./text-terms.ts";
import { classifyToolResult } from "./tool-outcome.ts";

/**
 * The answer after tool results: the best-matching sentences with numbered citations, one
 * section per delegated part, honest notes for failures, and the sources list last.
 */
export function composeExtractiveAnswer(view: PromptView): string {
  const passages: Passage[] = [];
  const sections: string[] = [];
  const receipts: string[] = [];
  const failures: string[] = [];
  let searched = false;

  for (const result of view.toolResults) {
    const outcome = classifyToolResult(result);
    switch (outcome.kind) {
      case "failed": {
        const note = `The tool ${outcome.toolName} failed: ${withPeriod(outcome.message)}`;
        // A failed delegation is reported under its part's heading, where the reader looks for it.
        if (outcome.part === undefined) failures.push(note);
        else sections.push(`### ${outcome.part}\n\n${note}`);
        break;
      }
      case "denied":
        failures.push(
          `The tool ${outcome.toolName} was not run${outcome.reason ? `: ${withPeriod(outcome.reason)}` : "."}`,
        );
        break;
      case "delegated": {
        const heading = outcome.part ?? `Part ${sections.length + 1}`;
        const answer =
          outcome.answer.length > 0 ? outcome.answer : "The agent returned no answer for this part.";
        sections.push(`### ${heading}\n\n${answer}`);
        break;
      }
      case "found":
        searched = true;
        passages.push(...outcome.passages);
        break;
      case "done":
        receipts.push(
          outcome.message === undefined
            ? `The tool ${outcome.toolName} completed.`
            : `The tool ${outcome.toolName} completed: ${withPeriod(outcome.message)}`,
        );
        break;
      default: {
        const exhaustive: never = outcome;
        return exhaustive;
      }
    }
  }

  const blocks: string[] = [];
  const catalogue = isCatalogueQuestion(view.userText) ? catalogueSentences(passages) : [];
  const ranked = catalogue.length > 0 ? catalogue : rankSentences(view.userText, passages);
  const citations = new Map<string, { number: number; passage: Passage }>();
  if (ranked.length > 0) {
    const sentences = ranked.map((entry) => {
      const key = `${entry.passage.label}\u0000${entry.passage.source ?? ""}`;
      let citation = citations.get(key);
      if (citation === undefined) {
        citation = { number: citations.size + 1, passage: entry.passage };
        citations.set(key, citation);
      }
      return cite(entry.text, citation.number);
    });
    blocks.push(sentences.join(" "));
  } else if (searched || (sections.length === 0 && receipts.length === 0)) {
    blocks.push(nothingFound(view.userText, searched));
  }
  blocks.push(...sections);
  if (receipts.length > 0) blocks.push(receipts.join(" "));
  if (failures.length > 0) blocks.push(failures.join("\n"));
  if (citations.size > 0) {
    const lines = [...citations.values()].map(({ number, passage }) =>
      passage.source === undefined
        ? `[${number}] ${passage.label}`
        : `[${number}] ${passage.label} (${passage.source})`,
    );
    blocks.push(`Sources:\n${lines.join("\n")}`);
  }
  return blocks.join("\n\n");
}

function nothingFound(question: string, searched: boolean): string {
  const subject = subjectOf(question);
  const about = subject.length > 0 ? ` about "${subject}"` : "";
  return searched
    ? `Nothing was found${about} in the sources I searched, so I can't answer that from them.`
    : `Nothing was found${about}: the lookup did not succeed, so I can't answer that.`;
}

/** "Refunds take 30 days." → "Refunds take 30 days [2]." */
function cite(sentence: string, number: number): string {
  const match = /[.!?]+$/u.exec(sentence);
  if (match === null) return `${sentence} [${number}]`;
  return `${sentence.slice(0, match.index)} [${number}]${match[0]}`;
}

function withPeriod(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/u.test(trimmed) ? trimmed : `${trimmed}.`;
}
