import type { Command } from "commander";
import { TierSchema } from "../accounts/tiers.ts";
import { SlugSchema } from "../config/identifiers.ts";
import { printJson, withApp } from "./open-app.ts";

export function registerAccountCommands(program: Command): void {
  const accounts = program.command("accounts").description("Manage accounts (tenants)");

  accounts
    .command("create")
    .description("Create an account and print its first API key (shown once)")
    .argument("<slug>", "account slug")
    .requiredOption("--name <name>", "display name")
    .option("--tier <tier>", "budget | standard | professional | enterprise", "standard")
    .action(async (slug: string, options: { name: string; tier: string }) => {
      const input = {
        slug: SlugSchema.parse(slug),
        name: options.name,
        tier: TierSchema.parse(options.tier),
      };
      await withApp(async (app) => printJson(await app.accounts.create(input)));
    });

  accounts
    .command("list")
    .description("List accounts")
    .action(async () => {
      await withApp(async (app) => printJson(await app.accounts.list()));
    });
}
