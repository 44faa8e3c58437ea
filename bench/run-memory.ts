import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { type Benchmark, type BenchResult, benchRow } from "./support/bench-result.ts";
import type {
  InFlightFigures,
  RunMemoryFigures,
  RunMemoryOptions,
  SequentialFigures,
} from "./support/run-memory-child.ts";

const IN_FLIGHT_RUNS = 200;
/** Slow enough that a 100-delta answer takes 5 s, so every run is still streaming when the heap is read. */
const CHUNK_DELAY_MS = 50;
/** A run counts as in flight from its second text delta: started, far from done. */
const DELTAS_IN_FLIGHT = 2;
const SEQUENTIAL_RUNS = 10_000;
const CHECKPOINTS = [1_000, 5_000, 10_000];
const TARGET_KILOBYTES_PER_RUN = 250;
const TARGET_GROWTH_PERCENT = 5;

const KILOBYTE = 1024;
const MEGABYTE = 1024 * 1024;

/** Runs the measuring child with `--expose-gc` and returns the JSON line it prints. */
async function measureInChild(): Promise<RunMemoryFigures> {
  const entry = fileURLToPath(new URL("./support/run-memory-child.ts", import.meta.url));
  const options: RunMemoryOptions = {
    inFlightRuns: IN_FLIGHT_RUNS,
    deltasInFlight: DELTAS_IN_FLIGHT,
    chunkDelayMs: CHUNK_DELAY_MS,
    sequentialRuns: SEQUENTIAL_RUNS,
    checkpoints: CHECKPOINTS,
  };
  const child = spawn(process.execPath, ["--expose-gc", entry, JSON.stringify(options)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const [code] = (await once(child, "exit")) as [number | null];
  const line = stdout.trim().split("\n").at(-1) ?? "";
  if (code !== 0 || !line.startsWith("{")) {
    throw new Error(`run-memory child failed (exit ${code})\n--- its stderr ---\n${stderr.trimEnd()}`);
  }
  return JSON.parse(line) as RunMemoryFigures;
}

function perRunKilobytes(figures: InFlightFigures): number {
  return (figures.inFlightHeap - figures.idleHeap) / figures.runs / KILOBYTE;
}

function heapAt(figures: SequentialFigures, runs: number): number {
  const heap = figures.heapAt[String(runs)];
  if (heap === undefined) throw new Error(`no heap figure at run ${runs}`);
  return heap;
}

function growthPercent(figures: SequentialFigures): number {
  const first = heapAt(figures, CHECKPOINTS[0] ?? 0);
  return ((heapAt(figures, SEQUENTIAL_RUNS) - first) / first) * 100;
}

async function run(): Promise<BenchResult> {
  const figures = await measureInChild();
  const { switchboard, bare } = figures.inFlight;
  const sequential = figures.sequential;
  const inFlightLabel = `${IN_FLIGHT_RUNS} streamed runs in flight`;
  const sequentialLabel = `${SEQUENTIAL_RUNS.toLocaleString("en-US")} sequential runs`;
  const firstCheckpoint = CHECKPOINTS[0] ?? 0;
  const megabytes = (bytes: number) => (bytes / MEGABYTE).toFixed(1);
  return {
    rows: [
      benchRow({
        subject: inFlightLabel,
        metric: "heap per in-flight run",
        unit: "KB",
        value: perRunKilobytes(switchboard),
        baseline: perRunKilobytes(bare),
        target: { of: "value", atMost: TARGET_KILOBYTES_PER_RUN },
      }),
      benchRow({
        subject: inFlightLabel,
        metric: "heap left after they ended, per run",
        unit: "KB",
        value: (switchboard.afterHeap - switchboard.idleHeap) / switchboard.runs / KILOBYTE,
        baseline: (bare.afterHeap - bare.idleHeap) / bare.runs / KILOBYTE,
      }),
      benchRow({
        subject: sequentialLabel,
        metric: `heap growth, run ${firstCheckpoint.toLocaleString("en-US")} → ${SEQUENTIAL_RUNS.toLocaleString("en-US")}`,
        unit: "%",
        value: growthPercent(sequential.switchboard),
        baseline: growthPercent(sequential.bare),
        target: { of: "value", atMost: TARGET_GROWTH_PERCENT },
      }),
      benchRow({
        subject: sequentialLabel,
        metric: "runs/s (in-process, no HTTP)",
        unit: "runs/s",
        value: sequential.switchboard.runs / sequential.switchboard.seconds,
        baseline: sequential.bare.runs / sequential.bare.seconds,
      }),
    ],
    notes: [
      "in a child process started with --expose-gc: every heap figure is heapUsed after two full collections; PGlite's database lives in WebAssembly memory, outside heapUsed",
      `in flight: the chat service's prepare + execute (user message stored, agent run, events SSE-encoded and dropped; no HTTP request or socket) on the seeded simple-chat, offline model with ${CHUNK_DELAY_MS} ms between deltas, each run held after its text delta number ${DELTAS_IN_FLIGHT}; baseline: the same number of bare streamText calls of the same model and message, deltas SSE-encoded and dropped`,
      `in flight, heap in MB (idle → in flight → after): Switchboard ${megabytes(switchboard.idleHeap)} → ${megabytes(switchboard.inFlightHeap)} → ${megabytes(switchboard.afterHeap)}; bare ${megabytes(bare.idleHeap)} → ${megabytes(bare.inFlightHeap)} → ${megabytes(bare.afterHeap)}`,
      `sequential: chat service chat() with a new conversation each run, no delay; baseline bare streamText; heap in MB at runs ${CHECKPOINTS.join(", ")}: Switchboard ${CHECKPOINTS.map((at) => megabytes(heapAt(sequential.switchboard, at))).join(", ")}; bare ${CHECKPOINTS.map((at) => megabytes(heapAt(sequential.bare, at))).join(", ")}`,
      `target: growth below ${TARGET_GROWTH_PERCENT}% from run ${firstCheckpoint.toLocaleString("en-US")} to ${SEQUENTIAL_RUNS.toLocaleString("en-US")}`,
    ],
  };
}

export const runMemory: Benchmark = {
  name: "run-memory",
  description:
    "Heap per in-flight streamed run and heap growth over 10,000 sequential runs, in-process, against bare AI SDK streamText",
  run,
};
