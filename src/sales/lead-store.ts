import { sql } from "drizzle-orm";
import { runAccountBatch } from "../db/account-batch.ts";
import type { DatabaseHandle } from "../db/client.ts";
import type { LeadInput } from "./lead-input.ts";

export interface Lead {
  id: string;
  name: string | null;
  email: string;
  company: string | null;
  interest: string | null;
  /** The slug of the instance that captured it. */
  agent: string | null;
  conversation_id: string | null;
  created_at: string;
}

interface LeadRow {
  id: string;
  name: string | null;
  email: string;
  company: string | null;
  interest: string | null;
  agent: string | null;
  conversation_id: string | null;
  created_at: string | Date;
}

function toLead(row: LeadRow): Lead {
  return { ...row, created_at: new Date(row.created_at).toISOString() };
}

export type LeadStore = ReturnType<typeof createLeadStore>;

/** Leads, one statement per operation, each a single account batch under row-level security. */
export function createLeadStore({ database }: { database: DatabaseHandle }) {
  /**
   * Stores a lead. The same address given again in the same conversation updates that lead
   * (new details fill in, nothing known is erased) instead of making a second one.
   */
  async function save(
    accountId: string,
    origin: { instanceId: string; conversationId: string | null },
    lead: LeadInput,
  ): Promise<{ id: string; created: boolean }> {
    const [rows] = await runAccountBatch(database, accountId, [
      sql`
        insert into leads (account_id, instance_id, conversation_id, name, email, company, interest)
        values (${accountId}, ${origin.instanceId}, ${origin.conversationId}, ${lead.name}, ${lead.email},
                ${lead.company}, ${lead.interest})
        on conflict (account_id, conversation_id, lower(email)) do update set
          name = coalesce(excluded.name, leads.name),
          company = coalesce(excluded.company, leads.company),
          interest = coalesce(excluded.interest, leads.interest)
        returning id, (xmax = 0) as created`,
    ]);
    const row = rows?.[0] as { id: string; created: boolean } | undefined;
    if (!row) throw new Error("lead insert returned no row");
    return { id: row.id, created: row.created };
  }

  /** Newest first. */
  async function list(accountId: string, page: { limit: number; offset: number }): Promise<Lead[]> {
    const [rows] = await runAccountBatch(database, accountId, [
      sql`
        select leads.id, leads.name, leads.email, leads.company, leads.interest,
               agent_instances.slug as agent, leads.conversation_id, leads.created_at
        from leads
        left join agent_instances
          on agent_instances.account_id = leads.account_id and agent_instances.id = leads.instance_id
        where leads.account_id = ${accountId}
        order by leads.created_at desc, leads.id desc
        limit ${page.limit} offset ${page.offset}`,
    ]);
    return ((rows ?? []) as unknown as LeadRow[]).map(toLead);
  }

  return { save, list };
}
