CREATE TABLE "knowledge_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"instance_id" uuid NOT NULL,
	"title" text NOT NULL,
	"source" text,
	"content_hash" text NOT NULL,
	"chunk_count" integer NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"backend" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "knowledge_migrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"from_tier" text NOT NULL,
	"to_tier" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"documents_total" integer DEFAULT 0 NOT NULL,
	"documents_moved" integer DEFAULT 0 NOT NULL,
	"chunks_moved" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "agent_instances_account_id_idx" ON "agent_instances" USING btree ("account_id","id");--> statement-breakpoint
ALTER TABLE "knowledge_documents" ADD CONSTRAINT "knowledge_documents_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_documents" ADD CONSTRAINT "knowledge_documents_account_instance_fk" FOREIGN KEY ("account_id","instance_id") REFERENCES "public"."agent_instances"("account_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_migrations" ADD CONSTRAINT "knowledge_migrations_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_documents_content_idx" ON "knowledge_documents" USING btree ("account_id","instance_id","content_hash");--> statement-breakpoint
CREATE INDEX "knowledge_documents_instance_idx" ON "knowledge_documents" USING btree ("account_id","instance_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_migrations_unfinished_idx" ON "knowledge_migrations" USING btree ("account_id") WHERE "knowledge_migrations"."status" <> 'completed';
--> statement-breakpoint
-- Row-level security for the knowledge tables, exactly as 0001 does for the others.
GRANT SELECT, INSERT, UPDATE, DELETE ON knowledge_documents, knowledge_migrations TO switchboard_app;
--> statement-breakpoint
DO $$
DECLARE
  scoped_table text;
BEGIN
  FOREACH scoped_table IN ARRAY ARRAY['knowledge_documents', 'knowledge_migrations']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', scoped_table);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', scoped_table);
    EXECUTE format(
      'CREATE POLICY account_isolation ON %I
         USING (account_id = NULLIF(current_setting(''app.account_id'', true), '''')::uuid)
         WITH CHECK (account_id = NULLIF(current_setting(''app.account_id'', true), '''')::uuid)',
      scoped_table
    );
  END LOOP;
END
$$;
