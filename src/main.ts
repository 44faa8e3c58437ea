#!/usr/bin/env node
import { Command } from "commander";
import { z } from "zod";
import { registerAccountCommands } from "./cli/account-commands.ts";
import { registerAgentCommands } from "./cli/agent-commands.ts";
import { registerIngestCommand } from "./cli/ingest-command.ts";
import { withApp } from "./cli/open-app.ts";
import { serve } from "./cli/serve-command.ts";
import { SettingsError } from "./config/settings.ts";
import { AppError } from "./errors/app-error.ts";

const program = new Command()
  .name("switchboard")
  .description("Multi-tenant, multi-agent AI platform server")
  .showHelpAfterError();

program.command("serve").description("Run the HTTP server").action(serve);
program
  .command("migrate")
  .description("Apply database migrations (serve applies them too)")
  .action(async () => {
    await withApp(async (app) => console.log(`Migrations applied (${app.database.driver}).`));
  });
registerAccountCommands(program);
registerAgentCommands(program);
registerIngestCommand(program);

try {
  await program.parseAsync();
} catch (error) {
  // Operator mistakes get one readable line, not a stack trace.
  if (error instanceof SettingsError) console.error(error.message);
  else if (AppError.isInstance(error)) console.error(`${error.code}: ${error.message}`);
  else if (error instanceof z.ZodError) console.error(z.prettifyError(error));
  else if (error instanceof SyntaxError) console.error(`Invalid JSON: ${error.message}`);
  else throw error;
  process.exitCode = 1;
}
