import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import {
  AGENT_EVENT_TYPES,
  type AgentEvent,
  type AgentEventInput,
  type AgentEventOf,
  AgentEventSchema,
  createEventSequencer,
  type NestedAgentEvent,
} from "../../src/events/index.ts";
import { allSampleEvents, sampleEvents } from "./sample-events.ts";

describe("AgentEventSchema", () => {
  it.each(allSampleEvents.map((event) => [event.type, event] as const))(
    "parses a %s event",
    (_type, event) => {
      expect(AgentEventSchema.parse(event)).toEqual(event);
    },
  );

  it("lists every event type", () => {
    expect([...AGENT_EVENT_TYPES].sort()).toEqual(Object.keys(sampleEvents).sort());
  });

  it("fills the documented defaults", () => {
    const toolResult = AgentEventSchema.parse({
      type: "tool_result",
      run_id: "run-1",
      seq: 1,
      tool_call_id: "call-1",
      tool_name: "search",
      output: null,
    });
    expect(toolResult).toMatchObject({ is_error: false });

    const { child_agents: _childAgents, ...metadataWithoutChildren } = sampleEvents.metadata;
    expect(AgentEventSchema.parse(metadataWithoutChildren)).toMatchObject({ child_agents: [] });
  });

  it("rejects an unknown type", () => {
    const result = AgentEventSchema.safeParse({ type: "text-delta", run_id: "run-1", seq: 1, delta: "x" });
    expect(result.success).toBe(false);
  });

  it("rejects an event without seq, with a negative seq or a fractional seq", () => {
    const { seq: _seq, ...withoutSeq } = sampleEvents.text_delta;
    expect(AgentEventSchema.safeParse(withoutSeq).success).toBe(false);
    expect(AgentEventSchema.safeParse({ ...sampleEvents.text_delta, seq: -1 }).success).toBe(false);
    expect(AgentEventSchema.safeParse({ ...sampleEvents.text_delta, seq: 1.5 }).success).toBe(false);
  });

  it("rejects an event without run_id", () => {
    const { run_id: _runId, ...withoutRunId } = sampleEvents.done;
    expect(AgentEventSchema.safeParse(withoutRunId).success).toBe(false);
  });

  it("rejects out-of-range confidence and an unknown routing stage", () => {
    expect(AgentEventSchema.safeParse({ ...sampleEvents.routing, confidence: 1.2 }).success).toBe(false);
    expect(AgentEventSchema.safeParse({ ...sampleEvents.routing, stage: "guess" }).success).toBe(false);
  });

  it("rejects a metadata event without agent_schema", () => {
    const { agent_schema: _agentSchema, ...withoutAgentSchema } = sampleEvents.metadata;
    expect(AgentEventSchema.safeParse(withoutAgentSchema).success).toBe(false);
  });

  it("parses agent_event nested two levels deep and validates the innermost event", () => {
    const twoLevels = {
      ...sampleEvents.agent_event,
      event: {
        type: "agent_event",
        run_id: "run-2",
        seq: 7,
        parent_message_id: "msg-2",
        child_agent: "fact-checker",
        child_message_id: "msg-3",
        depth: 2,
        event: { type: "tool_result", run_id: "run-3", seq: 2, tool_call_id: "c", tool_name: "t", output: 1 },
      },
    };
    const parsed = AgentEventSchema.parse(twoLevels);
    expect(parsed).toMatchObject({ event: { event: { type: "tool_result", is_error: false } } });

    const broken = structuredClone(twoLevels);
    broken.event.event.seq = -3;
    expect(AgentEventSchema.safeParse(broken).success).toBe(false);
  });

  it("rejects agent_event at depth 0", () => {
    expect(AgentEventSchema.safeParse({ ...sampleEvents.agent_event, depth: 0 }).success).toBe(false);
  });

  it("narrows on type, through nesting", () => {
    const event: AgentEvent = AgentEventSchema.parse({
      ...sampleEvents.agent_event,
      event: { ...sampleEvents.agent_event, run_id: "run-2", depth: 2 },
    });
    if (event.type !== "agent_event") throw new Error("expected agent_event");
    expectTypeOf(event).toEqualTypeOf<NestedAgentEvent>();
    const child = event.event;
    if (child.type !== "agent_event") throw new Error("expected a nested agent_event");
    expectTypeOf(child.event).toEqualTypeOf<AgentEvent>();
    const grandchild = child.event;
    if (grandchild.type !== "text_delta") throw new Error("expected text_delta");
    expectTypeOf(grandchild.delta).toEqualTypeOf<string>();
    expect(grandchild.delta).toBe("child says hi");
  });

  it("has a TS type equal to what the schema infers", () => {
    expectTypeOf<z.infer<typeof AgentEventSchema>>().toEqualTypeOf<AgentEvent>();
    expectTypeOf<AgentEventOf<"handoff">>().toEqualTypeOf<Extract<AgentEvent, { type: "handoff" }>>();
  });
});

describe("createEventSequencer", () => {
  it("stamps run_id and a seq that starts at 1 and increases by one", () => {
    const next = createEventSequencer("run-9");
    const first = next({ type: "text_delta", delta: "a" });
    const second = next({ type: "done", finish_reason: "stop" });
    expect(first).toEqual({ type: "text_delta", delta: "a", run_id: "run-9", seq: 1 });
    expect(second).toEqual({ type: "done", finish_reason: "stop", run_id: "run-9", seq: 2 });
    expect(AgentEventSchema.parse(second)).toEqual(second);
  });

  it("keeps separate counters per run", () => {
    const first = createEventSequencer("a");
    const second = createEventSequencer("b");
    first({ type: "text_delta", delta: "x" });
    expect(second({ type: "text_delta", delta: "y" }).seq).toBe(1);
  });

  it("takes events without run_id and seq", () => {
    expectTypeOf<{ type: "done" }>().toExtend<AgentEventInput>();
  });
});
