import type { ToolSet } from "ai";
import type { AgentConfig } from "../../config/agent-config.ts";
import { createRegisterMetadataTool } from "./register-metadata-tool.ts";

type BuiltinToolName = AgentConfig["tools"][number];

/** Builds one tool for an instance; tools read the account and run from the agent context. */
export type ToolFactory = (config: AgentConfig) => ToolSet[string];

export interface ToolRegistry {
  /** The tools an instance's config enables and this server provides. */
  build(config: AgentConfig): ToolSet;
  /** Enabled in config but not provided here (their capability is not installed). */
  missing(config: AgentConfig): BuiltinToolName[];
  register(name: BuiltinToolName, factory: ToolFactory): void;
}

export function createToolRegistry(): ToolRegistry {
  const factories = new Map<BuiltinToolName, ToolFactory>([
    ["register_metadata", () => createRegisterMetadataTool()],
  ]);
  return {
    build(config) {
      const tools: ToolSet = {};
      for (const name of config.tools) {
        const factory = factories.get(name);
        if (factory) tools[name] = factory(config);
      }
      return tools;
    },
    missing(config) {
      return config.tools.filter((name) => !factories.has(name));
    },
    register(name, factory) {
      factories.set(name, factory);
    },
  };
}
