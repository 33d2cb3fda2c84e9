CREATE TABLE "shares" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"image_id" uuid,
	"collection_id" uuid,
	"include_parameters" boolean DEFAULT false NOT NULL,
	"show_name" boolean DEFAULT false NOT NULL,
	"view_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "shares_one_object" CHECK (("shares"."image_id" is null) <> ("shares"."collection_id" is null))
);
--> statement-breakpoint
ALTER TABLE "shares" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "shares" ADD CONSTRAINT "shares_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shares" ADD CONSTRAINT "shares_image_id_job_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."job_images"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shares" ADD CONSTRAINT "shares_collection_id_collections_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."collections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "shares_token_hash_unique" ON "shares" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "shares_user_created_idx" ON "shares" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE POLICY "shares_owner" ON "shares" AS PERMISSIVE FOR ALL TO "darkroom_app" USING ("shares"."user_id" = nullif(current_setting('app.user_id', true), '')::uuid) WITH CHECK ("shares"."user_id" = nullif(current_setting('app.user_id', true), '')::uuid);
--> statement-breakpoint
-- ===== Hand-written below: what drizzle-kit cannot express (issue 13, share links). =====
-- Shares are user-owned like every other table: forced, so the tables' owner is
-- bound too, and granted to darkroom_app only. The app lists, makes and revokes
-- (deletes) shares and counts views; it never rewrites a share's token hash,
-- object, options, owner or expiry.
ALTER TABLE "shares" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON "shares" TO darkroom_app;
--> statement-breakpoint
GRANT UPDATE ("view_count") ON "shares" TO darkroom_app;
--> statement-breakpoint
-- As in 0009: foreign keys are checked without row-level security, so these
-- composite keys make the owner part of the reference. A share can only point
-- at its own owner's image or collection, and goes with it (the image with its
-- job, the collection, the account) in the same statement.
ALTER TABLE "shares" ADD CONSTRAINT "shares_image_owner_fk" FOREIGN KEY ("image_id", "user_id") REFERENCES "job_images"("id", "user_id") ON DELETE cascade;
--> statement-breakpoint
ALTER TABLE "shares" ADD CONSTRAINT "shares_collection_owner_fk" FOREIGN KEY ("collection_id", "user_id") REFERENCES "collections"("id", "user_id") ON DELETE cascade;
--> statement-breakpoint
-- The lookup below runs as this migration's role, the tables' owner, which FORCE
-- binds too: this policy lets it (and so only the function, for the app) read
-- shares, as 0008's api_keys_lookup does. darkroom_app gains nothing by it.
CREATE POLICY "shares_lookup" ON "shares" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (true);
--> statement-breakpoint
-- The one way to find a share before anyone is known (an anonymous link holder):
-- by the SHA-256 of its token, a live share's id and owner, nothing else. What
-- the link shows is read afterwards in the owner's own scope. Expired shares are
-- not found (revoked ones are deleted). SECURITY DEFINER runs it as the owner; a
-- fixed search_path keeps a caller's objects out of it.
CREATE OR REPLACE FUNCTION darkroom_share_lookup(p_token_hash text)
RETURNS TABLE ("id" uuid, "user_id" uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
AS $$ SELECT s."id", s."user_id" FROM public."shares" s
  WHERE s."token_hash" = p_token_hash AND s."expires_at" > now() LIMIT 1 $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION darkroom_share_lookup(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION darkroom_share_lookup(text) TO darkroom_app;
