import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "switchboard-cli-"));

async function switchboard(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN, ...args], {
      env: { ...process.env, SWITCHBOARD_DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "silent" },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

// Each command is a fresh process that opens the file-backed database: seconds apiece, more on a
// busy two-core machine.
describe("switchboard CLI", { timeout: 180_000 }, () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("migrates, seeds the demo account and saves its credentials with mode 0600", async () => {
    const result = await switchboard("migrate");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Migrations applied (pglite)");
    expect(statSync(join(dataDir, "credentials.json")).mode & 0o777).toBe(0o600);
  });

  it("creates and lists accounts, and manages agents like the API does", async () => {
    const created = await switchboard("accounts", "create", "cli-co", "--name", "CLI Co", "--tier", "budget");
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout).api_key).toMatch(/^sb_/);

    const agent = await switchboard(
      "agents",
      "create",
      "cli-co",
      "sales",
      "cli-sales",
      "--config",
      '{"temperature":0.2}',
    );
    expect(agent.code).toBe(0);
    expect(JSON.parse(agent.stdout)).toMatchObject({
      slug: "cli-sales",
      version: 1,
      config: { temperature: 0.2 },
    });

    const updated = await switchboard("agents", "config", "cli-co", "cli-sales", '{"temperature":0.9}');
    expect(JSON.parse(updated.stdout)).toMatchObject({ version: 2, config: { temperature: 0.9 } });

    const status = await switchboard("agents", "status", "cli-co", "cli-sales", "inactive");
    expect(JSON.parse(status.stdout)).toMatchObject({ status: "inactive", version: 3 });

    const listed = await switchboard("agents", "list", "cli-co");
    expect(JSON.parse(listed.stdout).map((entry: { slug: string }) => entry.slug)).toEqual(["cli-sales"]);

    const accounts = await switchboard("accounts", "list");
    expect(JSON.parse(accounts.stdout).map((entry: { slug: string }) => entry.slug)).toEqual([
      "demo",
      "cli-co",
    ]);
  });

  it("reports operator mistakes in one line with a non-zero exit", async () => {
    const badConfig = await switchboard("agents", "config", "cli-co", "cli-sales", '{"temperature":9}');
    expect(badConfig.code).toBe(1);
    expect(badConfig.stderr).toContain("INVALID_AGENT_CONFIG");
    expect(badConfig.stderr).toContain("temperature");

    const overLimit = await switchboard("agents", "create", "cli-co", "sales", "second-sales");
    expect(overLimit.code).toBe(1);
    expect(overLimit.stderr).toContain("INSTANCE_LIMIT_REACHED");

    const unknownAccount = await switchboard("agents", "list", "nobody");
    expect(unknownAccount.code).toBe(1);
    expect(unknownAccount.stderr).toContain("ACCOUNT_NOT_FOUND");
  });
});
