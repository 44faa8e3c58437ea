import pg from "pg";

/** Whether the PostgreSQL server at `url` offers the pgvector extension. */
export async function serverHasPgvector(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query("select 1 from pg_available_extensions where name = 'vector'");
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

/** Why knowledge suites on server PostgreSQL cannot run here, or null when they can. */
export async function postgresKnowledgeSkipReason(): Promise<string | null> {
  const url = process.env.DATABASE_URL;
  if (!url) return "skipped: DATABASE_URL is not set";
  return (await serverHasPgvector(url))
    ? null
    : "skipped: this PostgreSQL server has no pgvector extension (pg_available_extensions lists no 'vector')";
}
