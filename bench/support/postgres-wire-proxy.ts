/**
 * A TCP proxy between a server and PostgreSQL that reads the client's side of the wire and counts
 * database round trips: each simple-protocol Query ('Q') is one, and each extended-protocol Sync
 * ('S') ends one (Parse/Bind/Describe/Execute before it travel in the same flight). The startup
 * and authentication phase is forwarded uncounted. Bytes are forwarded untouched.
 */
import { once } from "node:events";
import { connect, createServer, type Server, type Socket } from "node:net";

/** Startup-phase request codes (no type byte): SSL and GSS encryption requests precede the real startup. */
const SSL_REQUEST = 80_877_103;
const GSSENC_REQUEST = 80_877_104;
const STATEMENT_HEAD_CHARACTERS = 60;
const KEPT_ROUND_TRIPS = 200;

export interface RoundTrip {
  kind: "simple" | "extended";
  /** The start of each statement sent in this round trip, whitespace collapsed, joined by " ; ". */
  statement: string;
}

export interface PostgresWireProxy {
  /** `databaseUrl` with its host and port replaced by the proxy's. */
  urlFor(databaseUrl: string): string;
  /** Round trips since the last reset, over every connection. */
  readonly roundTrips: number;
  /** The latest round trips (at most 200), oldest first. */
  readonly recent: readonly RoundTrip[];
  reset(): void;
  close(): Promise<void>;
}

function cString(buffer: Buffer, start: number): { text: string; next: number } {
  const end = buffer.indexOf(0, start);
  const stop = end === -1 ? buffer.length : end;
  return { text: buffer.toString("utf8", start, stop), next: stop + 1 };
}

/** A simple query may carry several statements (an account batch); each is shortened on its own. */
function head(text: string): string {
  return text
    .split(/;\s*\n/)
    .map((statement) => {
      const collapsed = statement.replace(/\s+/g, " ").trim();
      return collapsed.length > STATEMENT_HEAD_CHARACTERS
        ? `${collapsed.slice(0, STATEMENT_HEAD_CHARACTERS - 1)}…`
        : collapsed;
    })
    .join(" ; ");
}

/** Follows one connection's frontend messages; `onRoundTrip` hears each completed round trip. */
function createFrontendParser(onRoundTrip: (roundTrip: RoundTrip) => void) {
  let buffered: Buffer = Buffer.alloc(0);
  let startup = true;
  let pendingStatement: string | null = null;

  function take(message: Buffer): void {
    const type = String.fromCharCode(message[0] ?? 0);
    const body = message.subarray(5);
    switch (type) {
      case "Q":
        onRoundTrip({ kind: "simple", statement: head(cString(body, 0).text) });
        return;
      case "P": {
        // Parse: statement name, then the query text.
        const name = cString(body, 0);
        pendingStatement ??= head(cString(body, name.next).text);
        return;
      }
      case "S":
        onRoundTrip({ kind: "extended", statement: pendingStatement ?? "(prepared statement)" });
        pendingStatement = null;
        return;
      default:
        return;
    }
  }

  return (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    while (true) {
      if (startup) {
        if (buffered.length < 8) return;
        const length = buffered.readInt32BE(0);
        if (buffered.length < length) return;
        const code = buffered.readInt32BE(4);
        // After an encryption request the client sends its real startup message, again untyped.
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) startup = false;
        buffered = buffered.subarray(length);
        continue;
      }
      if (buffered.length < 5) return;
      const total = 1 + buffered.readInt32BE(1);
      if (buffered.length < total) return;
      take(buffered.subarray(0, total));
      buffered = buffered.subarray(total);
    }
  };
}

function pipeConnection(
  client: Socket,
  target: { host: string; port: number },
  parse: (chunk: Buffer) => void,
) {
  const upstream = connect(target);
  const closeBoth = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on("data", (chunk: Buffer) => {
    parse(chunk);
    if (!upstream.write(chunk)) client.pause();
  });
  upstream.on("drain", () => client.resume());
  upstream.on("data", (chunk: Buffer) => {
    if (!client.write(chunk)) upstream.pause();
  });
  client.on("drain", () => upstream.resume());
  client.on("error", closeBoth);
  upstream.on("error", closeBoth);
  client.on("close", closeBoth);
  upstream.on("close", closeBoth);
}

export async function startPostgresWireProxy(databaseUrl: string): Promise<PostgresWireProxy> {
  const target = new URL(databaseUrl);
  const upstream = { host: target.hostname, port: Number(target.port || 5432) };
  let roundTrips = 0;
  const recent: RoundTrip[] = [];
  const sockets = new Set<Socket>();
  const onRoundTrip = (roundTrip: RoundTrip) => {
    roundTrips += 1;
    recent.push(roundTrip);
    if (recent.length > KEPT_ROUND_TRIPS) recent.shift();
  };
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    pipeConnection(client, upstream, createFrontendParser(onRoundTrip));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the proxy has no TCP address");
  return {
    urlFor(url) {
      const through = new URL(url);
      through.hostname = "127.0.0.1";
      through.port = String(address.port);
      return through.toString();
    },
    get roundTrips() {
      return roundTrips;
    },
    get recent() {
      return recent;
    },
    reset() {
      roundTrips = 0;
      recent.length = 0;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, "close");
    },
  };
}
