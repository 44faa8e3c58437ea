import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BlockedAddressError,
  createGuardedAgent,
  createGuardedFetch,
  type Resolve,
  ResponseTooLargeError,
} from "../../src/mcp/client/guarded-fetch.ts";

/** What a rebinding DNS server would answer: a public address for the check, loopback after. */
const resolveToLoopback: Resolve = async () => [{ address: "127.0.0.1", family: 4 }];

function causeOf(error: unknown): unknown {
  return error instanceof Error && error.cause !== undefined ? error.cause : error;
}

describe("guarded fetch", () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === "/redirect") {
        response.writeHead(302, { location: `http://127.0.0.2:${port}/hello` }).end();
        return;
      }
      if (request.url === "/huge") {
        response.writeHead(200, { "content-type": "text/plain" }).end("x".repeat(100_000));
        return;
      }
      response.writeHead(200, { "content-type": "text/plain" }).end(`hello from ${request.headers.host}`);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("refuses a name that resolves to a private address, checking the address it connects to", async () => {
    const guarded = createGuardedFetch(createGuardedAgent({ allowedHosts: [], resolve: resolveToLoopback }));
    const failure = await guarded(`http://rebind.test:${port}/`).catch((error: unknown) => error);
    expect(causeOf(failure)).toBeInstanceOf(BlockedAddressError);
    expect(String((causeOf(failure) as Error).message)).toContain("resolves to 127.0.0.1");
  });

  it("refuses a literal private address that is not allow-listed", async () => {
    const guarded = createGuardedFetch(createGuardedAgent({ allowedHosts: [] }));
    const failure = await guarded(`http://127.0.0.1:${port}/`).catch((error: unknown) => error);
    expect(causeOf(failure)).toBeInstanceOf(BlockedAddressError);
  });

  it("connects to an allow-listed host, keeping its name in the Host header", async () => {
    const guarded = createGuardedFetch(
      createGuardedAgent({ allowedHosts: [`rebind.test:${port}`], resolve: resolveToLoopback }),
    );
    const response = await guarded(`http://rebind.test:${port}/`);
    expect(await response.text()).toBe(`hello from rebind.test:${port}`);
  });

  it("checks every redirect: an allow-listed host cannot send the request to another private address", async () => {
    const guarded = createGuardedFetch(createGuardedAgent({ allowedHosts: [`127.0.0.1:${port}`] }));
    const failure = await guarded(`http://127.0.0.1:${port}/redirect`).catch((error: unknown) => error);
    expect(causeOf(failure)).toBeInstanceOf(BlockedAddressError);
    expect(String((causeOf(failure) as Error).message)).toContain("127.0.0.2");
  });

  it("caps the size of a response body", async () => {
    const guarded = createGuardedFetch(createGuardedAgent({ allowedHosts: [`127.0.0.1:${port}`] }), 10_000);
    const response = await guarded(`http://127.0.0.1:${port}/huge`);
    await expect(response.text()).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it("fetches nothing but http(s)", async () => {
    const guarded = createGuardedFetch(createGuardedAgent({ allowedHosts: [] }));
    await expect(guarded("file:///etc/passwd")).rejects.toBeInstanceOf(BlockedAddressError);
  });
});
