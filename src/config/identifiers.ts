import { z } from "zod";

/**
 * Slugs name accounts and instances in URLs, table names and vector namespaces, so they are kept
 * to what is safe everywhere: lowercase DNS-label characters, 2 to 63 long.
 */
export const SlugSchema = z
  .string()
  .min(2, "must be 2 to 63 characters")
  .max(63, "must be 2 to 63 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "must be lowercase letters, digits and inner hyphens");
