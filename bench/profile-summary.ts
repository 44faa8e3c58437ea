/**
 * `node bench/profile-summary.ts <file.cpuprofile>… [functions]`: where a V8 CPU profile (from
 * `BENCH_CPU_PROF_DIR=dir npm run bench -- name`, or `node --cpu-prof`) spent its busy time, by
 * layer (AI SDK, database driver, HTTP, Switchboard's own code …) and by function.
 *
 * Each sample is charged to the nearest frame, from the leaf up, that belongs to a package or to
 * src/: time in Node internals (a socket write, a web stream's queue) is charged to the code that
 * asked for it. Idle time and module loading at start-up are left out of the total.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

const ProfileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});
type ProfileNode = z.infer<typeof ProfileSchema>["nodes"][number];

/** Layers, first match wins; a pattern is tested against the owner named by `ownerOf`. */
const LAYERS: Array<[string, RegExp]> = [
  ["garbage collector", /^native:\(garbage collector\)$/],
  ["AI SDK (ai, @ai-sdk/*, the web streams it runs on)", /^(ai|@ai-sdk\/.*|node:internal\/webstreams.*)$/],
  ["PGlite (WebAssembly PostgreSQL, in process)", /^(@electric-sql\/.*|wasm:.*)$/],
  ["pg driver (protocol, sockets)", /^(pg|pg-pool|pg-protocol|pg-types|pgpass|postgres-.*)$/],
  ["Drizzle ORM", /^drizzle-orm$/],
  ["zod (validation, serialisation)", /^(zod|fastify-type-provider-zod)$/],
  [
    "Fastify and node:http",
    /^(fastify|@fastify\/.*|find-my-way|avvio|light-my-request|fast-json-stringify|secure-json-parse|helmet|node:_http_.*|node:net|node:internal\/(http|streams|stream_base_commons).*)$/,
  ],
  ["Switchboard src/", /^src\//],
  ["other packages (pino, lru-cache …)", /^[^:/]+$|^@[^/]+\/[^/]+$/],
  ["Node internals and natives not called from a package (microtask queue, timers …)", /^(node|native):/],
];

function ownerOfUrl(url: string): string | null {
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (packageMatch?.[1]) return packageMatch[1];
  const sourceMatch = /\/(src\/.+)$/.exec(url);
  if (sourceMatch?.[1]) return sourceMatch[1];
  if (url.startsWith("wasm:")) return "wasm:";
  return null;
}

export function summarizeProfile(path: string, functionCount = 25): string {
  const profile = ProfileSchema.parse(JSON.parse(readFileSync(path, "utf8")));
  const byId = new Map<number, ProfileNode>(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });

  const stackOf = (id: number): ProfileNode[] => {
    const stack: ProfileNode[] = [];
    for (let current: number | undefined = id; current !== undefined; current = parentOf.get(current)) {
      const node = byId.get(current);
      if (node) stack.push(node);
    }
    return stack;
  };

  const byLayer = new Map<string, number>();
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  let excluded = 0;
  for (const [id, time] of selfTime) {
    const stack = stackOf(id);
    const leaf = stack[0];
    if (!leaf) continue;
    const name = leaf.callFrame.functionName;
    if (name === "(idle)" || name === "(program)" || name === "(root)") {
      excluded += time;
      continue;
    }
    if (stack.some((node) => node.callFrame.url.startsWith("node:internal/modules/"))) {
      excluded += time;
      continue;
    }
    let owner: string | null = null;
    for (const node of stack) {
      owner = ownerOfUrl(node.callFrame.url);
      if (owner) break;
    }
    owner ??= leaf.callFrame.url || `native:${name}`;
    const layer = LAYERS.find(([, pattern]) => pattern.test(owner))?.[0] ?? `other (${owner})`;
    byLayer.set(layer, (byLayer.get(layer) ?? 0) + time);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + time);
    const where = ownerOfUrl(leaf.callFrame.url) ?? (leaf.callFrame.url || "native");
    const key = `${name || "(anonymous)"} — ${where}:${leaf.callFrame.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + time);
    busy += time;
  }

  const share = (time: number) => `${((time / busy) * 100).toFixed(1).padStart(5)}%`;
  const lines = [
    `${path}: ${(busy / 1_000).toFixed(0)} ms busy (${(excluded / 1_000).toFixed(0)} ms idle or start-up left out)`,
    "",
    "by layer (time in Node internals charged to the code that asked for it):",
    ...[...byLayer]
      .sort((left, right) => right[1] - left[1])
      .map(([layer, time]) => `  ${share(time)}  ${layer}`),
    "",
    "by package or source file:",
    ...[...byOwner]
      .sort((left, right) => right[1] - left[1])
      .slice(0, functionCount)
      .map(([owner, time]) => `  ${share(time)}  ${owner}`),
    "",
    `top ${functionCount} functions by self time:`,
    ...[...byFunction]
      .sort((left, right) => right[1] - left[1])
      .slice(0, functionCount)
      .map(([key, time]) => `  ${share(time)}  ${key}`),
  ];
  return lines.join("\n");
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const paths = args.filter((arg) => !/^\d+$/.test(arg));
  const count = args.find((arg) => /^\d+$/.test(arg));
  if (paths.length === 0) {
    console.error("usage: node bench/profile-summary.ts <file.cpuprofile>… [number of functions]");
    process.exit(2);
  }
  console.log(paths.map((path) => summarizeProfile(path, count ? Number(count) : undefined)).join("\n\n"));
}
