/**
 * What the Switchboard child entry (`switchboard-server.ts`) announces and how a parent changes its
 * settings, kept apart from the entry so importing it does not load the whole server.
 */
import { z } from "zod";

/** The variable a parent sets (a JSON object of Switchboard variables) to change the child's settings. */
export const SWITCHBOARD_ENV_VARIABLE = "BENCH_SWITCHBOARD_ENV";

/** The child environment that passes these Switchboard variables through. */
export function switchboardEnv(variables: Record<string, string>): Record<string, string> {
  return { [SWITCHBOARD_ENV_VARIABLE]: JSON.stringify(variables) };
}

export const SwitchboardAnnouncementSchema = z.object({
  url: z.url(),
  demoKey: z.string().nullable(),
  adminKey: z.string(),
});
export type SwitchboardAnnouncement = z.infer<typeof SwitchboardAnnouncementSchema>;
