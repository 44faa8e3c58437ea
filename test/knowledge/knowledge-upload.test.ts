import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSettings } from "../../src/config/settings.ts";
import { SAMPLES_DIR } from "../support/knowledge-fixtures.ts";
import { minimalPdf } from "../support/minimal-pdf.ts";
import { startTestServer, type TestServer } from "../support/test-server.ts";

const UPLOAD_LIMIT = 64 * 1024;

async function upload(
  server: TestServer,
  files: Array<[string, Uint8Array | string, string?]>,
  agent?: string,
) {
  const form = new FormData();
  if (agent !== undefined) form.append("agent", agent);
  for (const [name, content, type] of files) {
    form.append("files", new Blob([content], { type: type ?? "application/octet-stream" }), name);
  }
  const response = await fetch(`${server.baseUrl}/accounts/demo/knowledge`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.demoKey}` },
    body: form,
  });
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
  const body: any = await response.json();
  return { status: response.status, body };
}

describe("ingesting files and URLs", () => {
  let server: TestServer;
  let site: Server;
  let siteUrl: string;

  beforeAll(async () => {
    const base = loadSettings({ SWITCHBOARD_DATA_DIR: ":memory:" });
    server = await startTestServer("pglite", {
      knowledge: { ...base.knowledge, allowOutboundFetch: true, uploadLimitBytes: UPLOAD_LIMIT },
    });
    // A local site for URL ingestion: the only outbound fetches tests may make are to loopback.
    site = createServer((request, response) => {
      if (request.url === "/handbook/expenses.html") {
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        response.end(
          "<html><head><title>Expenses</title></head><body><p>Meals on business trips are reimbursed up to 40 euros a day.</p></body></html>",
        );
      } else if (request.url === "/huge.txt") {
        response.writeHead(200, { "content-type": "text/plain" });
        response.end("x".repeat(UPLOAD_LIMIT + 10));
      } else {
        response.writeHead(404);
        response.end();
      }
    });
    await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await server?.close();
    site?.closeAllConnections();
    await new Promise((resolve) => site?.close(resolve));
  });

  const search = async (query: string) =>
    (
      await server.request("POST", "/accounts/demo/knowledge/search", {
        body: { agent: "simple-research", query },
      })
    ).body.results;

  it("takes .md, .txt, .html and .pdf files in one multipart upload, titled by their own titles", async () => {
    const response = await upload(
      server,
      [
        ["refund-policy.md", readFileSync(`${SAMPLES_DIR}refund-policy.md`, "utf8"), "text/markdown"],
        ["parking.txt", "Parking spaces are assigned by the office manager.\nVisitors park on level two."],
        [
          "holidays.html",
          "<h1>Holidays</h1><p>Employees get 28 days of paid holiday a year.</p>",
          "text/html",
        ],
        [
          "travel.pdf",
          minimalPdf(
            ["Travel policy", "Economy class is booked for flights under six hours."],
            "Travel policy",
          ),
          "application/pdf",
        ],
      ],
      "simple-research",
    );
    expect(response.status).toBe(201);
    expect(
      response.body.documents.map((document: { title: string; source: string; status: string }) => [
        document.title,
        document.source,
        document.status,
      ]),
    ).toEqual([
      ["Refund policy", "refund-policy.md", "created"],
      ["Parking", "parking.txt", "created"],
      ["Holidays", "holidays.html", "created"],
      ["Travel policy", "travel.pdf", "created"],
    ]);
    const [pdf] = await search("which class is booked for flights");
    expect(pdf).toMatchObject({ title: "Travel policy", source: "travel.pdf" });
    expect(pdf.content).toContain("Economy class is booked for flights under six hours.");
    const [text] = await search("where do visitors park");
    expect(text.content).toContain(
      "Parking spaces are assigned by the office manager. Visitors park on level two.",
    );
  });

  it("refuses unsupported files, unreadable PDFs, oversized files and uploads without an agent", async () => {
    const docx = await upload(server, [["notes.docx", "PK..."]], "simple-research");
    expect(docx.status).toBe(415);
    expect(docx.body.error.code).toBe("UNSUPPORTED_DOCUMENT_TYPE");
    const brokenPdf = await upload(server, [["broken.pdf", "this is not a pdf"]], "simple-research");
    expect(brokenPdf.status).toBe(422);
    expect(brokenPdf.body.error.code).toBe("DOCUMENT_UNREADABLE");
    const huge = await upload(server, [["huge.txt", "y".repeat(UPLOAD_LIMIT + 1)]], "simple-research");
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    const noAgent = await upload(server, [["a.txt", "hello"]]);
    expect(noAgent.status).toBe(400);
    expect(noAgent.body.error.code).toBe("VALIDATION_FAILED");
    const noFiles = await upload(server, [], "simple-research");
    expect(noFiles.status).toBe(400);
    const sources = (
      await server.request("GET", "/accounts/demo/knowledge?agent=simple-research")
    ).body.documents.map((document: { source: string }) => document.source);
    expect(sources).not.toContain("huge.txt");
    expect(sources).not.toContain("a.txt");
  });

  it("fetches URLs when the operator allows it, and says why one cannot be ingested", async () => {
    const url = `${siteUrl}/handbook/expenses.html`;
    const fetched = await server.request("POST", "/accounts/demo/knowledge", {
      body: { agent: "simple-research", urls: [url] },
    });
    expect(fetched.status).toBe(201);
    expect(fetched.body.documents[0]).toMatchObject({ title: "Expenses", source: url, status: "created" });
    const [top] = await search("how much are meals reimbursed");
    expect(top).toMatchObject({ source: url, content: expect.stringContaining("40 euros a day") });

    const missing = await server.request("POST", "/accounts/demo/knowledge", {
      body: { agent: "simple-research", urls: [`${siteUrl}/nothing-here.html`] },
    });
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatchObject({ code: "URL_FETCH_FAILED", details: { status: 404 } });
    const huge = await server.request("POST", "/accounts/demo/knowledge", {
      body: { agent: "simple-research", urls: [`${siteUrl}/huge.txt`] },
    });
    expect(huge.status).toBe(413);
  });
});
