import { z } from "zod";
import { CHAT_PATH, SHORT_MESSAGE, STREAM_PATH } from "./support/agent-workload.ts";
import { type Benchmark, type BenchResult, type BenchRow, benchRow } from "./support/bench-result.ts";
import {
  type PostgresWireProxy,
  type RoundTrip,
  startPostgresWireProxy,
} from "./support/postgres-wire-proxy.ts";
import { withScratchDatabase } from "./support/scratch-database.ts";
import { withServerProcesses } from "./support/server-process.ts";
import {
  expectOk,
  jsonHeaders,
  type SwitchboardProcess,
  startSwitchboardProcess,
} from "./support/switchboard-process.ts";

const TURNS = 100;
const WARMUP_TURNS = 10;
const PROBES = 20;
/** Issue 3's bound on database round trips per chat turn. */
const TARGET_ROUND_TRIPS_PER_TURN = 5;

const ConversationSchema = z.object({ conversation_id: z.string() });

interface Probe {
  label: string;
  times: number;
  send(): Promise<void>;
}

interface ProbeResult {
  label: string;
  counts: number[];
  /** The statements of one request that made the most common count. */
  typical: RoundTrip[];
  /** The statements of the costliest request, when it cost more than the typical one. */
  costliest: RoundTrip[] | null;
}

function probes(server: SwitchboardProcess, conversationId: string): { checks: Probe[]; turns: Probe[] } {
  const get = (path: string) => async () => {
    await (await expectOk(await fetch(`${server.url}${path}`), `GET ${path}`)).text();
  };
  const post = (path: string, body: Record<string, string>) => async () => {
    const response = await fetch(`${server.url}${path}`, {
      method: "POST",
      headers: jsonHeaders(server.demoKey),
      body: JSON.stringify(body),
    });
    // Read to the end: a streamed turn stores its answer before its last frames.
    await (await expectOk(response, `POST ${path}`)).text();
  };
  return {
    checks: [
      { label: "GET /healthz", times: PROBES, send: get("/healthz") },
      { label: "GET /readyz", times: PROBES, send: get("/readyz") },
    ],
    turns: [
      {
        label: "POST …/chat new conversation",
        times: TURNS,
        send: post(CHAT_PATH, { message: SHORT_MESSAGE }),
      },
      {
        label: "POST …/chat same conversation",
        times: TURNS,
        send: post(CHAT_PATH, { message: SHORT_MESSAGE, conversation_id: conversationId }),
      },
      {
        label: "POST …/stream new conversation",
        times: TURNS,
        send: post(STREAM_PATH, { message: SHORT_MESSAGE }),
      },
    ],
  };
}

/** Requests one at a time, the counter reset before each, so every count belongs to one request. */
async function countEach(proxy: PostgresWireProxy, probe: Probe): Promise<ProbeResult> {
  const counts: number[] = [];
  const samples: RoundTrip[][] = [];
  for (let index = 0; index < probe.times; index++) {
    proxy.reset();
    await probe.send();
    counts.push(proxy.roundTrips);
    samples.push([...proxy.recent]);
  }
  const mode = mostCommon(counts);
  const most = Math.max(...counts);
  return {
    label: probe.label,
    counts,
    typical: samples[counts.indexOf(mode)] ?? [],
    costliest: most > mode ? (samples[counts.indexOf(most)] ?? null) : null,
  };
}

function mostCommon(values: readonly number[]): number {
  const tally = new Map<number, number>();
  for (const value of values) tally.set(value, (tally.get(value) ?? 0) + 1);
  return [...tally].sort((left, right) => right[1] - left[1])[0]?.[0] ?? Number.NaN;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function distribution(counts: readonly number[]): string {
  const tally = new Map<number, number>();
  for (const count of counts) tally.set(count, (tally.get(count) ?? 0) + 1);
  return [...tally]
    .sort((left, right) => left[0] - right[0])
    .map(([count, times]) => `${times}× ${count}`)
    .join(", ");
}

async function measure(proxy: PostgresWireProxy, server: SwitchboardProcess): Promise<BenchResult> {
  const started = await expectOk(
    await fetch(`${server.url}${CHAT_PATH}`, {
      method: "POST",
      headers: jsonHeaders(server.demoKey),
      body: JSON.stringify({ message: SHORT_MESSAGE }),
    }),
    "start a conversation",
  );
  const conversationId = ConversationSchema.parse(await started.json()).conversation_id;
  const { checks, turns } = probes(server, conversationId);
  // Warm every cache a request goes through (key, account, instance, built agent, pool connections).
  for (const probe of [...checks, ...turns]) {
    for (let index = 0; index < WARMUP_TURNS; index++) await probe.send();
  }

  const [healthz, readyz] = [
    await countEach(proxy, checks[0] as Probe),
    await countEach(proxy, checks[1] as Probe),
  ];
  const results: ProbeResult[] = [];
  for (const probe of turns) results.push(await countEach(proxy, probe));

  const readyzMean = mean(readyz.counts);
  const rows: BenchRow[] = [
    benchRow({
      subject: healthz.label,
      metric: "round trips per request",
      unit: "trips",
      value: mean(healthz.counts),
      target: { of: "value", atMost: 0 },
    }),
    benchRow({
      subject: readyz.label,
      metric: "round trips per request",
      unit: "trips",
      value: readyzMean,
      target: { of: "value", atLeast: 1, atMost: 1 },
    }),
    ...results.map((result) =>
      benchRow({
        subject: result.label,
        metric: "round trips per turn",
        unit: "trips",
        value: mean(result.counts),
        baseline: readyzMean,
        target: { of: "value", atMost: TARGET_ROUND_TRIPS_PER_TURN },
      }),
    ),
  ];
  const statements = (trips: readonly RoundTrip[]) =>
    trips.map((trip, index) => `(${index + 1}, ${trip.kind}) ${trip.statement}`).join(" ");
  return {
    rows,
    notes: [
      "counted on the wire by a TCP proxy between the server and PostgreSQL: each simple Query message is one round trip, each extended-protocol Sync ends one; connection startup is not counted",
      `baselines: GET /healthz touches no database (0), GET /readyz pings it once (1); their rows fail if the counter is wrong. The ratio column is turns against one /readyz ping`,
      `after ${WARMUP_TURNS} warm-up requests of each kind, ${PROBES} probes of each check and ${TURNS} sequential turns of each kind, counted one by one; defaults otherwise (rate limiting on, in-process cache)`,
      ...[healthz, readyz, ...results].map((result) => `${result.label}: ${distribution(result.counts)}`),
      ...results.map((result) => `one ${result.label} turn: ${statements(result.typical)}`),
      ...results.flatMap((result) =>
        result.costliest ? [`the costliest ${result.label} turn: ${statements(result.costliest)}`] : [],
      ),
    ],
  };
}

async function run(): Promise<BenchResult> {
  return withScratchDatabase(async (database) => {
    const proxy = await startPostgresWireProxy(database.url);
    try {
      return await withServerProcesses(async (track) => {
        const server = track(await startSwitchboardProcess({ DATABASE_URL: proxy.urlFor(database.url) }));
        return measure(proxy, server);
      });
    } finally {
      await proxy.close();
    }
  });
}

export const dbRoundTrips: Benchmark = {
  name: "db-round-trips",
  description:
    "PostgreSQL round trips per chat turn, counted on the wire by a protocol-aware proxy, against GET /healthz (0) and GET /readyz (1)",
  run,
};
