export interface ResearchSection {
  question: string;
  agent: string;
  status: "success" | "error";
  /** The section's text, its citations renumbered to the report's sources list. */
  answer: string;
}

export interface ResearchSource {
  number: number;
  label: string;
}

export interface ResearchReport {
  title: string;
  summary: string[];
  sections: ResearchSection[];
  sources: ResearchSource[];
  gaps: string[];
}

const SOURCES_HEADING = /^\s*Sources:\s*$/im;
const SOURCE_LINE = /^\s*\[(\d+)\]\s+(.+?)\s*$/;

/**
 * Splits a child's cited answer into its body and its sources list, then renumbers the body's
 * `[n]` marks to the report-wide list, so one source cited by two sections gets one number.
 */
export function mergeCitations(answer: string, sources: ResearchSource[]): string {
  const match = SOURCES_HEADING.exec(answer);
  const body = match ? answer.slice(0, match.index) : answer;
  const listed = match ? answer.slice(match.index + match[0].length) : "";
  const renumber = new Map<string, number>();
  for (const line of listed.split("\n")) {
    const source = SOURCE_LINE.exec(line);
    if (!source?.[1] || !source[2]) continue;
    let known = sources.find((entry) => entry.label === source[2]);
    if (!known) {
      known = { number: sources.length + 1, label: source[2] };
      sources.push(known);
    }
    renumber.set(source[1], known.number);
  }
  return body.replace(/\[(\d+)\]/g, (mark, number: string) => {
    const global = renumber.get(number);
    return global === undefined ? mark : `[${global}]`;
  });
}

const NOTHING_FOUND = /nothing (was )?found|no relevant|did not find|couldn't find|could not find/i;

const CITATION = /\[\d+\]/;

/**
 * A section that taught nothing: failed, empty, the researcher said it found nothing, or it cites
 * no source — simple-research cites every claim, so an uncited answer has nothing to stand on.
 */
export function isGap(section: { status: string; answer: string }): boolean {
  return (
    section.status === "error" ||
    section.answer.trim() === "" ||
    NOTHING_FOUND.test(section.answer) ||
    !CITATION.test(section.answer)
  );
}

function firstSentence(text: string): string {
  const clean = text.replace(/\s+/g, " ").trim();
  const end = clean.search(/[.!?](\s|$)/);
  return end === -1 ? clean : clean.slice(0, end + 1);
}

/** The summary without a model: each informative section's first sentence, with its citations. */
export function extractiveSummary(sections: ResearchSection[]): string[] {
  return sections
    .filter((section) => !isGap(section))
    .map((section) => firstSentence(section.answer.replace(/^#+.*$/gm, "")))
    .filter((sentence) => sentence.length > 0);
}

export function renderReport(report: ResearchReport): string {
  const parts: string[] = [`# Research report: ${report.title}`, "", "## Summary"];
  if (report.summary.length === 0) parts.push("The research found nothing relevant to summarise.");
  for (const line of report.summary) parts.push(`- ${line}`);
  for (const section of report.sections) {
    parts.push("", `## ${section.question}`, section.answer.trim() || "No answer.");
  }
  if (report.gaps.length > 0) {
    parts.push("", "## Gaps", ...report.gaps.map((gap) => `- ${gap}: nothing relevant was found.`));
  }
  if (report.sources.length > 0) {
    parts.push("", "## Sources", ...report.sources.map((source) => `[${source.number}] ${source.label}`));
  }
  return `${parts.join("\n")}\n`;
}
