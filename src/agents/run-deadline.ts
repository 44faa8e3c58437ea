/**
 * An abort signal that fires when the caller's signal does or when the time limit passes, and
 * lets go of both when released. AbortSignal.timeout/any keep their timer and links alive until
 * the limit expires, which held every finished run in memory for its whole time limit.
 */
export interface RunDeadline {
  readonly signal: AbortSignal;
  /** True when it was the time limit, not the caller, that stopped the work. */
  readonly timedOut: boolean;
  release(): void;
}

export function createRunDeadline(parent: AbortSignal | undefined, milliseconds: number): RunDeadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException("The time limit was reached", "TimeoutError"));
  }, milliseconds);
  const forward = () => controller.abort(parent?.reason);
  if (parent?.aborted) forward();
  else parent?.addEventListener("abort", forward, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    release() {
      clearTimeout(timer);
      parent?.removeEventListener("abort", forward);
    },
  };
}
