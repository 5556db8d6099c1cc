-- The role the application connects as on PostgreSQL (hardening finding 1).
--
-- The audit log's append-only trigger (migration 0002) stops the application only while the application cannot
-- switch it off: ALTER TABLE … DISABLE TRIGGER is allowed to the table's owner and to superusers. So the app must
-- connect as a role that is neither. lockstep_app owns no table and is no superuser; on audit_events it holds
-- SELECT and INSERT only (no UPDATE, DELETE, TRUNCATE), everywhere else the ordinary read and write rights.
-- Migrations, seeding and this file run as the owner (the role that created the schema, with CREATEROLE or a
-- superuser to create the role the first time).
--
--   DATABASE_URL=$OWNER_URL npm run db:migrate        # the schema, as the owner
--   DATABASE_URL=$OWNER_URL npm run worker            # once, stopped with Ctrl-C: installs graphile-worker's schema
--   psql "$OWNER_URL" -v ON_ERROR_STOP=1 -f db/roles.sql
--   psql "$OWNER_URL" -c "ALTER ROLE lockstep_app PASSWORD '…'"
--   DATABASE_URL=postgres://lockstep_app:…@host/db npm start
--
-- Run it again after a migration or a graphile-worker upgrade, as the owner, before the app starts: the grants on
-- existing objects are repeated, and new ones are covered by the default privileges below. Idempotent.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lockstep_app') THEN
    CREATE ROLE lockstep_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
  END IF;
END
$$;

-- The migrator (on every start) runs CREATE SCHEMA / CREATE TABLE IF NOT EXISTS for its own bookkeeping; PostgreSQL
-- checks the right to create before it sees the schema is there. A schema it could create would be its own, which
-- gives it nothing over the owner's tables. With nothing pending, the migrator then only reads its table.
DO $$
BEGIN
  EXECUTE format('GRANT CREATE, CONNECT, TEMPORARY ON DATABASE %I TO lockstep_app', current_database());
END
$$;
CREATE SCHEMA IF NOT EXISTS drizzle;
GRANT USAGE, CREATE ON SCHEMA drizzle TO lockstep_app;
GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO lockstep_app;

-- The application's tables: ordinary rights.
GRANT USAGE ON SCHEMA public TO lockstep_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO lockstep_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO lockstep_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO lockstep_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO lockstep_app;

-- The audit log: read and append, nothing else.
REVOKE ALL ON audit_events FROM lockstep_app;
GRANT SELECT, INSERT ON audit_events TO lockstep_app;

-- graphile-worker's queue (when installed): its private tables have row-level security with no policy for anyone
-- but their owner, so the app role gets a policy of its own on each. Only the queue: the audit log has none.
DO $$
DECLARE
  t text;
BEGIN
  IF EXISTS (SELECT FROM pg_namespace WHERE nspname = 'graphile_worker') THEN
    GRANT USAGE ON SCHEMA graphile_worker TO lockstep_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA graphile_worker TO lockstep_app;
    GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA graphile_worker TO lockstep_app;
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA graphile_worker TO lockstep_app;
    FOR t IN
      SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'graphile_worker' AND c.relkind = 'r' AND c.relrowsecurity
    LOOP
      IF NOT EXISTS (
        SELECT FROM pg_policies WHERE schemaname = 'graphile_worker' AND tablename = t AND policyname = 'lockstep_app'
      ) THEN
        EXECUTE format(
          'CREATE POLICY lockstep_app ON graphile_worker.%I FOR ALL TO lockstep_app USING (true) WITH CHECK (true)', t);
      END IF;
    END LOOP;
  END IF;
END
$$;
