import { randomBytes } from "node:crypto";
import { cpus } from "node:os";
import { z } from "zod";
import { TIER_LIMITS } from "../src/accounts/tiers.ts";
import { BARE_ROUTE } from "./support/bare-fastify.ts";
import { type Benchmark, type BenchResult, type BenchRow, benchRow, median } from "./support/bench-result.ts";
import { measureServerLoad, type ServerLoadResult } from "./support/server-load.ts";
import { type ServerProcess, startServerProcess, withServerProcesses } from "./support/server-process.ts";

const ROUNDS = 5;
/** Routes outside the rate limit get more requests, so a fast baseline still runs for a second or more. */
const UNLIMITED_REQUESTS = 20_000;
const RATE_LIMITED_REQUESTS = 5_000;
const WARMUP_REQUESTS = 500;
const CONNECTIONS = 10;
/** Account creation is the only admin call; provisioning and the sanity check count on the account. */
const SETUP_REQUESTS_PER_ACCOUNT = 2;

const SwitchboardAnnouncementSchema = z.object({
  url: z.url(),
  demoKey: z.string().nullable(),
  adminKey: z.string(),
});
type SwitchboardAnnouncement = z.infer<typeof SwitchboardAnnouncementSchema>;

const CreatedAccountSchema = z.object({ api_key: z.string() });

interface Subject {
  label: string;
  requests: number;
  /** Which server answers and with what request; called once per round. */
  prepare(): Promise<{ server: ServerProcess<{ url: string }>; path: string; key: string | null }>;
}

async function expectStatus(response: Response, status: number, what: string): Promise<void> {
  if (response.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${response.status}: ${await response.text()}`);
  }
}

/** A fresh enterprise account with a simple-chat instance, so each round has a whole minute's budget. */
async function createBenchAccount(
  switchboard: ServerProcess<SwitchboardAnnouncement>,
): Promise<{ slug: string; apiKey: string }> {
  const { url, adminKey } = switchboard.announcement;
  const slug = `bench-${randomBytes(4).toString("hex")}`;
  const created = await fetch(`${url}/accounts`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({ slug, name: "Benchmark", tier: "enterprise" }),
  });
  await expectStatus(created, 201, "create the bench account");
  const apiKey = CreatedAccountSchema.parse(await created.json()).api_key;
  const provisioned = await fetch(`${url}/accounts/${slug}/agents`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ type: "simple-chat", slug: "simple-chat" }),
  });
  await expectStatus(provisioned, 201, "provision simple-chat");
  const check = await fetch(`${url}/accounts/${slug}/agents/simple-chat`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  await expectStatus(check, 200, "read simple-chat before the load");
  return { slug, apiKey };
}

function rowsFor(label: string, samples: ServerLoadResult[], baseline: ServerLoadResult[]): BenchRow[] {
  const of = (results: ServerLoadResult[], pick: (result: ServerLoadResult) => number) =>
    median(results.map(pick));
  const metrics: Array<[string, string, (result: ServerLoadResult) => number]> = [
    ["requests/s", "req/s", (result) => result.requestsPerSecond],
    ["latency p50", "ms", (result) => result.latencyMs.p50],
    ["latency p99", "ms", (result) => result.latencyMs.p99],
    ["server CPU per request", "µs", (result) => result.serverCpuMicrosecondsPerRequest],
  ];
  const failed = samples.some((sample) => sample.failures.length > 0);
  return metrics.map(([metric, unit, pick]) => {
    const row = benchRow({
      subject: label,
      metric,
      unit,
      value: of(samples, pick),
      baseline: of(baseline, pick),
    });
    return failed ? { ...row, pass: false } : row;
  });
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

async function measure(
  bare: ServerProcess<{ url: string }>,
  switchboard: ServerProcess<SwitchboardAnnouncement>,
): Promise<BenchResult> {
  const demoKey = switchboard.announcement.demoKey;
  if (demoKey === null) throw new Error("the Switchboard server seeded no demo account");

  const baselineLabel = `bare Fastify GET ${BARE_ROUTE}`;
  const subjects: Subject[] = [
    {
      label: baselineLabel,
      requests: UNLIMITED_REQUESTS,
      prepare: async () => ({ server: bare, path: BARE_ROUTE, key: null }),
    },
    {
      label: "GET /healthz",
      requests: UNLIMITED_REQUESTS,
      prepare: async () => ({ server: switchboard, path: "/healthz", key: demoKey }),
    },
    {
      label: "GET /accounts/:account/agents/simple-chat",
      requests: RATE_LIMITED_REQUESTS,
      prepare: async () => {
        const { slug, apiKey } = await createBenchAccount(switchboard);
        return { server: switchboard, path: `/accounts/${slug}/agents/simple-chat`, key: apiKey };
      },
    },
  ];

  const samples = new Map<string, ServerLoadResult[]>(subjects.map((subject) => [subject.label, []]));
  const failures: string[] = [];
  // Rounds interleave the subjects so slow drift (thermal, noisy neighbours) hits all alike.
  for (let round = 1; round <= ROUNDS; round++) {
    for (const subject of subjects) {
      const { server, path, key } = await subject.prepare();
      const result = await measureServerLoad(server, {
        url: `${server.url}${path}`,
        headers: key === null ? {} : { authorization: `Bearer ${key}` },
        connections: CONNECTIONS,
        warmup: { amount: WARMUP_REQUESTS },
        amount: subject.requests,
      });
      samples.get(subject.label)?.push(result);
      failures.push(...result.failures.map((failure) => `round ${round}, ${subject.label}: ${failure}`));
    }
  }

  const baseline = samples.get(baselineLabel) ?? [];
  const rows = subjects
    .filter((subject) => subject.label !== baselineLabel)
    .flatMap((subject) => rowsFor(subject.label, samples.get(subject.label) ?? [], baseline));
  const shares = [...samples].map(
    ([label, results]) =>
      `${label}: server ${percent(median(results.map((result) => result.serverCpuShare)))}, ` +
      `load generator ${percent(median(results.map((result) => result.generatorCpuShare)))}`,
  );
  return {
    rows,
    notes: [
      `layout: each server in its own child process, autocannon in the bench process (${cpus().length} cores)`,
      `medians of ${ROUNDS} interleaved rounds on ${CONNECTIONS} connections, each after ${WARMUP_REQUESTS} warm-up requests`,
      `per round: ${UNLIMITED_REQUESTS} requests to the baseline and /healthz (no rate limit); ${RATE_LIMITED_REQUESTS} to the agent route, on a fresh enterprise account each round to stay under its ${TIER_LIMITS.enterprise.requests_per_minute} requests/min`,
      `CPU, as a share of one core: ${shares.join("; ")}`,
      "a load generator near 100% means that subject's requests/s is capped by autocannon, not the server",
    ],
    failures,
  };
}

async function run(): Promise<BenchResult> {
  // A fixed number of requests per fresh enterprise account keeps the run under the tier's rate
  // limit without a bench-only switch in the server; a tier change that breaks this fails loudly.
  const budget = TIER_LIMITS.enterprise.requests_per_minute;
  if (SETUP_REQUESTS_PER_ACCOUNT + WARMUP_REQUESTS + RATE_LIMITED_REQUESTS >= budget) {
    throw new Error(`one round would exceed the enterprise limit of ${budget} requests/min`);
  }
  return withServerProcesses(async (track) => {
    const bare = track(
      await startServerProcess(new URL("./support/bare-fastify.ts", import.meta.url), {
        parse: (json) => z.object({ url: z.url() }).parse(json),
      }),
    );
    const switchboard = track(
      await startServerProcess(new URL("./support/switchboard-server.ts", import.meta.url), {
        parse: (json) => SwitchboardAnnouncementSchema.parse(json),
      }),
    );
    return measure(bare, switchboard);
  });
}

export const httpDiscovery: Benchmark = {
  name: "http-discovery",
  description:
    "Requests/s, latency and server CPU of GET /healthz and GET one agent instance (auth, account, RLS transaction, config merge) against a bare Fastify JSON route",
  run,
};
