/**
 * A push-to-pull queue: producers (a run, and later its children) push events as they happen;
 * one consumer (the HTTP response) reads them in order as an async iterable.
 */
export interface EventChannel<T> extends AsyncIterable<T> {
  push(item: T): void;
  close(): void;
  readonly closed: boolean;
}

export function createEventChannel<T>(): EventChannel<T> {
  const queue: T[] = [];
  let closed = false;
  let wake: (() => void) | null = null;

  function notify() {
    const resume = wake;
    wake = null;
    resume?.();
  }

  return {
    get closed() {
      return closed;
    },
    push(item) {
      if (closed) return;
      queue.push(item);
      notify();
    },
    close() {
      closed = true;
      notify();
    },
    async *[Symbol.asyncIterator]() {
      while (true) {
        const next = queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (closed) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
  };
}
