import type { FastifyRequest } from "fastify";
import type { Account, AccountService } from "../accounts/account-service.ts";
import { constantTimeEquals } from "../accounts/api-keys.ts";
import {
  AccountNotFoundError,
  AccountSuspendedError,
  ForbiddenError,
  UnauthorizedError,
} from "../errors/app-error.ts";

export type Principal = { kind: "admin" } | { kind: "account"; accountId: string };

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

export function createAuthenticator(options: { adminKey: string; accounts: AccountService }) {
  const { adminKey, accounts } = options;

  async function authenticate(request: FastifyRequest): Promise<void> {
    const token = bearerToken(request);
    if (!token) throw new UnauthorizedError("Send an API key as 'Authorization: Bearer <key>'");
    if (constantTimeEquals(token, adminKey)) {
      request.principal = { kind: "admin" };
      return;
    }
    const resolved = await accounts.resolveApiKey(token);
    if (!resolved) throw new UnauthorizedError("The API key is not valid");
    request.principal = { kind: "account", accountId: resolved.accountId };
  }

  /**
   * The account a path names, as this caller may see it. Another account's slug answers exactly
   * like a missing one, so a key cannot probe which accounts exist.
   */
  async function accountFor(request: FastifyRequest, slug: string): Promise<Account> {
    const principal = request.principal;
    const account = await accounts.findBySlug(slug);
    // Built only when thrown: a stack trace on every request costs measurable CPU.
    const notFound = () => new AccountNotFoundError(`Account "${slug}" not found`);
    if (!account || principal === null) throw notFound();
    if (principal.kind === "account") {
      if (principal.accountId !== account.id) throw notFound();
      if (account.status !== "active") throw new AccountSuspendedError(`Account "${slug}" is suspended`);
    }
    return account;
  }

  function requireAdmin(request: FastifyRequest): void {
    if (request.principal?.kind !== "admin") {
      throw new ForbiddenError("This operation needs the platform admin key");
    }
  }

  return { authenticate, accountFor, requireAdmin };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
