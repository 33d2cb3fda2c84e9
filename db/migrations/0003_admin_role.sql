-- A third restricted role, for admin counts (created before the policy that names it).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'darkroom_admin') THEN
    CREATE ROLE darkroom_admin NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
  END IF;
END
$$;
--> statement-breakpoint
GRANT darkroom_admin TO CURRENT_USER;
