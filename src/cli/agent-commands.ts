import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { AgentTypeSchema } from "../config/agent-config.ts";
import { isPlainObject } from "../config/deep-merge.ts";
import { SlugSchema } from "../config/identifiers.ts";
import { InstanceStatusSchema } from "../http/schemas/agent-schemas.ts";
import { toAgentDetail, toAgentSummary } from "../http/views/agent-view.ts";
import { printJson, withApp } from "./open-app.ts";

/** Overrides as inline JSON, or `@path` to read a JSON file. */
function readOverrides(argument: string): Record<string, unknown> {
  const text = argument.startsWith("@") ? readFileSync(argument.slice(1), "utf8") : argument;
  const parsed: unknown = JSON.parse(text);
  if (!isPlainObject(parsed)) throw new Error("The config overrides must be a JSON object");
  return parsed;
}

export function registerAgentCommands(program: Command): void {
  const agents = program.command("agents").description("Manage an account's agent instances");

  agents
    .command("list")
    .argument("<account>", "account slug")
    .option("--all", "include archived instances")
    .action(async (account: string, options: { all?: boolean }) => {
      await withApp(async (app) => {
        const owner = await app.accounts.getBySlug(account);
        const list = await app.instances.list(owner, { includeArchived: options.all === true });
        printJson(list.map((instance) => toAgentSummary(instance, app.instances.effectiveConfig(instance))));
      });
    });

  agents
    .command("create")
    .argument("<account>", "account slug")
    .argument("<type>", "agent type")
    .argument("<slug>", "instance slug")
    .option("--name <name>", "display name")
    .option("--config <json>", "config overrides as JSON, or @file.json")
    .action(
      async (account: string, type: string, slug: string, options: { name?: string; config?: string }) => {
        await withApp(async (app) => {
          const owner = await app.accounts.getBySlug(account);
          const instance = await app.instances.provision(owner, {
            type: AgentTypeSchema.parse(type),
            slug: SlugSchema.parse(slug),
            name: options.name,
            config: options.config ? readOverrides(options.config) : undefined,
          });
          printJson(toAgentDetail(instance, app.instances.effectiveConfig(instance)));
        });
      },
    );

  agents
    .command("config")
    .description("Show an instance's effective config, or replace its overrides")
    .argument("<account>", "account slug")
    .argument("<agent>", "instance slug")
    .argument("[overrides]", "new overrides as JSON, or @file.json")
    .action(async (account: string, agent: string, overrides: string | undefined) => {
      await withApp(async (app) => {
        const owner = await app.accounts.getBySlug(account);
        const instance = overrides
          ? await app.instances.updateConfig(owner, agent, readOverrides(overrides))
          : await app.instances.get(owner, agent);
        printJson(toAgentDetail(instance, app.instances.effectiveConfig(instance)));
      });
    });

  agents
    .command("status")
    .argument("<account>", "account slug")
    .argument("<agent>", "instance slug")
    .argument("<status>", "active | inactive | archived")
    .action(async (account: string, agent: string, status: string) => {
      await withApp(async (app) => {
        const owner = await app.accounts.getBySlug(account);
        const instance = await app.instances.setStatus(owner, agent, InstanceStatusSchema.parse(status));
        printJson(toAgentDetail(instance, app.instances.effectiveConfig(instance)));
      });
    });
}
