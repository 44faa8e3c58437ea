import { isStepCount, ToolLoopAgent, type ToolSet } from "ai";
import { LRUCache } from "lru-cache";
import type { AgentConfig } from "../config/agent-config.ts";
import type { ModelRegistry } from "../models/model-registry.ts";
import type { AgentInstance } from "./instance-service.ts";
import type { ToolRegistry } from "./tools/tool-registry.ts";

export interface BuiltAgent {
  agent: ToolLoopAgent<never, ToolSet>;
  modelId: string;
  toolNames: string[];
}

/** `{persona.name}`-style placeholders in a prompt, filled from the config itself. */
function renderInstructions(config: AgentConfig): string {
  return config.system_prompt.replace(
    /\{persona\.(name|domain|voice)\}/g,
    (_match, field: "name" | "domain" | "voice") => (config.persona ? config.persona[field] : ""),
  );
}

export type AgentFactory = ReturnType<typeof createAgentFactory>;

/** Tools that live outside this server (external MCP servers), listed ahead of building. */
export interface ExternalToolSource {
  /** Network work before a run: lists what was never listed. Never throws; a dead server has no tools. */
  prepare(instance: AgentInstance, config: AgentConfig): Promise<void>;
  /** Changes whenever `tools` would return something else. */
  revision(instance: AgentInstance, config: AgentConfig): string;
  tools(instance: AgentInstance, config: AgentConfig): ToolSet;
}

/**
 * Builds AI SDK agents from effective configs and keeps them in an LRU keyed by instance id,
 * config version and model: a config update (new version) is picked up by the next request,
 * and an unchanged instance is never rebuilt.
 */
export function createAgentFactory(options: {
  models: ModelRegistry;
  tools: ToolRegistry;
  cacheSize: number;
  maxRetries: number;
  /** Errors also arrive as stream parts, where runs classify them; this only keeps a trace. */
  onStreamError?: (error: unknown) => void;
  externalTools?: ExternalToolSource;
}) {
  const cache = new LRUCache<string, BuiltAgent>({ max: options.cacheSize });
  let builds = 0;

  function get(instance: AgentInstance, config: AgentConfig, modelId: string): BuiltAgent {
    const external = options.externalTools;
    const externalRevision =
      external && config.mcp_servers.length > 0 ? external.revision(instance, config) : "";
    const key = `${instance.id}:${instance.version}:${modelId}:${externalRevision}`;
    const cached = cache.get(key);
    if (cached) return cached;
    // Built-in tools win a name clash; external names are namespaced (`server__tool`) anyway.
    const tools = {
      ...(externalRevision ? external?.tools(instance, config) : {}),
      ...options.tools.build(config),
    };
    const agent = new ToolLoopAgent<never, ToolSet>({
      id: `${instance.type}/${instance.slug}`,
      model: options.models.languageModel(modelId),
      instructions: renderInstructions(config),
      tools,
      stopWhen: isStepCount(config.limits.max_steps),
      maxRetries: options.maxRetries,
      // Without it the SDK prints every provider error to stderr.
      onError: ({ error }) => options.onStreamError?.(error),
      ...(config.temperature === undefined ? {} : { temperature: config.temperature }),
      ...(config.limits.max_output_tokens === undefined
        ? {}
        : { maxOutputTokens: config.limits.max_output_tokens }),
      providerOptions: {
        switchboard: {
          agentName: instance.name,
          delegates: config.delegates,
          maxFanOut: config.limits.max_fan_out,
        },
      },
    });
    const built = { agent, modelId, toolNames: Object.keys(tools) };
    cache.set(key, built);
    builds += 1;
    return built;
  }

  /** Awaited before `get` by whoever starts a run, so `get` itself stays synchronous. */
  async function prepare(instance: AgentInstance, config: AgentConfig): Promise<void> {
    if (config.mcp_servers.length > 0) await options.externalTools?.prepare(instance, config);
  }

  return {
    get,
    prepare,
    /** How many agents were built since start: lets tests prove the cache is used. */
    buildCount: () => builds,
  };
}
