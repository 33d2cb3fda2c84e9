-- Roles the app switches to inside transactions (SET LOCAL ROLE). Neither is
-- a superuser, BYPASSRLS, nor owner of any table, so row-level security binds them.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'darkroom_app') THEN
    CREATE ROLE darkroom_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'darkroom_worker') THEN
    CREATE ROLE darkroom_worker NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
  END IF;
END
$$;
--> statement-breakpoint
GRANT darkroom_app TO CURRENT_USER;
--> statement-breakpoint
GRANT darkroom_worker TO CURRENT_USER;
