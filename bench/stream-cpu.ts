import { cpus } from "node:os";
import { z } from "zod";
import { parseSseStream } from "../src/events/index.ts";
import {
  BARE_STREAM_PATH,
  BARE_STREAM_SERVER_ENTRY,
  EXPECTED_DELTAS,
  HUNDRED_DELTA_MESSAGE,
  STREAM_PATH,
} from "./support/agent-workload.ts";
import { type Benchmark, type BenchResult, type BenchRow, benchRow, median } from "./support/bench-result.ts";
import { withScratchDatabase } from "./support/scratch-database.ts";
import { measureServerLoad, type ServerLoadResult } from "./support/server-load.ts";
import { type ServerProcess, startServerProcess, withServerProcesses } from "./support/server-process.ts";
import { expectOk, jsonHeaders, startSwitchboardProcess } from "./support/switchboard-process.ts";

const ROUNDS = 5;
const WARMUP_ANSWERS = 30;
const MEASURED_ANSWERS = 200;
const CONNECTIONS = 10;
/** Streaming may cost at most this much more server CPU than the bare relay. */
const CPU_RATIO_TARGET = 1.5;

interface Subject {
  label: string;
  server: ServerProcess<{ url: string }>;
  path: string;
  headers: Record<string, string>;
}

interface FrameCount {
  frames: number;
  deltas: number;
  types: string;
}

/** One answer read whole, to check both sides stream the same frames before timing them. */
async function countFrames(subject: Subject): Promise<FrameCount> {
  const response = await expectOk(
    await fetch(`${subject.server.url}${subject.path}`, {
      method: "POST",
      headers: subject.headers,
      body: JSON.stringify({ message: HUNDRED_DELTA_MESSAGE }),
    }),
    `stream from ${subject.label}`,
  );
  const frames = parseSseStream(await response.text());
  const byType = new Map<string, number>();
  for (const frame of frames) byType.set(frame.event, (byType.get(frame.event) ?? 0) + 1);
  return {
    frames: frames.length,
    deltas: byType.get("text_delta") ?? 0,
    types: [...byType].map(([type, count]) => `${count} ${type}`).join(", "),
  };
}

function rowsFor(subject: string, samples: ServerLoadResult[], baseline: ServerLoadResult[]): BenchRow[] {
  const of = (results: ServerLoadResult[], pick: (result: ServerLoadResult) => number) =>
    median(results.map(pick));
  const failed = samples.some((sample) => sample.failures.length > 0);
  const rows = [
    benchRow({
      subject,
      metric: "server CPU per answer",
      unit: "µs",
      value: of(samples, (result) => result.serverCpuMicrosecondsPerRequest),
      baseline: of(baseline, (result) => result.serverCpuMicrosecondsPerRequest),
      target: { of: "ratio", atMost: CPU_RATIO_TARGET },
    }),
    benchRow({
      subject,
      metric: "answers/s",
      unit: "ans/s",
      value: of(samples, (result) => result.requestsPerSecond),
      baseline: of(baseline, (result) => result.requestsPerSecond),
    }),
    benchRow({
      subject,
      metric: "latency p50 (whole answer)",
      unit: "ms",
      value: of(samples, (result) => result.latencyMs.p50),
      baseline: of(baseline, (result) => result.latencyMs.p50),
    }),
  ];
  return failed ? rows.map((row) => ({ ...row, pass: false })) : rows;
}

async function measure(subjects: Subject[]): Promise<BenchResult> {
  const [baseline] = subjects;
  if (!baseline) throw new Error("no baseline subject");
  const failures: string[] = [];
  const counts = new Map<string, FrameCount>();
  for (const subject of subjects) {
    const count = await countFrames(subject);
    counts.set(subject.label, count);
    if (count.deltas !== EXPECTED_DELTAS) {
      failures.push(`${subject.label} streamed ${count.deltas} text deltas, not ${EXPECTED_DELTAS}`);
    }
  }

  const samples = new Map<string, ServerLoadResult[]>(subjects.map((subject) => [subject.label, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const subject of subjects) {
      const result = await measureServerLoad(subject.server, {
        url: `${subject.server.url}${subject.path}`,
        method: "POST",
        headers: subject.headers,
        body: JSON.stringify({ message: HUNDRED_DELTA_MESSAGE }),
        connections: CONNECTIONS,
        warmup: { amount: WARMUP_ANSWERS },
        amount: MEASURED_ANSWERS,
      });
      samples.get(subject.label)?.push(result);
      failures.push(...result.failures.map((failure) => `round ${round}, ${subject.label}: ${failure}`));
    }
  }

  const baselineSamples = samples.get(baseline.label) ?? [];
  const rows = subjects.slice(1).flatMap((subject) => {
    const count = counts.get(subject.label);
    const baselineCount = counts.get(baseline.label);
    return [
      ...rowsFor(subject.label, samples.get(subject.label) ?? [], baselineSamples),
      benchRow({
        subject: subject.label,
        metric: "SSE frames per answer",
        unit: "frames",
        value: count?.frames ?? Number.NaN,
        baseline: baselineCount?.frames ?? Number.NaN,
      }),
    ];
  });
  const share = (label: string, pick: (result: ServerLoadResult) => number) =>
    `${Math.round(median((samples.get(label) ?? []).map(pick)) * 100)}%`;
  return {
    rows,
    notes: [
      `baseline: ${baseline.label}`,
      `each answer: ${counts.get(baseline.label)?.types ?? "?"} (baseline); ${subjects
        .slice(1)
        .map((subject) => `${counts.get(subject.label)?.types ?? "?"} (${subject.label})`)
        .join("; ")}`,
      `layout: each server in its own child process, autocannon in the bench process (${cpus().length} cores); server CPU read over IPC around the measured window`,
      `medians of ${ROUNDS} interleaved rounds of ${MEASURED_ANSWERS} answers on ${CONNECTIONS} connections, each after ${WARMUP_ANSWERS} warm-up answers; offline model with no delay between deltas, a new conversation per answer, rate limiting off`,
      `CPU, as a share of one core: ${subjects
        .map(
          (subject) =>
            `${subject.label}: server ${share(subject.label, (result) => result.serverCpuShare)}, load generator ${share(subject.label, (result) => result.generatorCpuShare)}`,
        )
        .join("; ")}`,
    ],
    failures,
  };
}

async function run(): Promise<BenchResult> {
  return withScratchDatabase((database) =>
    withServerProcesses(async (track) => {
      const bare = track(
        await startServerProcess(BARE_STREAM_SERVER_ENTRY, {
          parse: (json) => z.object({ url: z.url() }).parse(json),
        }),
      );
      const pglite = track(await startSwitchboardProcess({ SWITCHBOARD_RATE_LIMIT: "off" }));
      const postgres = track(
        await startSwitchboardProcess({ SWITCHBOARD_RATE_LIMIT: "off", DATABASE_URL: database.url }),
      );
      return measure([
        {
          label: `bare Fastify + streamText POST ${BARE_STREAM_PATH}`,
          server: bare,
          path: BARE_STREAM_PATH,
          headers: { "content-type": "application/json" },
        },
        {
          label: "Switchboard POST …/stream, PGlite",
          server: pglite,
          path: STREAM_PATH,
          headers: jsonHeaders(pglite.demoKey),
        },
        {
          label: "Switchboard POST …/stream, PostgreSQL",
          server: postgres,
          path: STREAM_PATH,
          headers: jsonHeaders(postgres.demoKey),
        },
      ]);
    }),
  );
}

export const streamCpu: Benchmark = {
  name: "stream-cpu",
  description:
    "Server CPU per streamed 100-delta answer (offline model, no delay): Switchboard's /stream on PGlite and on PostgreSQL against bare Fastify relaying AI SDK streamText as SSE",
  run,
};
