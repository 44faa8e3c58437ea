const WIDTH = 24;

/**
 * One status line on a terminal, redrawn in place: `[#########---------] 12/40 files · 130 chunks`.
 * Off a terminal (CI logs, pipes) it stays silent, so the output is only the final summary.
 */
export function createProgressLine(stream: NodeJS.WriteStream = process.stderr) {
  const interactive = stream.isTTY === true;
  let shown = false;
  return {
    update(done: number, total: number, detail: string): void {
      if (!interactive) return;
      const filled = total === 0 ? WIDTH : Math.round((done / total) * WIDTH);
      const bar = `${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}`;
      const line = `[${bar}] ${done}/${total} ${detail}`;
      stream.write(`\r${line.slice(0, (stream.columns ?? 100) - 1)}\u001b[K`);
      shown = true;
    },
    finish(): void {
      if (interactive && shown) stream.write("\n");
      shown = false;
    },
  };
}
