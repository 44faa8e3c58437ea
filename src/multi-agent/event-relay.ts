import type { AgentEvent, AgentEventInput } from "../events/index.ts";

export interface RelayTarget {
  parentMessageId: string;
  childAgent: string;
  childMessageId: string;
  depth: number;
}

/**
 * A child's event as it travels on the root stream: flat, not nested per level — every event of
 * every descendant appears once, wrapped with its own depth and ids, so a client can attribute
 * parallel children's interleaved events without unwrapping layers.
 */
export function wrapChildEvent(event: AgentEvent, target: RelayTarget): AgentEventInput {
  return {
    type: "agent_event",
    parent_message_id: target.parentMessageId,
    child_agent: target.childAgent,
    child_message_id: target.childMessageId,
    depth: target.depth,
    event,
  };
}
