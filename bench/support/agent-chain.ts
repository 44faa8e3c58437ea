/**
 * The in-process multi-agent workload: Switchboard built with `createApp` on in-memory PGlite and
 * the zero-latency offline model, with a chain of provisioned agents `chain-0 → chain-1 → … →
 * chain-5`. A request to `chain-(5 - depth)` makes the chain's last agent answer at `depth`, so
 * every depth runs the very same leaf and the same intermediate agents.
 */
import type { Account } from "../../src/accounts/account-service.ts";
import { type App, createApp } from "../../src/app.ts";
import { loadSettings } from "../../src/config/settings.ts";
import type { AgentEvent } from "../../src/events/index.ts";

/** The deepest chain the platform's default nesting limit allows. */
export const DEEPEST = 5;
/** Short enough to stay one part, so each agent asks its delegate exactly once. */
export const CHAIN_MESSAGE = "hello there, how are you?";

/** What the root stream (the `emit` a server would encode as SSE) saw of one request. */
export interface RequestTally {
  /** Every event that reached the root sink: the root's own and the relayed `agent_event`s. */
  events: number;
  /** The `agent_event` wrappers among them, i.e. descendants' events. */
  relayed: number;
  /** The deepest `agent_event` depth seen; 0 when no child ran. */
  deepest: number;
  /** `error` events, the root's or relayed ones: any of them spoils the measurement. */
  errors: number;
  /** `start` events at any depth: the runs the request made. */
  runs: number;
  /** `tool_call` events at any depth: each one is a model call on top of the runs' answering ones. */
  toolCalls: number;
  status: "complete" | "aborted" | "error";
}

/** Time the database spent answering, read around each statement batch the runtime sends. */
export interface StorageMeter {
  batches: number;
  milliseconds: number;
}

export interface AgentChain {
  /** Runs one whole request (prepare, then execute) whose deepest agent answers at `depth`. */
  request(depth: number): Promise<RequestTally>;
  storage: StorageMeter;
  close(): Promise<void>;
}

function chainSlug(index: number): string {
  return `chain-${index}`;
}

/**
 * Every turn the runtime stores (the user's message, each run's answer and usage) goes through
 * `execBatch`; wrapping it splits a request's time between the database and everything else
 * without a hook in src. Requests run one at a time, so nothing else runs while a batch is awaited.
 */
function meterStorage(app: App): StorageMeter {
  const meter: StorageMeter = { batches: 0, milliseconds: 0 };
  const database = app.database;
  const execBatch = database.execBatch.bind(database);
  database.execBatch = async (text) => {
    const startedAt = performance.now();
    try {
      return await execBatch(text);
    } finally {
      meter.batches += 1;
      meter.milliseconds += performance.now() - startedAt;
    }
  };
  return meter;
}

async function provisionChain(app: App, account: Account): Promise<void> {
  for (let index = 0; index <= DEEPEST; index++) {
    const isLeaf = index === DEEPEST;
    await app.instances.provision(account, {
      type: "simple-chat",
      slug: chainSlug(index),
      config: isLeaf
        ? {}
        : { tools: ["ask_agent"], delegates: [chainSlug(index + 1)], limits: { max_fan_out: 1 } },
    });
  }
}

export async function createAgentChain(): Promise<AgentChain> {
  const settings = loadSettings({
    SWITCHBOARD_DATA_DIR: ":memory:",
    PORT: "0",
    LOG_LEVEL: "silent",
    SWITCHBOARD_RATE_LIMIT: "off",
    SWITCHBOARD_MAX_NESTING_DEPTH: String(DEEPEST),
  });
  const app = await createApp(settings, { logger: false });
  try {
    const account = await app.accounts.getBySlug(settings.defaultAccountSlug);
    await provisionChain(app, account);
    const storage = meterStorage(app);
    const neverAborted = new AbortController().signal;

    async function request(depth: number): Promise<RequestTally> {
      const tally: RequestTally = {
        events: 0,
        relayed: 0,
        deepest: 0,
        errors: 0,
        runs: 0,
        toolCalls: 0,
        status: "complete",
      };
      const count = (type: AgentEvent["type"]) => {
        if (type === "error") tally.errors += 1;
        else if (type === "start") tally.runs += 1;
        else if (type === "tool_call") tally.toolCalls += 1;
      };
      const emit = (event: AgentEvent) => {
        tally.events += 1;
        if (event.type === "agent_event") {
          tally.relayed += 1;
          if (event.depth > tally.deepest) tally.deepest = event.depth;
          count(event.event.type);
        } else {
          count(event.type);
        }
      };
      const prepared = await app.chat.prepare(
        account,
        { slug: chainSlug(DEEPEST - depth) },
        { message: CHAIN_MESSAGE },
      );
      const outcome = await prepared.execute({ signal: neverAborted, emit });
      tally.status = outcome.status;
      return tally;
    }

    return { request, storage, close: () => app.close() };
  } catch (error) {
    await app.close();
    throw error;
  }
}
