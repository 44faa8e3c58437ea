import { z } from "zod";

const MAX_INTEREST = 2_000;
const noNul = (text: string) => !text.includes("\u0000");

/** Empty strings are what models send for "unknown": they mean absent. */
const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    .refine(noNul, `${label} must not contain NUL characters`)
    .optional()
    .transform((value) => (value === undefined || value === "" ? null : value));

/** What a lead must be before it is stored. */
export const LeadInputSchema = z.object({
  email: z
    .string({ error: "an e-mail address is required" })
    .trim()
    .min(1, "an e-mail address is required")
    .max(254, "the e-mail address is too long")
    .pipe(z.email({ error: (issue) => `"${String(issue.input)}" is not a valid e-mail address` })),
  name: optionalText(200, "the name"),
  company: optionalText(200, "the company"),
  // Free-text context, often the customer's whole message: kept, but bounded.
  interest: z
    .string()
    .trim()
    .optional()
    .transform((value) => {
      if (value === undefined || value === "") return null;
      const clean = value.replaceAll("\u0000", "");
      return clean.length > MAX_INTEREST ? `${clean.slice(0, MAX_INTEREST - 1)}…` : clean;
    }),
});

export type LeadInput = z.output<typeof LeadInputSchema>;

/** A validated lead, or every reason it is not one, in words a customer can be told. */
export function parseLead(input: unknown): { ok: true; lead: LeadInput } | { ok: false; message: string } {
  const parsed = LeadInputSchema.safeParse(input);
  if (parsed.success) return { ok: true, lead: parsed.data };
  const reasons = [...new Set(parsed.error.issues.map((issue) => issue.message))];
  return { ok: false, message: `${reasons.join("; ")}; nothing was stored` };
}
