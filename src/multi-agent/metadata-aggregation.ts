import type { ChildAgentSummary, Usage } from "../events/index.ts";

export function addUsage(left: Usage, right: Usage): Usage {
  return {
    input_tokens: left.input_tokens + right.input_tokens,
    output_tokens: left.output_tokens + right.output_tokens,
    total_tokens: left.total_tokens + right.total_tokens,
    steps: left.steps + right.steps,
  };
}

/** The usage of a run and its whole subtree: each child summary already carries its subtree's total. */
export function aggregateUsage(own: Usage, children: readonly ChildAgentSummary[]): Usage {
  return children.reduce((total, child) => (child.usage ? addUsage(total, child.usage) : total), own);
}

/**
 * aggregated_confidence: the mean of the confidences known in the tree — the run's own (from
 * register_metadata) and each child's aggregated confidence — where a child that failed counts
 * as 0 and a child that reported none is left out. Undefined when nobody reported any.
 */
export function aggregateConfidence(
  own: number | undefined,
  children: readonly ChildAgentSummary[],
): number | undefined {
  const values: number[] = own === undefined ? [] : [own];
  for (const child of children) {
    if (child.status === "error") values.push(0);
    else if (child.confidence !== undefined) values.push(child.confidence);
  }
  if (values.length === 0) return undefined;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
