import { tool } from "ai";
import { z } from "zod";
import type { LeadCapture } from "../../sales/lead-capture.ts";
import { requireCurrentContext } from "../agent-context.ts";

/**
 * Deliberately loose: every rule (a valid address, bounded lengths) is checked when the tool runs,
 * so a bad value comes back as an INVALID_LEAD result the agent can explain, not as a schema failure.
 */
export const CaptureLeadInputSchema = z.object({
  email: z.string().describe("The customer's e-mail address (required; must be a complete address)"),
  name: z.string().optional().describe("The customer's name, up to 200 characters"),
  company: z.string().optional().describe("The customer's company, up to 200 characters"),
  interest: z
    .string()
    .optional()
    .describe("What the customer is interested in: products, team size, timeline (up to 2000 characters)"),
});

/** Records a sales lead for the account; the account, instance and conversation come from the run. */
export function createCaptureLeadTool(capture: LeadCapture) {
  return tool({
    description:
      "Record a sales lead when a customer shares contact details or asks to be contacted (a demo, a " +
      "quote, a call). Returns {status: 'captured', lead_id} or {status: 'error', code: 'INVALID_LEAD', " +
      "message}: then nothing was stored; tell the customer what to correct.",
    inputSchema: CaptureLeadInputSchema,
    execute: async (input) => {
      const context = requireCurrentContext();
      return capture(
        {
          accountId: context.accountId,
          instanceId: context.instanceId,
          conversationId: context.conversationId,
        },
        input,
      );
    },
  });
}
