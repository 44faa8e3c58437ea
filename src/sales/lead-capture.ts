import { parseLead } from "./lead-input.ts";
import type { LeadStore } from "./lead-store.ts";

/** Where a lead came from: read from the run's context, never from the model's arguments. */
export interface LeadOrigin {
  accountId: string;
  instanceId: string;
  conversationId: string | null;
}

export type LeadCaptureResult =
  | { status: "captured"; lead_id: string; message: string }
  | { status: "error"; code: "INVALID_LEAD"; message: string };

export type LeadCapture = (origin: LeadOrigin, input: unknown) => Promise<LeadCaptureResult>;

/**
 * Validates and stores a lead. An invalid one is an error result, not an exception: the agent
 * reads it and tells the customer what to fix, and nothing is stored.
 */
export function createLeadCapture(store: LeadStore): LeadCapture {
  return async (origin, input) => {
    const parsed = parseLead(input);
    if (!parsed.ok) return { status: "error", code: "INVALID_LEAD", message: parsed.message };
    const { lead } = parsed;
    const saved = await store.save(origin.accountId, origin, lead);
    return {
      status: "captured",
      lead_id: saved.id,
      message: saved.created
        ? `Lead captured for ${lead.email}; the sales team will follow up.`
        : `The lead for ${lead.email} was updated with the new details.`,
    };
  };
}
