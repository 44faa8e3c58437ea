import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { InstanceService } from "../agents/instance-service.ts";
import { AGENT_TYPES } from "../config/agent-config.ts";
import type { Settings } from "../config/settings.ts";
import type { Account, AccountService } from "./account-service.ts";
import { generateAdminKey } from "./api-keys.ts";

const CredentialsSchema = z.object({
  admin_key: z.string().optional(),
  accounts: z.record(z.string(), z.object({ api_key: z.string() })).default({}),
});
type Credentials = z.infer<typeof CredentialsSchema>;

export interface BootstrapReport {
  adminKey: string;
  /** True when the admin key was generated now (not from env or an earlier start). */
  adminKeyGenerated: boolean;
  seededAccount: { slug: string; apiKey: string } | null;
  /** Where the generated secrets were saved; null when running in memory. */
  credentialsPath: string | null;
}

function readCredentials(path: string | null): Credentials {
  if (path === null || !existsSync(path)) return { accounts: {} };
  const parsed = CredentialsSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  return parsed.success ? parsed.data : { accounts: {} };
}

function writeCredentials(path: string, credentials: Credentials): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  // writeFileSync's mode applies only when it creates the file.
  chmodSync(path, 0o600);
}

/**
 * First start: an admin key when none is configured, and on an empty database the `demo`
 * account with one active instance of each type, so a newcomer can chat at once.
 */
export async function bootstrapPlatform(options: {
  settings: Settings;
  accounts: AccountService;
  instances: InstanceService;
  /** Fills the new demo account's product catalog (the sales agent's prices). */
  seedCatalog?: (account: Account) => Promise<void>;
}): Promise<BootstrapReport> {
  const { settings, accounts, instances } = options;
  const credentialsPath = settings.dataDir === null ? null : join(settings.dataDir, "credentials.json");
  const credentials = readCredentials(credentialsPath);
  let changed = false;

  let adminKey = settings.adminKey;
  let adminKeyGenerated = false;
  if (adminKey === null) {
    if (credentials.admin_key) {
      adminKey = credentials.admin_key;
    } else {
      adminKey = generateAdminKey();
      adminKeyGenerated = true;
      credentials.admin_key = adminKey;
      changed = true;
    }
  }

  let seededAccount: BootstrapReport["seededAccount"] = null;
  if (settings.seedDemoAccount && (await accounts.list()).length === 0) {
    const slug = settings.defaultAccountSlug;
    const created = await accounts.create({ slug, name: "Demo", tier: "professional" });
    for (const type of AGENT_TYPES) {
      await instances.provision(created.account, { type, slug: type, name: type });
    }
    await options.seedCatalog?.(created.account);
    credentials.accounts[slug] = { api_key: created.api_key };
    seededAccount = { slug, apiKey: created.api_key };
    changed = true;
  }

  if (changed && credentialsPath !== null) writeCredentials(credentialsPath, credentials);
  return { adminKey, adminKeyGenerated, seededAccount, credentialsPath };
}
