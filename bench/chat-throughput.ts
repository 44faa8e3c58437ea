import { cpus } from "node:os";
import { z } from "zod";
import { bareGenerateText, bareStreamText, CHAT_PATH, SHORT_MESSAGE } from "./support/agent-workload.ts";
import { BARE_ROUTE } from "./support/bare-fastify.ts";
import { type Benchmark, type BenchResult, type BenchRow, benchRow, median } from "./support/bench-result.ts";
import { type LoopResult, timeLoop } from "./support/loop-timer.ts";
import { withScratchDatabase } from "./support/scratch-database.ts";
import { measureServerLoad, type ServerLoadResult } from "./support/server-load.ts";
import { type ServerProcess, startServerProcess, withServerProcesses } from "./support/server-process.ts";
import {
  expectOk,
  jsonHeaders,
  type SwitchboardProcess,
  startSwitchboardProcess,
} from "./support/switchboard-process.ts";

const ROUNDS = 3;
const CONNECTIONS = 10;
const CHAT_WARMUP = 100;
const CHAT_REQUESTS = 600;
/** Turns on one conversation queue behind each other in the database; fewer keep the round short. */
const SAME_CONVERSATION_WARMUP = 50;
const SAME_CONVERSATION_REQUESTS = 300;
const BARE_WARMUP = 1_000;
const BARE_REQUESTS = 10_000;
const LOOP_SECONDS = 1;
/** Issue 3's target for one server process with persistence. */
const TARGET_REQUESTS_PER_SECOND = 2_000;

const ConversationSchema = z.object({ conversation_id: z.string(), text: z.string().min(1) });

interface LoadSubject {
  label: string;
  server: ServerProcess<{ url: string }>;
  warmup: number;
  requests: number;
  /** Called once per round: the request to send, e.g. naming a conversation created for the round. */
  request(): Promise<{ method: string; path: string; headers: Record<string, string>; body?: string }>;
}

async function startConversation(server: SwitchboardProcess): Promise<string> {
  const response = await expectOk(
    await fetch(`${server.url}${CHAT_PATH}`, {
      method: "POST",
      headers: jsonHeaders(server.demoKey),
      body: JSON.stringify({ message: SHORT_MESSAGE }),
    }),
    "start a conversation",
  );
  return ConversationSchema.parse(await response.json()).conversation_id;
}

function chatSubjects(server: SwitchboardProcess, backend: string): LoadSubject[] {
  const base = { server, warmup: CHAT_WARMUP, requests: CHAT_REQUESTS };
  return [
    {
      ...base,
      label: `POST …/chat new conversation, ${backend}`,
      request: async () => ({
        method: "POST",
        path: CHAT_PATH,
        headers: jsonHeaders(server.demoKey),
        body: JSON.stringify({ message: SHORT_MESSAGE }),
      }),
    },
    {
      server,
      warmup: SAME_CONVERSATION_WARMUP,
      requests: SAME_CONVERSATION_REQUESTS,
      label: `POST …/chat same conversation, ${backend}`,
      // A conversation per round: after 20 turns the history read is at its limit, as in a long chat.
      request: async () => ({
        method: "POST",
        path: CHAT_PATH,
        headers: jsonHeaders(server.demoKey),
        body: JSON.stringify({ message: SHORT_MESSAGE, conversation_id: await startConversation(server) }),
      }),
    },
  ];
}

function chatRows(
  subject: string,
  samples: ServerLoadResult[],
  bare: ServerLoadResult[],
  generateTextLoop: LoopResult[],
): BenchRow[] {
  const of = (results: ServerLoadResult[], pick: (result: ServerLoadResult) => number) =>
    median(results.map(pick));
  const requestsPerSecond = of(samples, (result) => result.requestsPerSecond);
  const rows = [
    benchRow({
      subject,
      metric: "requests/s vs bare Fastify",
      unit: "req/s",
      value: requestsPerSecond,
      baseline: of(bare, (result) => result.requestsPerSecond),
      target: { of: "value", atLeast: TARGET_REQUESTS_PER_SECOND },
    }),
    benchRow({
      subject,
      metric: "requests/s vs generateText runs/s",
      unit: "req/s",
      value: requestsPerSecond,
      baseline: median(generateTextLoop.map((result) => result.runsPerSecond)),
    }),
    benchRow({
      subject,
      metric: "server CPU per request",
      unit: "µs",
      value: of(samples, (result) => result.serverCpuMicrosecondsPerRequest),
      baseline: of(bare, (result) => result.serverCpuMicrosecondsPerRequest),
    }),
    benchRow({
      subject,
      metric: "latency p50",
      unit: "ms",
      value: of(samples, (result) => result.latencyMs.p50),
      baseline: of(bare, (result) => result.latencyMs.p50),
    }),
  ];
  return samples.some((sample) => sample.failures.length > 0)
    ? rows.map((row) => ({ ...row, pass: false }))
    : rows;
}

function loopRows(generateTextLoop: LoopResult[], streamTextLoop: LoopResult[]): BenchRow[] {
  const runs = (results: LoopResult[]) => median(results.map((result) => result.runsPerSecond));
  const cpu = (results: LoopResult[]) => median(results.map((result) => result.cpuMicrosecondsPerRun));
  return [
    benchRow({
      subject: "AI SDK generateText loop, in-process",
      metric: "runs/s",
      unit: "runs/s",
      value: runs(generateTextLoop),
    }),
    benchRow({
      subject: "AI SDK generateText loop, in-process",
      metric: "CPU per run",
      unit: "µs",
      value: cpu(generateTextLoop),
    }),
    benchRow({
      subject: "AI SDK streamText loop, in-process",
      metric: "runs/s vs generateText",
      unit: "runs/s",
      value: runs(streamTextLoop),
      baseline: runs(generateTextLoop),
    }),
    benchRow({
      subject: "AI SDK streamText loop, in-process",
      metric: "CPU per run vs generateText",
      unit: "µs",
      value: cpu(streamTextLoop),
      baseline: cpu(generateTextLoop),
    }),
  ];
}

async function measure(bare: ServerProcess<{ url: string }>, subjects: LoadSubject[]): Promise<BenchResult> {
  const bareSubject: LoadSubject = {
    label: `bare Fastify GET ${BARE_ROUTE}`,
    server: bare,
    warmup: BARE_WARMUP,
    requests: BARE_REQUESTS,
    request: async () => ({ method: "GET", path: BARE_ROUTE, headers: {} }),
  };
  const all = [bareSubject, ...subjects];
  const samples = new Map<string, ServerLoadResult[]>(all.map((subject) => [subject.label, []]));
  const generateTextLoop: LoopResult[] = [];
  const streamTextLoop: LoopResult[] = [];
  const failures: string[] = [];

  for (let round = 1; round <= ROUNDS; round++) {
    // The loops run while every server idles, so they have this process's core to themselves.
    generateTextLoop.push(
      await timeLoop(() => bareGenerateText(SHORT_MESSAGE), { warmupRuns: 200, seconds: LOOP_SECONDS }),
    );
    streamTextLoop.push(
      await timeLoop(() => bareStreamText(SHORT_MESSAGE), { warmupRuns: 100, seconds: LOOP_SECONDS }),
    );
    for (const subject of all) {
      const { method, path, headers, body } = await subject.request();
      const result = await measureServerLoad(subject.server, {
        url: `${subject.server.url}${path}`,
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        connections: CONNECTIONS,
        warmup: { amount: subject.warmup },
        amount: subject.requests,
      });
      samples.get(subject.label)?.push(result);
      failures.push(...result.failures.map((failure) => `round ${round}, ${subject.label}: ${failure}`));
    }
  }

  const bareSamples = samples.get(bareSubject.label) ?? [];
  const rows = [
    ...subjects.flatMap((subject) =>
      chatRows(subject.label, samples.get(subject.label) ?? [], bareSamples, generateTextLoop),
    ),
    ...loopRows(generateTextLoop, streamTextLoop),
  ];
  const share = (label: string, pick: (result: ServerLoadResult) => number) =>
    `${Math.round(median((samples.get(label) ?? []).map(pick)) * 100)}%`;
  return {
    rows,
    notes: [
      `chat: the seeded demo account's simple-chat on the offline model (no delay), message "${SHORT_MESSAGE}", rate limiting off; PGlite in memory in the server process, PostgreSQL a scratch database on this machine`,
      `baselines: bare Fastify GET ${BARE_ROUTE} (child process, ${BARE_REQUESTS} requests per round); AI SDK generateText/streamText with the same model, system prompt and message in a loop in the bench process (${LOOP_SECONDS} s per round, no HTTP, no database)`,
      `layout: each server in its own child process, autocannon in the bench process (${cpus().length} cores); PostgreSQL's own processes share those cores`,
      `medians of ${ROUNDS} interleaved rounds on ${CONNECTIONS} connections; new conversation: ${CHAT_REQUESTS} requests per round after ${CHAT_WARMUP} warm-up; same conversation: one conversation started per round, ${SAME_CONVERSATION_REQUESTS} requests to it after ${SAME_CONVERSATION_WARMUP} warm-up`,
      `CPU, as a share of one core: ${all
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
        await startServerProcess(new URL("./support/bare-fastify.ts", import.meta.url), {
          parse: (json) => z.object({ url: z.url() }).parse(json),
        }),
      );
      const pglite = track(await startSwitchboardProcess({ SWITCHBOARD_RATE_LIMIT: "off" }));
      const postgres = track(
        await startSwitchboardProcess({ SWITCHBOARD_RATE_LIMIT: "off", DATABASE_URL: database.url }),
      );
      return measure(bare, [...chatSubjects(pglite, "PGlite"), ...chatSubjects(postgres, "PostgreSQL")]);
    }),
  );
}

export const chatThroughput: Benchmark = {
  name: "chat-throughput",
  description:
    "JSON chat requests/s of one server process with persistence (PGlite, PostgreSQL; new and continued conversations) against bare Fastify and an in-process AI SDK generateText loop",
  run,
};
