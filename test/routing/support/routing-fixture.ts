import { readFileSync } from "node:fs";
import { z } from "zod";
import { AgentTypeSchema } from "../../../src/config/agent-config.ts";

export const LabelledQuerySchema = z.object({
  query: z.string(),
  expected: AgentTypeSchema,
  split: z.enum(["tune", "holdout"]),
  /**
   * Messages no specialist should take: nonsense, and follow-up fragments ("and for the mobile
   * one?") that mean nothing without their conversation. Both should fall back.
   */
  kind: z.enum(["nonsense", "ambiguous"]).optional(),
});
export type LabelledQuery = z.infer<typeof LabelledQuerySchema>;

const FIXTURE_URL = new URL("../../fixtures/routing-queries.json", import.meta.url);

export function loadLabelledQueries(): LabelledQuery[] {
  return z.array(LabelledQuerySchema).parse(JSON.parse(readFileSync(FIXTURE_URL, "utf8")));
}
