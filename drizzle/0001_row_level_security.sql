-- Row-level security: the second wall behind the application's account scoping.
-- The application runs its account queries as switchboard_app (no BYPASSRLS), switching to it
-- per transaction, and names the account per transaction with set_config(..., true).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'switchboard_app') THEN
    CREATE ROLE switchboard_app NOLOGIN NOBYPASSRLS;
  END IF;
END
$$;
--> statement-breakpoint
DO $$
BEGIN
  -- A non-superuser owner must be a member of the role to SET ROLE to it.
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT switchboard_app TO %I', current_user);
  END IF;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO switchboard_app;
--> statement-breakpoint
GRANT SELECT ON accounts TO switchboard_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON api_keys, agent_instances, conversations, messages, usage TO switchboard_app;
--> statement-breakpoint
DO $$
DECLARE
  scoped_table text;
BEGIN
  FOREACH scoped_table IN ARRAY ARRAY['api_keys', 'agent_instances', 'conversations', 'messages', 'usage']
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
--> statement-breakpoint
-- Resolving an API key happens before the account is known. This policy lets a transaction see
-- exactly the key row whose hash it presents, and nothing else.
CREATE POLICY api_key_lookup ON api_keys FOR SELECT
  USING (key_hash = NULLIF(current_setting('app.api_key_hash', true), ''));
