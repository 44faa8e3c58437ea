/** The SQLSTATE of a database error, looking through wrappers (Drizzle wraps driver errors). */
export function postgresErrorCode(error: unknown): string | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export const UNDEFINED_TABLE = "42P01";
export const UNDEFINED_OBJECT = "42704";
export const UNIQUE_VIOLATION = "23505";
