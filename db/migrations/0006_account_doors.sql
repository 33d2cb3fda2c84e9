CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"user_agent" text,
	"ip" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"revoked_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "sessions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "users" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD COLUMN "family_expires_at" timestamp (3) with time zone;--> statement-breakpoint
-- Families issued before this migration end 90 days after their first token.
-- The owner running this has no policy on refresh_tokens: under FORCE it would
-- see (and fill) no row. FORCE is lifted for this one statement, inside the
-- migration's transaction, so nothing else ever runs without it.
ALTER TABLE "refresh_tokens" NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
UPDATE "refresh_tokens" AS t SET "family_expires_at" = f.first + interval '90 days'
  FROM (SELECT "family_id", min("created_at") AS first FROM "refresh_tokens" GROUP BY "family_id") AS f
  WHERE t."family_id" = f."family_id";--> statement-breakpoint
ALTER TABLE "refresh_tokens" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ALTER COLUMN "family_expires_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "role" text DEFAULT 'user' NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id","last_seen_at" DESC NULLS LAST);--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_role_check" CHECK ("users"."role" in ('user', 'admin'));--> statement-breakpoint
CREATE POLICY "users_self" ON "users" AS PERMISSIVE FOR ALL TO "darkroom_app" USING ("users"."id" = nullif(current_setting('app.user_id', true), '')::uuid) WITH CHECK ("users"."id" = nullif(current_setting('app.user_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "users_admin_list" ON "users" AS PERMISSIVE FOR SELECT TO "darkroom_admin" USING (true);--> statement-breakpoint
CREATE POLICY "sessions_owner" ON "sessions" AS PERMISSIVE FOR ALL TO "darkroom_app" USING ("sessions"."user_id" = nullif(current_setting('app.user_id', true), '')::uuid) WITH CHECK ("sessions"."user_id" = nullif(current_setting('app.user_id', true), '')::uuid);
--> statement-breakpoint
-- Sessions are user-owned: forced like every such table, so no role but darkroom_app
-- with the owner's id set can see a row.
ALTER TABLE "sessions" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "sessions" TO darkroom_app;
--> statement-breakpoint
-- Accounts. Not FORCE'd: the owner (migrations, the admin CLI and the sign-in
-- lookup below) reads accounts by email before anyone is known. The app's role
-- reads only its own row (policy users_self) and never the password hash, and
-- cannot change its role: column grants, not conventions.
GRANT SELECT ("id", "email", "name", "role", "created_at", "disabled_at", "tokens_valid_after") ON "users" TO darkroom_app;
--> statement-breakpoint
GRANT INSERT ("id", "email", "name", "password_hash") ON "users" TO darkroom_app;
--> statement-breakpoint
GRANT UPDATE ("name", "disabled_at", "tokens_valid_after") ON "users" TO darkroom_app;
--> statement-breakpoint
GRANT DELETE ON "users" TO darkroom_app;
--> statement-breakpoint
GRANT SELECT ("id", "email", "name", "role", "created_at", "disabled_at") ON "users" TO darkroom_admin;
--> statement-breakpoint
-- Sign-in throttling state (keys are hashes) and the readiness check's view of
-- applied migrations: the app reaches both as darkroom_app, never as an owner.
GRANT SELECT, INSERT, UPDATE, DELETE ON "rate_limits" TO darkroom_app;
--> statement-breakpoint
GRANT USAGE ON SCHEMA drizzle TO darkroom_app;
--> statement-breakpoint
GRANT SELECT ON drizzle.__drizzle_migrations TO darkroom_app;
--> statement-breakpoint
-- The one way to find an account by email before anyone is signed in: exactly
-- one row's id, password hash and whether it is disabled, for password checks.
-- SECURITY DEFINER runs it as the owner (who bypasses the unforced RLS on users);
-- a fixed search_path keeps a caller's objects out of it.
CREATE OR REPLACE FUNCTION darkroom_sign_in_lookup(p_email text)
RETURNS TABLE ("id" uuid, "password_hash" text, "disabled" boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
AS $$ SELECT u."id", u."password_hash", u."disabled_at" IS NOT NULL FROM public."users" u WHERE lower(u."email") = lower(p_email) LIMIT 1 $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION darkroom_sign_in_lookup(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION darkroom_sign_in_lookup(text) TO darkroom_app;
