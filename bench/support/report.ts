import type { BenchResult, BenchRow, BenchTarget } from "./bench-result.ts";

/** Enough digits to compare runs, not so many that noise looks like signal. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined) return "";
  if (!Number.isFinite(ratio)) return String(ratio);
  return `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(3)}×`;
}

export function formatTarget(target: BenchTarget | undefined): string {
  if (!target) return "";
  const bounds: string[] = [];
  if (target.atLeast !== undefined) bounds.push(`≥ ${formatNumber(target.atLeast)}`);
  if (target.atMost !== undefined) bounds.push(`≤ ${formatNumber(target.atMost)}`);
  return `${target.of} ${bounds.join(" and ")}`;
}

function formatPass(pass: boolean | undefined): string {
  if (pass === undefined) return "";
  return pass ? "pass" : "FAIL";
}

interface Column {
  header: string;
  alignRight: boolean;
  cell(row: BenchRow): string;
}

/** Renders rows as an aligned plain-text table, dropping the target and pass columns when unused. */
export function renderTable(benchmarkName: string, rows: readonly BenchRow[]): string {
  const columns: Column[] = [
    { header: "name", alignRight: false, cell: (row) => row.subject ?? benchmarkName },
    { header: "metric", alignRight: false, cell: (row) => row.metric },
    { header: "value", alignRight: true, cell: (row) => formatNumber(row.value) },
    { header: "unit", alignRight: false, cell: (row) => row.unit },
    {
      header: "baseline",
      alignRight: true,
      cell: (row) => (row.baseline === undefined ? "" : formatNumber(row.baseline)),
    },
    { header: "ratio", alignRight: true, cell: (row) => formatRatio(row.ratio) },
  ];
  if (rows.some((row) => row.target)) {
    columns.push({ header: "target", alignRight: false, cell: (row) => formatTarget(row.target) });
  }
  if (rows.some((row) => row.pass !== undefined)) {
    columns.push({ header: "pass", alignRight: false, cell: (row) => formatPass(row.pass) });
  }
  const cells = rows.map((row) => columns.map((column) => column.cell(row)));
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((line) => (line[index] ?? "").length)),
  );
  const renderLine = (values: readonly string[]) =>
    columns
      .map((column, index) => {
        const value = values[index] ?? "";
        const width = widths[index] ?? value.length;
        return column.alignRight ? value.padStart(width) : value.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  const header = renderLine(columns.map((column) => column.header));
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  return [header, rule, ...cells.map(renderLine)].join("\n");
}

export function printResult(benchmarkName: string, result: BenchResult): void {
  console.log(renderTable(benchmarkName, result.rows));
  for (const note of result.notes ?? []) console.log(`  note: ${note}`);
  for (const failure of result.failures ?? []) console.log(`  FAILURE: ${failure}`);
}

export type Outcome =
  | { name: string; status: "ok"; seconds: number; result: BenchResult }
  | { name: string; status: "failed"; seconds: number; result: BenchResult }
  | { name: string; status: "threw"; seconds: number; error: unknown };

export function outcomeFor(name: string, seconds: number, result: BenchResult): Outcome {
  const failed = (result.failures?.length ?? 0) > 0 || result.rows.some((row) => row.pass === false);
  return { name, status: failed ? "failed" : "ok", seconds, result };
}

function describeOutcome(outcome: Outcome): string {
  switch (outcome.status) {
    case "ok":
      return `ok (${outcome.result.rows.length} rows)`;
    case "failed": {
      const missed = outcome.result.rows.filter((row) => row.pass === false).length;
      const failures = outcome.result.failures?.length ?? 0;
      return `FAILED (${failures} measurement failures, ${missed} rows failing)`;
    }
    case "threw":
      return `THREW: ${outcome.error instanceof Error ? outcome.error.message.split("\n")[0] : String(outcome.error)}`;
    default: {
      const unreachable: never = outcome;
      return String(unreachable);
    }
  }
}

export function printSummary(outcomes: readonly Outcome[]): void {
  const nameWidth = Math.max(9, ...outcomes.map((outcome) => outcome.name.length));
  console.log("\n== summary ==");
  console.log(`${"benchmark".padEnd(nameWidth)}  ${"seconds".padStart(7)}  outcome`);
  for (const outcome of outcomes) {
    console.log(
      `${outcome.name.padEnd(nameWidth)}  ${outcome.seconds.toFixed(1).padStart(7)}  ${describeOutcome(outcome)}`,
    );
  }
}
