import { AGENT_TYPES, type AgentConfig, type AgentType } from "../../../src/config/agent-config.ts";
import type { RouterConfig } from "../../../src/config/router-config.ts";
import { loadTemplates, resolveAgentConfig } from "../../../src/config/templates.ts";
import type { RoutableInstance } from "../../../src/routing/index.ts";

const templates = loadTemplates();

/** The router template as shipped, so tests see the thresholds users get. */
export function templateRouterConfig(overrides: Partial<RouterConfig> = {}): RouterConfig {
  return { ...structuredClone(templates.router), ...overrides };
}

export function templateConfig(type: AgentType, overrides: Record<string, unknown> = {}): AgentConfig {
  return resolveAgentConfig(templates, type, overrides);
}

export function instanceOf(
  type: AgentType,
  options: Partial<Omit<RoutableInstance, "config" | "type">> & { overrides?: Record<string, unknown> } = {},
): RoutableInstance {
  const { overrides, ...rest } = options;
  return {
    id: rest.id ?? `id-${rest.slug ?? type}`,
    slug: rest.slug ?? type,
    type,
    status: rest.status ?? "active",
    version: rest.version ?? 1,
    config: templateConfig(type, overrides),
    ...(rest.inFlight !== undefined && { inFlight: rest.inFlight }),
  };
}

/** The demo account's shape: one active instance of each type, slug = type name. */
export function oneInstancePerType(): RoutableInstance[] {
  return AGENT_TYPES.map((type) => instanceOf(type));
}
