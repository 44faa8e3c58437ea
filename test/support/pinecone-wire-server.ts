import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local server speaking Pinecone's REST wire format, control plane (describe, create, delete an
 * index) and data plane (upsert, query, fetch, list, delete, describe_index_stats), so the
 * official client can be pointed at it through `controllerHostUrl`. Index hosts are paths on
 * this same server (`<url>/index/<name>`). Every request is recorded for request-shape tests.
 */

type Metadata = Record<string, unknown>;
interface StoredVector {
  id: string;
  values: number[];
  metadata?: Metadata;
}
interface FakeIndex {
  name: string;
  dimension: number;
  namespaces: Map<string, Map<string, StoredVector>>;
}

export interface RecordedRequest {
  method: string;
  /** The path without the `/index/<name>` prefix, e.g. `/vectors/upsert`. */
  path: string;
  index: string | null;
  query: URLSearchParams;
  body: Record<string, unknown> | null;
  headers: IncomingMessage["headers"];
}

export interface PineconeWireServer {
  url: string;
  /** A fresh key per server: the client caches index hosts per key and index name. */
  apiKey: string;
  requests: RecordedRequest[];
  indexes: Map<string, FakeIndex>;
  /** Creates an index as an operator would before the server starts using it. */
  createIndex(name: string, dimension: number): void;
  /** The next `count` data-plane requests fail with this status. */
  failNext(count: number, status: number): void;
  /** Every data-plane request waits this long before it is answered (0: no wait). */
  slowDown(milliseconds: number): void;
  /** Data-plane requests matching the predicate fail with this status, until called with null. */
  failWhen(predicate: ((request: RecordedRequest) => boolean) | null, status?: number): void;
  close(): Promise<void>;
}

function cosine(left: number[], right: number[]): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < left.length; index += 1) {
    const a = left[index] ?? 0;
    const b = right[index] ?? 0;
    dot += a * b;
    leftNorm += a * a;
    rightNorm += b * b;
  }
  return leftNorm === 0 || rightNorm === 0 ? 0 : dot / Math.sqrt(leftNorm * rightNorm);
}

function compare(actual: unknown, operator: string, expected: unknown): boolean {
  const values = Array.isArray(actual) ? actual : [actual];
  switch (operator) {
    case "$eq":
      return values.some((value) => value === expected);
    case "$ne":
      return values.every((value) => value !== expected);
    case "$in":
      return Array.isArray(expected) && values.some((value) => expected.includes(value));
    case "$nin":
      return Array.isArray(expected) && values.every((value) => !expected.includes(value));
    case "$gt":
      return typeof actual === "number" && actual > Number(expected);
    case "$gte":
      return typeof actual === "number" && actual >= Number(expected);
    case "$lt":
      return typeof actual === "number" && actual < Number(expected);
    case "$lte":
      return typeof actual === "number" && actual <= Number(expected);
    case "$exists":
      return (actual !== undefined) === expected;
    default:
      throw new Error(`unsupported filter operator ${operator}`);
  }
}

/** Pinecone's metadata filter language: field operators, implicit equality, $and / $or. */
export function matchesFilter(metadata: Metadata, filter: Record<string, unknown> | undefined): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([key, condition]) => {
    if (key === "$and")
      return (condition as Record<string, unknown>[]).every((part) => matchesFilter(metadata, part));
    if (key === "$or")
      return (condition as Record<string, unknown>[]).some((part) => matchesFilter(metadata, part));
    if (condition !== null && typeof condition === "object" && !Array.isArray(condition)) {
      return Object.entries(condition).every(([operator, expected]) =>
        compare(metadata[key], operator, expected),
      );
    }
    return compare(metadata[key], "$eq", condition);
  });
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as Record<string, unknown>) : null;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(body === undefined ? "" : JSON.stringify(body));
}

function errorBody(status: number, message: string) {
  const code = status === 404 ? "NOT_FOUND" : status === 409 ? "ALREADY_EXISTS" : "INVALID_ARGUMENT";
  return { error: { code, message }, status };
}

export async function startPineconeWireServer(): Promise<PineconeWireServer> {
  const indexes = new Map<string, FakeIndex>();
  const requests: RecordedRequest[] = [];
  let failures = { count: 0, status: 500 };
  let failing: { predicate: (request: RecordedRequest) => boolean; status: number } | null = null;
  let delayMs = 0;
  let url = "";

  const describe = (index: FakeIndex) => ({
    name: index.name,
    host: `${url}/index/${index.name}`,
    status: { ready: true, state: "Ready" },
    deployment: { deployment_type: "managed", cloud: "aws", region: "us-east-1" },
    schema: { fields: { _values: { type: "dense_vector", dimension: index.dimension, metric: "cosine" } } },
    deletion_protection: "disabled",
  });

  function namespaceOf(index: FakeIndex, name: unknown): Map<string, StoredVector> {
    const key = typeof name === "string" ? name : "";
    let namespace = index.namespaces.get(key);
    if (!namespace) {
      namespace = new Map();
      index.namespaces.set(key, namespace);
    }
    return namespace;
  }

  function dataPlane(
    index: FakeIndex,
    method: string,
    path: string,
    query: URLSearchParams,
    body: Record<string, unknown> | null,
  ) {
    if (method === "POST" && path === "/vectors/upsert") {
      const vectors = (body?.vectors ?? []) as StoredVector[];
      const bad = vectors.find((vector) => vector.values.length !== index.dimension);
      if (bad)
        return [
          400,
          errorBody(
            400,
            `Vector dimension ${bad.values.length} does not match the dimension of the index ${index.dimension}`,
          ),
        ];
      const namespace = namespaceOf(index, body?.namespace);
      for (const vector of vectors) namespace.set(vector.id, vector);
      return [200, { upsertedCount: vectors.length }];
    }
    if (method === "POST" && path === "/query") {
      const namespace = namespaceOf(index, body?.namespace);
      const vector = body?.vector as number[];
      const matches = [...namespace.values()]
        .filter((stored) => matchesFilter(stored.metadata ?? {}, body?.filter as Record<string, unknown>))
        .map((stored) => ({ stored, score: cosine(vector, stored.values) }))
        .sort((left, right) => right.score - left.score)
        .slice(0, Number(body?.topK))
        .map(({ stored, score }) => ({
          id: stored.id,
          score,
          values: body?.includeValues ? stored.values : [],
          ...(body?.includeMetadata ? { metadata: stored.metadata } : {}),
        }));
      return [200, { matches, namespace: body?.namespace ?? "", usage: { readUnits: 1 } }];
    }
    if (method === "GET" && path === "/vectors/fetch") {
      const namespace = namespaceOf(index, query.get("namespace"));
      const vectors: Record<string, StoredVector> = {};
      for (const id of query.getAll("ids")) {
        const stored = namespace.get(id);
        if (stored) vectors[id] = stored;
      }
      return [200, { vectors, namespace: query.get("namespace") ?? "", usage: { readUnits: 1 } }];
    }
    if (method === "GET" && path === "/vectors/list") {
      const namespace = namespaceOf(index, query.get("namespace"));
      const prefix = query.get("prefix") ?? "";
      const limit = Number(query.get("limit") ?? 100);
      const ids = [...namespace.keys()].filter((id) => id.startsWith(prefix)).sort();
      const start = Number(query.get("paginationToken") ?? 0);
      const page = ids.slice(start, start + limit);
      const next = start + limit < ids.length ? { next: String(start + limit) } : undefined;
      return [
        200,
        {
          vectors: page.map((id) => ({ id })),
          ...(next ? { pagination: next } : {}),
          namespace: query.get("namespace") ?? "",
          usage: { readUnits: 1 },
        },
      ];
    }
    if (method === "POST" && path === "/vectors/delete") {
      const name = typeof body?.namespace === "string" ? body.namespace : "";
      if (body?.deleteAll) {
        if (!index.namespaces.has(name)) return [404, errorBody(404, "Namespace not found")];
        index.namespaces.delete(name);
        return [200, {}];
      }
      const namespace = namespaceOf(index, name);
      if (Array.isArray(body?.ids)) for (const id of body.ids as string[]) namespace.delete(id);
      if (body?.filter) {
        for (const [id, stored] of namespace) {
          if (matchesFilter(stored.metadata ?? {}, body.filter as Record<string, unknown>))
            namespace.delete(id);
        }
      }
      return [200, {}];
    }
    if (method === "POST" && path === "/describe_index_stats") {
      const namespaces: Record<string, { vectorCount: number }> = {};
      let total = 0;
      for (const [name, namespace] of index.namespaces) {
        if (namespace.size === 0) continue;
        namespaces[name] = { vectorCount: namespace.size };
        total += namespace.size;
      }
      return [200, { namespaces, dimension: index.dimension, indexFullness: 0, totalVectorCount: total }];
    }
    return [404, errorBody(404, `no route ${method} ${path}`)];
  }

  const server = createServer(async (request, response) => {
    const parsed = new URL(request.url ?? "/", url);
    const body = await readBody(request);
    const dataMatch = /^\/index\/([^/]+)(\/.*)$/.exec(parsed.pathname);
    const recorded: RecordedRequest = {
      method: request.method ?? "GET",
      path: dataMatch ? (dataMatch[2] ?? "") : parsed.pathname,
      index: dataMatch ? decodeURIComponent(dataMatch[1] ?? "") : null,
      query: parsed.searchParams,
      body,
      headers: request.headers,
    };
    requests.push(recorded);
    if (request.headers["api-key"] !== apiKey) return send(response, 401, errorBody(401, "Invalid API key"));

    if (dataMatch) {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (failing?.predicate(recorded)) {
        return send(response, failing.status, errorBody(failing.status, "injected failure"));
      }
      if (failures.count > 0) {
        failures = { ...failures, count: failures.count - 1 };
        return send(response, failures.status, errorBody(failures.status, "injected failure"));
      }
      const index = indexes.get(recorded.index ?? "");
      if (!index) return send(response, 404, errorBody(404, "Index not found"));
      const [status, answer] = dataPlane(index, recorded.method, recorded.path, parsed.searchParams, body);
      return send(response, status as number, answer);
    }

    const controlMatch = /^\/indexes(?:\/([^/]+))?$/.exec(parsed.pathname);
    const name = controlMatch?.[1] ? decodeURIComponent(controlMatch[1]) : null;
    if (controlMatch && request.method === "GET" && name) {
      const index = indexes.get(name);
      return index
        ? send(response, 200, describe(index))
        : send(response, 404, errorBody(404, `Resource ${name} not found`));
    }
    if (controlMatch && request.method === "POST" && !name) {
      const requested = String(body?.name ?? "");
      if (indexes.has(requested)) return send(response, 409, errorBody(409, "Resource already exists"));
      const fields = (body?.schema as { fields?: Record<string, { dimension?: number }> } | undefined)
        ?.fields;
      const dimension = Number(fields?._values?.dimension ?? body?.dimension);
      const index: FakeIndex = { name: requested, dimension, namespaces: new Map() };
      indexes.set(requested, index);
      return send(response, 201, describe(index));
    }
    if (controlMatch && request.method === "DELETE" && name) {
      if (!indexes.delete(name)) return send(response, 404, errorBody(404, `Resource ${name} not found`));
      response.writeHead(202);
      return response.end();
    }
    return send(response, 404, errorBody(404, `no route ${request.method} ${parsed.pathname}`));
  });

  const apiKey = `pc-test-${randomBytes(6).toString("hex")}`;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    apiKey,
    requests,
    indexes,
    createIndex(name, dimension) {
      indexes.set(name, { name, dimension, namespaces: new Map() });
    },
    failNext(count, status) {
      failures = { count, status };
    },
    slowDown(milliseconds) {
      delayMs = milliseconds;
    },
    failWhen(predicate, status = 500) {
      failing = predicate === null ? null : { predicate, status };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
