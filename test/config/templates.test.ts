import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { AGENT_TYPES } from "../../src/config/agent-config.ts";
import { redactSecrets } from "../../src/config/redact.ts";
import { loadTemplates, resolveAgentConfig } from "../../src/config/templates.ts";
import { InvalidAgentConfigError } from "../../src/errors/app-error.ts";

const TEMPLATES_DIR = fileURLToPath(new URL("../../src/templates/", import.meta.url));

describe("agent templates", () => {
  const templates = loadTemplates();

  it("ships a valid template for every type, with routing examples", () => {
    for (const type of AGENT_TYPES) {
      const config = templates.agents[type];
      expect(config.system_prompt.length, type).toBeGreaterThan(20);
      expect(config.routing.examples.length, type).toBeGreaterThanOrEqual(5);
      expect(config.routing.description, type).not.toBe("");
    }
    expect(templates.agents["deep-research"].delegates).toEqual(["simple-research"]);
    expect(templates.router.fallback_type).toBe("simple-chat");
  });

  it("merges overrides onto the template and validates the result", () => {
    const config = resolveAgentConfig(templates, "sales", { limits: { max_steps: 2 }, temperature: 0 });
    expect(config.limits.max_steps).toBe(2);
    expect(config.limits.max_history_turns).toBe(20);
    expect(config.tools).toContain("capture_lead");
    expect(config.temperature).toBe(0);
  });

  it("names every bad field of an override", () => {
    try {
      resolveAgentConfig(templates, "sales", { temperature: -1, limits: { unknown_limit: 1 } });
      expect.unreachable("an invalid override must throw");
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidAgentConfigError);
      const paths = (error as InvalidAgentConfigError).details?.issues as Array<{ path: string }>;
      expect(paths.map((issue) => issue.path).sort()).toEqual(["limits.unknown_limit", "temperature"]);
    }
  });

  it("refuses to start with a broken template, naming the file and field", () => {
    const directory = mkdtempSync(join(tmpdir(), "templates-"));
    for (const name of [...AGENT_TYPES, "router"]) {
      writeFileSync(join(directory, `${name}.yaml`), readFileSync(join(TEMPLATES_DIR, `${name}.yaml`)));
    }
    writeFileSync(join(directory, "sales.yaml"), "system_prompt: hi\ntemperature: hot\n");
    expect(() => loadTemplates(`${directory}/`)).toThrow(/sales\.yaml.*temperature/);
  });
});

describe("redactSecrets", () => {
  it("hides secret-looking values at any depth but keeps references", () => {
    const redacted = redactSecrets({
      name: "x",
      api_key: "sk-123",
      nested: [{ token: "t", token_secret_ref: "ref", Authorization: "Bearer x", password: "p" }],
    });
    expect(redacted).toEqual({
      name: "x",
      api_key: "[redacted]",
      nested: [
        { token: "[redacted]", token_secret_ref: "ref", Authorization: "[redacted]", password: "[redacted]" },
      ],
    });
  });
});
