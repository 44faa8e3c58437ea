/**
 * Child-process entry of `run-memory`, started with `--expose-gc` so every heap figure is taken
 * after a full collection. It measures in-process (no HTTP): K streamed runs held in flight by a
 * slow offline model, and the heap over many sequential runs, each against the same work done by
 * bare AI SDK `streamText`. Prints one JSON line with the figures.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { streamText } from "ai";
import type { Account } from "../../src/accounts/account-service.ts";
import { type App, createApp } from "../../src/app.ts";
import { loadSettings } from "../../src/config/settings.ts";
import { encodeSseEvent } from "../../src/events/index.ts";
import { AGENT_SLUG, bareCallOptions, HUNDRED_DELTA_MESSAGE, SHORT_MESSAGE } from "./agent-workload.ts";

export interface InFlightFigures {
  runs: number;
  idleHeap: number;
  inFlightHeap: number;
  /** Heap once the runs were aborted and had ended: what they left behind. */
  afterHeap: number;
}

export interface SequentialFigures {
  runs: number;
  seconds: number;
  /** Heap after gc at each checkpoint, keyed by the number of runs done. */
  heapAt: Record<string, number>;
}

export interface RunMemoryFigures {
  chunkDelayMs: number;
  encodedCharacters: number;
  inFlight: { switchboard: InFlightFigures; bare: InFlightFigures };
  sequential: { switchboard: SequentialFigures; bare: SequentialFigures };
}

/** Starts one run; resolves `streaming` once it is mid-answer and `ended` when it is over. */
type StartRun = (signal: AbortSignal) => { streaming: Promise<void>; ended: Promise<void> };

/** A run that ends before it streamed enough would leave the measurement waiting forever. */
function inFlightOrFailed(streaming: Promise<void>, ended: Promise<void>): Promise<void> {
  return Promise.race([
    streaming,
    ended.then(() => {
      throw new Error("a run ended before it was in flight");
    }),
  ]);
}

const collect = globalThis.gc;
if (!collect) throw new Error("run-memory-child needs node --expose-gc");

async function heapAfterGc(): Promise<number> {
  // Two passes and a turn between them, so objects freed by finalizers or pending callbacks go too.
  await nextTurn();
  collect?.();
  await nextTurn();
  collect?.();
  return process.memoryUsage().heapUsed;
}

/** Resolves `streaming` at the delta that makes a run count as in flight: started, far from done. */
function deltaWatcher(deltasInFlight: number) {
  let deltas = 0;
  let reached: () => void = () => {};
  const streaming = new Promise<void>((resolve) => {
    reached = resolve;
  });
  return {
    streaming,
    sawDelta() {
      deltas += 1;
      if (deltas === deltasInFlight) reached();
    },
  };
}

/** Every encoded frame's length lands here, so the encoding is work that cannot be optimised away. */
let encodedCharacters = 0;

function switchboardRun(app: App, account: Account, message: string, deltasInFlight: number): StartRun {
  return (signal) => {
    const watcher = deltaWatcher(deltasInFlight);
    const ended = app.chat.prepare(account, { slug: AGENT_SLUG }, { message }).then((prepared) =>
      prepared.execute({
        signal,
        emit: (event) => {
          // Encoded as the SSE response would, then dropped: the socket write is not measured.
          encodedCharacters += encodeSseEvent(event).length;
          if (event.type === "text_delta") watcher.sawDelta();
        },
      }),
    );
    const done = ended.then(() => undefined);
    return { streaming: inFlightOrFailed(watcher.streaming, done), ended: done };
  };
}

function bareRun(message: string, chunkDelayMs: number, deltasInFlight = 1): StartRun {
  return (signal) => {
    const watcher = deltaWatcher(deltasInFlight);
    const ended = (async () => {
      const result = streamText({ ...bareCallOptions(message, chunkDelayMs), abortSignal: signal });
      let seq = 0;
      for await (const part of result.fullStream) {
        if (part.type !== "text-delta") continue;
        seq += 1;
        encodedCharacters +=
          `id: ${seq}\nevent: text_delta\ndata: ${JSON.stringify({ delta: part.text, seq })}\n\n`.length;
        watcher.sawDelta();
      }
    })();
    return { streaming: inFlightOrFailed(watcher.streaming, ended), ended };
  };
}

async function holdInFlight(start: StartRun, runs: number): Promise<InFlightFigures> {
  const idleHeap = await heapAfterGc();
  const controller = new AbortController();
  const started = Array.from({ length: runs }, () => start(controller.signal));
  await Promise.all(started.map((run) => run.streaming));
  const inFlightHeap = await heapAfterGc();
  controller.abort(new Error("measured"));
  await Promise.allSettled(started.map((run) => run.ended));
  const afterHeap = await heapAfterGc();
  return { runs, idleHeap, inFlightHeap, afterHeap };
}

async function runSequentially(
  work: (signal: AbortSignal) => Promise<unknown>,
  runs: number,
  checkpoints: readonly number[],
): Promise<SequentialFigures> {
  const heapAt: Record<string, number> = {};
  const startedAt = performance.now();
  for (let done = 1; done <= runs; done++) {
    // As between two requests of a server: timers and finalizers get their turn (in-process PGlite
    // answers through promises alone, so back-to-back runs would never let the loop reach them),
    // and each run has a signal of its own, like each request's client-disconnect signal.
    await nextTurn();
    await work(new AbortController().signal);
    if (checkpoints.includes(done)) heapAt[String(done)] = await heapAfterGc();
  }
  return { runs, seconds: (performance.now() - startedAt) / 1_000, heapAt };
}

async function openApp(chunkDelayMs: number): Promise<{ app: App; account: Account }> {
  const settings = loadSettings({
    SWITCHBOARD_DATA_DIR: ":memory:",
    PORT: "0",
    LOG_LEVEL: "silent",
    SWITCHBOARD_RATE_LIMIT: "off",
    SWITCHBOARD_OFFLINE_CHUNK_DELAY_MS: String(chunkDelayMs),
  });
  const app = await createApp(settings, { logger: false });
  return { app, account: await app.accounts.getBySlug("demo") };
}

export interface RunMemoryOptions {
  inFlightRuns: number;
  /** Text deltas each run must have streamed before the heap is read. */
  deltasInFlight: number;
  chunkDelayMs: number;
  sequentialRuns: number;
  checkpoints: readonly number[];
}

export async function measureRunMemory(options: RunMemoryOptions): Promise<RunMemoryFigures> {
  const slow = await openApp(options.chunkDelayMs);
  const slowRun = switchboardRun(slow.app, slow.account, HUNDRED_DELTA_MESSAGE, options.deltasInFlight);
  const slowBare = bareRun(HUNDRED_DELTA_MESSAGE, options.chunkDelayMs, options.deltasInFlight);
  // A smaller round first, so lazily built things (JIT, the built agent, pools) are not counted.
  await holdInFlight(slowBare, 20);
  await holdInFlight(slowRun, 20);
  const bareInFlight = await holdInFlight(slowBare, options.inFlightRuns);
  const switchboardInFlight = await holdInFlight(slowRun, options.inFlightRuns);
  await slow.app.close();

  const fast = await openApp(0);
  const bareSequential = await runSequentially(
    (signal) => bareRun(SHORT_MESSAGE, 0)(signal).ended,
    options.sequentialRuns,
    options.checkpoints,
  );
  const switchboardSequential = await runSequentially(
    (signal) => fast.app.chat.chat(fast.account, { slug: AGENT_SLUG }, { message: SHORT_MESSAGE }, signal),
    options.sequentialRuns,
    options.checkpoints,
  );
  await fast.app.close();
  return {
    chunkDelayMs: options.chunkDelayMs,
    encodedCharacters,
    inFlight: { switchboard: switchboardInFlight, bare: bareInFlight },
    sequential: { switchboard: switchboardSequential, bare: bareSequential },
  };
}

if (import.meta.main) {
  const options = JSON.parse(process.argv[2] ?? "{}") as RunMemoryOptions;
  console.log(JSON.stringify(await measureRunMemory(options)));
}
