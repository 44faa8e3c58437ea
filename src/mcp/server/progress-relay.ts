import type { ServerNotification } from "@modelcontextprotocol/sdk/types.js";
import type { AgentEvent, AgentEventInput } from "../../events/index.ts";

type EventLike = AgentEvent | AgentEventInput;

/** A line a person can follow in an MCP client's progress view. */
export function describeEvent(event: EventLike): string {
  switch (event.type) {
    case "agent_event":
      return `${event.child_agent}: ${describeEvent(event.event)}`;
    case "start":
      return `started (${event.agent_schema})`;
    case "routing":
      return `routed to ${event.instance}`;
    case "text_delta":
      return event.delta;
    case "tool_call":
      return `calling ${event.tool_name}`;
    case "tool_result":
      return `${event.tool_name} ${event.is_error ? "failed" : "answered"}`;
    case "progress":
      return event.message;
    case "metadata":
      return `finished: ${event.usage.total_tokens} tokens`;
    case "handoff":
      return `handed off from ${event.from} to ${event.to}`;
    case "error":
      return `error ${event.code}: ${event.message}`;
    case "done":
      return "done";
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
}

export interface ProgressRelay {
  /** Takes an event of the run tree; sent in order, never blocking the run. */
  push(event: EventLike): void;
  /** Resolves once every pushed event was handed to the transport. */
  flush(): Promise<void>;
}

/**
 * The events of an agent run, as MCP progress notifications on the request that started it: a
 * readable `message`, and the event itself under `_meta` for clients that want the structure.
 * Without a progress token the client asked for none, and nothing is sent.
 */
export function createProgressRelay(
  progressToken: string | number | undefined,
  send: (notification: ServerNotification) => Promise<void>,
): ProgressRelay {
  let progress = 0;
  let queue = Promise.resolve();
  return {
    push(event) {
      if (progressToken === undefined) return;
      progress += 1;
      const notification: ServerNotification = {
        method: "notifications/progress",
        params: {
          progressToken,
          progress,
          message: describeEvent(event),
          _meta: { "switchboard/event": event },
        },
      };
      // A client that went away loses its progress, not the run.
      queue = queue.then(() => send(notification).catch(() => {}));
    },
    flush: () => queue,
  };
}
