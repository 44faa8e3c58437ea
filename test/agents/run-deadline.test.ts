import { describe, expect, it, vi } from "vitest";
import { createRunDeadline } from "../../src/agents/run-deadline.ts";

describe("createRunDeadline", () => {
  it("aborts at the time limit and says it was the limit", () => {
    vi.useFakeTimers();
    try {
      const deadline = createRunDeadline(undefined, 1_000);
      vi.advanceTimersByTime(999);
      expect(deadline.signal.aborted).toBe(false);
      vi.advanceTimersByTime(1);
      expect(deadline.signal.aborted).toBe(true);
      expect(deadline.timedOut).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it("forwards the caller's abort, which is not a time-out", () => {
    const caller = new AbortController();
    const deadline = createRunDeadline(caller.signal, 60_000);
    caller.abort(new Error("client disconnected"));
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.timedOut).toBe(false);
    expect((deadline.signal.reason as Error).message).toBe("client disconnected");
    deadline.release();
  });

  it("holds no timer and no listener once released", () => {
    vi.useFakeTimers();
    try {
      const caller = new AbortController();
      const deadline = createRunDeadline(caller.signal, 1_000);
      expect(vi.getTimerCount()).toBe(1);
      deadline.release();
      expect(vi.getTimerCount()).toBe(0);
      caller.abort();
      expect(deadline.signal.aborted).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
