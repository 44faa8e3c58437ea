/**
 * One budget for a whole tree of runs started by one request: how many child runs it may start
 * and how many tokens all its runs together may use. Shared by reference down the tree.
 */
export interface RequestBudget {
  readonly maxChildRuns: number;
  readonly maxTokens: number;
  readonly childRuns: number;
  readonly tokens: number;
  /** Reserves one child run; false when the tree has used all it may. */
  tryStartChild(): boolean;
  addTokens(count: number): void;
  tokensExhausted(): boolean;
}

export function createRequestBudget(limits: { maxChildRuns: number; maxTokens: number }): RequestBudget {
  let childRuns = 0;
  let tokens = 0;
  return {
    maxChildRuns: limits.maxChildRuns,
    maxTokens: limits.maxTokens,
    get childRuns() {
      return childRuns;
    },
    get tokens() {
      return tokens;
    },
    tryStartChild() {
      if (childRuns >= limits.maxChildRuns) return false;
      childRuns += 1;
      return true;
    },
    addTokens(count) {
      tokens += count;
    },
    tokensExhausted() {
      return tokens >= limits.maxTokens;
    },
  };
}
