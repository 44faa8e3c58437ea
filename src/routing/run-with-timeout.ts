export type TimedOutcome<T> =
  | { status: "done"; value: T }
  | { status: "timeout" }
  | { status: "failed"; error: unknown };

/**
 * Runs `work` with a signal that aborts after `timeoutMs` or when `parent` aborts, and settles
 * by the deadline even if the work ignores its signal (a provider that does not honour aborts
 * must not hold the request hostage). An abort by the parent is rethrown: the caller is gone,
 * so there is no one to hand a fallback answer to.
 */
export async function runWithTimeout<T>(
  work: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  parent?: AbortSignal,
): Promise<TimedOutcome<T>> {
  parent?.throwIfAborted();
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parent?.reason);
  parent?.addEventListener("abort", onParentAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<TimedOutcome<T>>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, "TimeoutError"));
      resolve({ status: "timeout" });
    }, timeoutMs);
  });
  const attempt = work(controller.signal).then(
    (value): TimedOutcome<T> => ({ status: "done", value }),
    (error: unknown): TimedOutcome<T> => ({ status: "failed", error }),
  );
  try {
    const outcome = await Promise.race([attempt, deadline]);
    parent?.throwIfAborted();
    // The work may reject because the deadline aborted it a moment before the timer's promise won.
    if (outcome.status === "failed" && controller.signal.aborted) return { status: "timeout" };
    return outcome;
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener("abort", onParentAbort);
  }
}
