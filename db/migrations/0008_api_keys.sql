CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp (3) with time zone,
	"expires_at" timestamp (3) with time zone,
	"revoked_at" timestamp (3) with time zone,
	CONSTRAINT "api_keys_scopes_check" CHECK ("api_keys"."scopes" <@ array['generate', 'read']::text[])
);
--> statement-breakpoint
ALTER TABLE "api_keys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_prefix_unique" ON "api_keys" USING btree ("prefix");--> statement-breakpoint
CREATE INDEX "api_keys_user_created_idx" ON "api_keys" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE POLICY "api_keys_owner" ON "api_keys" AS PERMISSIVE FOR ALL TO "darkroom_app" USING ("api_keys"."user_id" = nullif(current_setting('app.user_id', true), '')::uuid) WITH CHECK ("api_keys"."user_id" = nullif(current_setting('app.user_id', true), '')::uuid);--> statement-breakpoint
-- API keys are user-owned: forced like every such table, so only darkroom_app with
-- the owner's id set sees a row. The app lists, creates and revokes keys and notes
-- their last use; it never rewrites a key's hash, prefix, scopes or owner, and
-- never deletes one (account deletion cascades). No worker or admin grant.
ALTER TABLE "api_keys" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT ON "api_keys" TO darkroom_app;
--> statement-breakpoint
GRANT UPDATE ("last_used_at", "revoked_at") ON "api_keys" TO darkroom_app;
--> statement-breakpoint
-- The lookup below runs as this migration's role, the tables' owner, which FORCE
-- binds too and which has no policy of its own: this one lets it (and so only the
-- function, for the app) read keys. It adds nothing the owner could not already do
-- (it can switch row-level security off); darkroom_app gains nothing by it.
CREATE POLICY "api_keys_lookup" ON "api_keys" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (true);
--> statement-breakpoint
-- The one way to find a key before anyone is known: by its public prefix, a live
-- key's id, owner and hash, for the constant-time comparison in the app. Never the
-- name, scopes or dates (those are read afterwards in the owner's own scope).
-- SECURITY DEFINER runs it as the owner; a fixed search_path keeps a caller's
-- objects out of it.
CREATE OR REPLACE FUNCTION darkroom_api_key_lookup(p_prefix text)
RETURNS TABLE ("id" uuid, "user_id" uuid, "key_hash" text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
AS $$ SELECT k."id", k."user_id", k."key_hash" FROM public."api_keys" k
  WHERE k."prefix" = p_prefix AND k."revoked_at" IS NULL AND (k."expires_at" IS NULL OR k."expires_at" > now()) LIMIT 1 $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION darkroom_api_key_lookup(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION darkroom_api_key_lookup(text) TO darkroom_app;
