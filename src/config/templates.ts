import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { InvalidAgentConfigError } from "../errors/app-error.ts";
import { AGENT_TYPES, type AgentConfig, AgentConfigSchema, type AgentType } from "./agent-config.ts";
import { deepMerge, isPlainObject } from "./deep-merge.ts";
import { type RouterConfig, RouterConfigSchema } from "./router-config.ts";

const TEMPLATES_DIR = fileURLToPath(new URL("../templates/", import.meta.url));

export interface TemplateSet {
  /** The raw template objects: what overrides are merged onto. */
  readonly raw: Readonly<Record<AgentType, Record<string, unknown>>>;
  readonly agents: Readonly<Record<AgentType, AgentConfig>>;
  readonly routerRaw: Record<string, unknown>;
  readonly router: RouterConfig;
}

function readYamlObject(path: string): Record<string, unknown> {
  const parsed: unknown = parseYaml(readFileSync(path, "utf8"));
  if (!isPlainObject(parsed)) throw new Error(`Template ${path} is not a YAML mapping`);
  return parsed;
}

export interface ConfigIssue {
  path: string;
  message: string;
}

/** Each problem with the field it concerns; an unknown key is named as the field itself. */
export function configIssues(error: z.ZodError): ConfigIssue[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: [...base, key].join("."), message: "is not a known field" }));
    }
    return [{ path: base.join("."), message: issue.message }];
  });
}

/** A readable one-line account of what is wrong, naming each field by its path. */
export function describeIssues(error: z.ZodError): string {
  return configIssues(error)
    .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
    .join("; ");
}

/** Loads and validates every template once; a broken template stops the server at start. */
export function loadTemplates(directory = TEMPLATES_DIR): TemplateSet {
  const raw = {} as Record<AgentType, Record<string, unknown>>;
  const agents = {} as Record<AgentType, AgentConfig>;
  for (const type of AGENT_TYPES) {
    const path = `${directory}${type}.yaml`;
    const template = readYamlObject(path);
    const parsed = AgentConfigSchema.safeParse(template);
    if (!parsed.success) throw new Error(`Template ${path} is invalid: ${describeIssues(parsed.error)}`);
    raw[type] = template;
    agents[type] = parsed.data;
  }
  const routerPath = `${directory}router.yaml`;
  const routerRaw = readYamlObject(routerPath);
  const router = RouterConfigSchema.safeParse(routerRaw);
  if (!router.success) throw new Error(`Template ${routerPath} is invalid: ${describeIssues(router.error)}`);
  return { raw, agents, routerRaw, router: router.data };
}

/** Template ⊕ overrides, validated by the one schema; a bad override names the field. */
export function resolveAgentConfig(
  templates: TemplateSet,
  type: AgentType,
  overrides: Record<string, unknown>,
): AgentConfig {
  const merged = deepMerge(templates.raw[type], overrides);
  const parsed = AgentConfigSchema.safeParse(merged);
  if (!parsed.success) {
    throw new InvalidAgentConfigError(`Invalid agent config: ${describeIssues(parsed.error)}`, {
      details: { issues: configIssues(parsed.error) },
    });
  }
  return parsed.data;
}
