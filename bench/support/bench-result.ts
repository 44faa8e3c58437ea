/**
 * The one result shape every benchmark returns, whether it drives HTTP load from outside or
 * times a loop in-process: a list of rows, each a measured value with its unit and, when the
 * benchmark measured one in the same run, the baseline it is compared against.
 */

/** A bound on a row's value or on its ratio to the baseline; `atLeast`/`atMost` are inclusive. */
export interface BenchTarget {
  of: "value" | "ratio";
  atLeast?: number;
  atMost?: number;
}

export interface BenchRow {
  /** What was measured against, e.g. "GET /healthz"; the table falls back to the benchmark name. */
  subject?: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: number;
  /** value / baseline. */
  ratio?: number;
  target?: BenchTarget;
  /** Whether the target was met; false also marks a measurement spoiled by errors. */
  pass?: boolean;
}

export interface BenchResult {
  rows: BenchRow[];
  /** Context a reader needs to trust the figures: process layout, sample counts, saturation. */
  notes?: string[];
  /**
   * Why some figures cannot be trusted (transport errors, non-2xx answers). A benchmark reports
   * these instead of throwing so the figures stay visible, and the run still exits non-zero.
   */
  failures?: string[];
}

export interface Benchmark {
  /** kebab-case, the name given on the command line. */
  name: string;
  description: string;
  run(): Promise<BenchResult>;
}

export interface RowInput {
  subject?: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: number;
  target?: BenchTarget;
}

/** Fills in `ratio` from the baseline and `pass` from the target, so benchmarks never do it by hand. */
export function benchRow(input: RowInput): BenchRow {
  const row: BenchRow = { ...input };
  if (input.baseline !== undefined && input.baseline !== 0) row.ratio = input.value / input.baseline;
  if (input.target) row.pass = meetsTarget(row, input.target);
  return row;
}

export function meetsTarget(row: BenchRow, target: BenchTarget): boolean {
  const measured = target.of === "ratio" ? row.ratio : row.value;
  if (measured === undefined || !Number.isFinite(measured)) return false;
  if (target.atLeast !== undefined && measured < target.atLeast) return false;
  if (target.atMost !== undefined && measured > target.atMost) return false;
  return true;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[middle - 1] ?? upper) + upper) / 2;
}
