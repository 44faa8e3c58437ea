import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import {
  type AgentChain,
  CHAIN_MESSAGE,
  createAgentChain,
  DEEPEST,
  type RequestTally,
} from "./support/agent-chain.ts";
import { type Benchmark, type BenchResult, type BenchRow, benchRow, median } from "./support/bench-result.ts";
import { bareStreamParts, measureRelayPath } from "./support/relay-bounds.ts";

/** Where the chain's last agent answers: alone (the baseline), two below the root, five below. */
const DEPTHS = [0, 2, DEEPEST] as const;
type Depth = (typeof DEPTHS)[number];
/** The depths, and bare AI SDK `streamText` of the leaf's answer: the cost of producing the events at all. */
type SubjectKey = Depth | "bare";
const SUBJECTS: readonly SubjectKey[] = ["bare", ...DEPTHS];

const ROUNDS = 7;
const BATCH_SECONDS = 1.1;
const WARMUP_SECONDS = 0.5;
const RELAY_PATH_SECONDS = 0.5;
/** Issue 4: what one process must relay, and how much of depth 0's rate depth 2 must keep. */
const EVENTS_PER_SECOND_TARGET = 50_000;
const DEPTH_TWO_RATIO_TARGET = 0.8;
/** A depth-5 chain is compared with this many independent single-agent requests. */
const SINGLE_REQUESTS = 5;

interface Batch {
  requests: number;
  events: number;
  seconds: number;
  cpuMicroseconds: number;
  storageBatches: number;
  storageMilliseconds: number;
}

/** One request of a subject: how many events reached its sink, and whether it streamed as probed. */
type Work = () => Promise<{ events: number; ok: boolean }>;

function chainWork(chain: AgentChain, depth: Depth, expected: RequestTally): Work {
  return async () => {
    const tally = await chain.request(depth);
    const ok =
      tally.status === "complete" &&
      tally.errors === 0 &&
      tally.events === expected.events &&
      tally.deepest === expected.deepest;
    return { events: tally.events, ok };
  };
}

/** Requests back to back, one at a time, for `seconds`: the process's own rate, no load generator. */
async function runBatch(
  chain: AgentChain,
  label: string,
  work: Work,
  seconds: number,
  failures: string[],
): Promise<Batch> {
  const storageBefore = { ...chain.storage };
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const deadline = startedAt + seconds * 1_000;
  let requests = 0;
  let events = 0;
  let misshapen = 0;
  let now = startedAt;
  while (now < deadline) {
    const result = await work();
    requests += 1;
    events += result.events;
    if (!result.ok) misshapen += 1;
    now = performance.now();
  }
  const cpu = process.cpuUsage(cpuBefore);
  if (misshapen > 0)
    failures.push(`${label}: ${misshapen} of ${requests} requests did not stream like the probe`);
  return {
    requests,
    events,
    seconds: (now - startedAt) / 1_000,
    cpuMicroseconds: cpu.user + cpu.system,
    storageBatches: chain.storage.batches - storageBefore.batches,
    storageMilliseconds: chain.storage.milliseconds - storageBefore.milliseconds,
  };
}

/** One request per depth, read whole, so a chain that stops short is never timed as if it nested. */
async function probe(chain: AgentChain, failures: string[]) {
  const tallies = new Map<Depth, RequestTally>();
  for (const depth of DEPTHS) {
    const tally = await chain.request(depth);
    if (
      tally.status !== "complete" ||
      tally.errors > 0 ||
      tally.deepest !== depth ||
      tally.runs !== depth + 1
    ) {
      failures.push(
        `depth ${depth}: the probe ended ${tally.status} with ${tally.errors} error events and ${tally.runs} runs, deepest event at depth ${tally.deepest}`,
      );
    }
    tallies.set(depth, tally);
  }
  const bareParts = await bareStreamParts(CHAIN_MESSAGE);
  return { tallies, bareParts };
}

const perSecond = (batch: Batch) => batch.events / batch.seconds;
const perCpuSecond = (batch: Batch) => batch.events / (batch.cpuMicroseconds / 1e6);
const millisecondsPerRequest = (batch: Batch) => (batch.seconds * 1_000) / batch.requests;
const cpuMillisecondsPerRequest = (batch: Batch) => batch.cpuMicroseconds / 1_000 / batch.requests;
const storageShare = (batch: Batch) => batch.storageMilliseconds / (batch.seconds * 1_000);

function labelOf(subject: SubjectKey): string {
  if (subject === "bare") return "bare AI SDK streamText (no Switchboard)";
  return subject === 0 ? "depth 0 (one agent answers)" : `depth ${subject} (chain of ${subject + 1} agents)`;
}

type Samples = Map<SubjectKey, Batch[]>;

function medianOf(samples: Samples, subject: SubjectKey, pick: (batch: Batch) => number): number {
  return median((samples.get(subject) ?? []).map(pick));
}

function throughputRows(samples: Samples, relayPath: number): BenchRow[] {
  const of = (subject: SubjectKey, pick: (batch: Batch) => number) => medianOf(samples, subject, pick);
  // Depth 0 is read against bare streamText (what Switchboard adds), the deeper ones against depth 0.
  const baselineOf = (depth: Depth): SubjectKey => (depth === 0 ? "bare" : 0);
  return [
    benchRow({
      subject: labelOf("bare"),
      metric: "stream parts/s",
      unit: "ev/s",
      value: of("bare", perSecond),
    }),
    ...DEPTHS.map((depth) =>
      benchRow({
        subject: labelOf(depth),
        metric: "events/s reaching the root stream",
        unit: "ev/s",
        value: of(depth, perSecond),
        baseline: of(baselineOf(depth), perSecond),
        target: { of: "value", atLeast: EVENTS_PER_SECOND_TARGET },
      }),
    ),
    benchRow({
      subject: labelOf(2),
      metric: "events/s against depth 0",
      unit: "ev/s",
      value: of(2, perSecond),
      baseline: of(0, perSecond),
      target: { of: "ratio", atLeast: DEPTH_TWO_RATIO_TARGET },
    }),
    ...DEPTHS.map((depth) =>
      benchRow({
        subject: labelOf(depth),
        metric: "events per CPU-second",
        unit: "ev/s",
        value: of(depth, perCpuSecond),
        baseline: of(baselineOf(depth), perCpuSecond),
      }),
    ),
    benchRow({
      subject: "relay path alone (sequence, wrap, sequence)",
      metric: "events/s",
      unit: "ev/s",
      value: relayPath,
    }),
  ];
}

/** The same samples read per request: one depth-5 request against five depth-0 requests. */
function chainCostRows(samples: Samples): BenchRow[] {
  const of = (depth: Depth, pick: (batch: Batch) => number) => medianOf(samples, depth, pick);
  const subject = `one depth-${DEEPEST} request vs ${SINGLE_REQUESTS} single-agent requests`;
  return [
    benchRow({
      subject,
      metric: "wall time",
      unit: "ms",
      value: of(DEEPEST, millisecondsPerRequest),
      baseline: SINGLE_REQUESTS * of(0, millisecondsPerRequest),
    }),
    benchRow({
      subject,
      metric: "CPU time",
      unit: "ms",
      value: of(DEEPEST, cpuMillisecondsPerRequest),
      baseline: SINGLE_REQUESTS * of(0, cpuMillisecondsPerRequest),
    }),
  ];
}

function describeWork(tallies: Map<Depth, RequestTally>, samples: Samples): string[] {
  return DEPTHS.map((depth) => {
    const tally = tallies.get(depth);
    const batches = samples.get(depth) ?? [];
    const requests = batches.reduce((sum, batch) => sum + batch.requests, 0);
    const storageBatches = batches.reduce((sum, batch) => sum + batch.storageBatches, 0);
    const share = Math.round(median(batches.map(storageShare)) * 100);
    const cpu = medianOf(samples, depth, cpuMillisecondsPerRequest);
    return (
      `depth ${depth}: ${tally?.runs ?? "?"} runs and ${(tally?.runs ?? 0) + (tally?.toolCalls ?? 0)} model calls per request, ` +
      `${tally?.events ?? "?"} events at the root (${tally?.relayed ?? "?"} relayed), ` +
      `${cpu.toFixed(2)} ms CPU, ${(storageBatches / Math.max(1, requests)).toFixed(0)} database batches ` +
      `taking ${share}% of the wall time; ${requests} requests measured`
    );
  });
}

async function run(): Promise<BenchResult> {
  const failures: string[] = [];
  const chain = await createAgentChain();
  try {
    const { tallies, bareParts } = await probe(chain, failures);
    const works = new Map<SubjectKey, Work>([
      [
        "bare",
        async () => {
          const parts = await bareStreamParts(CHAIN_MESSAGE);
          return { events: parts, ok: parts === bareParts };
        },
      ],
    ]);
    for (const [depth, tally] of tallies) works.set(depth, chainWork(chain, depth, tally));
    const workOf = (subject: SubjectKey): Work => {
      const work = works.get(subject);
      if (!work) throw new Error(`nothing to run for ${labelOf(subject)}`);
      return work;
    };
    // JIT, the agent cache and PGlite's query plans warm up here; none of it is reported.
    for (const subject of SUBJECTS)
      await runBatch(chain, labelOf(subject), workOf(subject), WARMUP_SECONDS, []);

    const samples: Samples = new Map(SUBJECTS.map((subject) => [subject, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Rotating who goes first keeps drift (PGlite's tables grow, the machine's load moves) off any one subject.
      const order = SUBJECTS.map((_, index) => SUBJECTS[(index + round) % SUBJECTS.length] ?? "bare");
      for (const subject of order) {
        const batch = await runBatch(chain, labelOf(subject), workOf(subject), BATCH_SECONDS, failures);
        samples.get(subject)?.push(batch);
      }
    }
    const relayPath = measureRelayPath(RELAY_PATH_SECONDS);

    const ratio = (depth: Depth) => medianOf(samples, depth, perSecond) / medianOf(samples, 0, perSecond);
    const [loadLastMinute = 0] = loadavg();
    return {
      rows: [...throughputRows(samples, relayPath.eventsPerSecond), ...chainCostRows(samples)],
      notes: [
        "in-process: createApp on in-memory PGlite, offline model with no delay; a request is chat.prepare then execute with an emit that counts events (no HTTP, no SSE encoding), one request at a time",
        `throughput against depth 0: depth 2 ${ratio(2).toFixed(3)}×, depth ${DEEPEST} ${ratio(DEEPEST).toFixed(3)}×`,
        ...describeWork(tallies, samples),
        `bare streamText: ${bareParts} stream parts per answer, ${medianOf(samples, "bare", cpuMillisecondsPerRequest).toFixed(2)} ms CPU; relay path alone: ${relayPath.cpuMicrosecondsPerEvent.toFixed(2)} µs CPU per event`,
        `medians of ${ROUNDS} rounds of ${BATCH_SECONDS}s per subject, interleaved and rotated each round, after ${WARMUP_SECONDS}s of warm-up each; the ${SINGLE_REQUESTS} single requests are ${SINGLE_REQUESTS}× the depth-0 figures of the same rounds`,
        `CPU is this process's user + system time (PGlite's WebAssembly and the garbage collector's threads included); load average ${loadLastMinute.toFixed(2)} on ${availableParallelism()} cores at the end`,
      ],
      failures,
    };
  } finally {
    await chain.close();
  }
}

export const multiAgent: Benchmark = {
  name: "multi-agent",
  description:
    "Events reaching the root stream per second with the deepest agent at depth 0, 2 and 5 (in-process, offline model, no delay), against bare streamText, and what a depth-5 chain costs against five single-agent requests",
  run,
};
