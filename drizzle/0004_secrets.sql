CREATE TABLE "account_secrets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"name" text NOT NULL,
	"ciphertext" text NOT NULL,
	"iv" text NOT NULL,
	"auth_tag" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "account_secrets" ADD CONSTRAINT "account_secrets_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "account_secrets_account_name_idx" ON "account_secrets" USING btree ("account_id","name");
--> statement-breakpoint
-- Row-level security for account secrets, exactly as 0001 does for the other account tables.
GRANT SELECT, INSERT, UPDATE, DELETE ON account_secrets TO switchboard_app;
--> statement-breakpoint
ALTER TABLE account_secrets ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE account_secrets FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY account_isolation ON account_secrets
  USING (account_id = NULLIF(current_setting('app.account_id', true), '')::uuid)
  WITH CHECK (account_id = NULLIF(current_setting('app.account_id', true), '')::uuid);
