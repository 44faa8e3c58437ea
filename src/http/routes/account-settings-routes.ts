import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AccountService } from "../../accounts/account-service.ts";
import { AccountSettingsSchema, validateAccountSettings } from "../../accounts/account-settings.ts";
import type { TemplateSet } from "../../config/templates.ts";
import type { Authenticator } from "../auth.ts";
import { AccountParamsSchema, COMMON_ERROR_RESPONSES, ErrorResponseSchema } from "../schemas/common.ts";

export interface AccountSettingsRoutesOptions {
  accounts: AccountService;
  auth: Authenticator;
  templates: TemplateSet;
}

/** An account's own router and multi-agent settings; the tier's limits still apply on top. */
export const accountSettingsRoutes: FastifyPluginAsyncZod<AccountSettingsRoutesOptions> = async (
  server,
  options,
) => {
  const { accounts, auth, templates } = options;

  server.get(
    "/accounts/:account/settings",
    {
      schema: {
        tags: ["accounts"],
        summary: "The account's router and multi-agent settings",
        params: AccountParamsSchema,
        response: { 200: AccountSettingsSchema, ...COMMON_ERROR_RESPONSES },
      },
    },
    async (request) => (await auth.accountFor(request, request.params.account)).settings,
  );

  server.put(
    "/accounts/:account/settings",
    {
      schema: {
        tags: ["accounts"],
        summary:
          "Replace the account's settings: router overrides (of router.yaml) and lower multi-agent limits",
        params: AccountParamsSchema,
        body: AccountSettingsSchema,
        response: { 200: AccountSettingsSchema, 422: ErrorResponseSchema, ...COMMON_ERROR_RESPONSES },
      },
    },
    async (request) => {
      const account = await auth.accountFor(request, request.params.account);
      const updated = await accounts.updateSettings(
        account,
        validateAccountSettings(templates, request.body),
      );
      request.log.info({ account: account.slug }, "account settings updated");
      return updated.settings;
    },
  );
};
