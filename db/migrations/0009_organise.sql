CREATE TABLE "collection_images" (
	"user_id" uuid NOT NULL,
	"collection_id" uuid NOT NULL,
	"image_id" uuid NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"added_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "collection_images_pkey" PRIMARY KEY("collection_id","image_id")
);
--> statement-breakpoint
ALTER TABLE "collection_images" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "collections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "collections_name_length" CHECK (char_length("collections"."name") between 1 and 100),
	CONSTRAINT "collections_description_length" CHECK (char_length("collections"."description") <= 1000)
);
--> statement-breakpoint
ALTER TABLE "collections" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "favourites" (
	"user_id" uuid NOT NULL,
	"image_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "favourites_pkey" PRIMARY KEY("user_id","image_id")
);
--> statement-breakpoint
ALTER TABLE "favourites" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "collection_images" ADD CONSTRAINT "collection_images_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_images" ADD CONSTRAINT "collection_images_collection_id_collections_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."collections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_images" ADD CONSTRAINT "collection_images_image_id_job_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."job_images"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collections" ADD CONSTRAINT "collections_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "favourites" ADD CONSTRAINT "favourites_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "favourites" ADD CONSTRAINT "favourites_image_id_job_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."job_images"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "collection_images_user_collection_idx" ON "collection_images" USING btree ("user_id","collection_id","position");--> statement-breakpoint
CREATE INDEX "collection_images_user_image_idx" ON "collection_images" USING btree ("user_id","image_id");--> statement-breakpoint
CREATE INDEX "collections_user_position_idx" ON "collections" USING btree ("user_id","position","created_at");--> statement-breakpoint
CREATE INDEX "favourites_user_created_idx" ON "favourites" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE POLICY "collection_images_owner" ON "collection_images" AS PERMISSIVE FOR ALL TO "darkroom_app" USING ("collection_images"."user_id" = nullif(current_setting('app.user_id', true), '')::uuid) WITH CHECK ("collection_images"."user_id" = nullif(current_setting('app.user_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "collections_owner" ON "collections" AS PERMISSIVE FOR ALL TO "darkroom_app" USING ("collections"."user_id" = nullif(current_setting('app.user_id', true), '')::uuid) WITH CHECK ("collections"."user_id" = nullif(current_setting('app.user_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "favourites_owner" ON "favourites" AS PERMISSIVE FOR ALL TO "darkroom_app" USING ("favourites"."user_id" = nullif(current_setting('app.user_id', true), '')::uuid) WITH CHECK ("favourites"."user_id" = nullif(current_setting('app.user_id', true), '')::uuid);--> statement-breakpoint
-- ===== Hand-written below: what drizzle-kit cannot express (issue 13). =====
-- Organising tables are user-owned like every other: forced, so the tables'
-- owner is bound too, and granted to darkroom_app only (no worker or admin
-- grant: neither needs to know that a favourite or a collection exists).
ALTER TABLE "favourites" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "collections" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "collection_images" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON "favourites" TO darkroom_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "collections", "collection_images" TO darkroom_app;
--> statement-breakpoint
-- Foreign keys are checked without row-level security, so a plain key could
-- join one person's row to another person's image or collection if a query
-- ever got it wrong. These composite keys make the owner part of the reference:
-- a favourite or a collection entry can only point at its own owner's objects.
ALTER TABLE "job_images" ADD CONSTRAINT "job_images_id_user_unique" UNIQUE ("id", "user_id");
--> statement-breakpoint
ALTER TABLE "collections" ADD CONSTRAINT "collections_id_user_unique" UNIQUE ("id", "user_id");
--> statement-breakpoint
ALTER TABLE "favourites" ADD CONSTRAINT "favourites_image_owner_fk" FOREIGN KEY ("image_id", "user_id") REFERENCES "job_images"("id", "user_id") ON DELETE cascade;
--> statement-breakpoint
ALTER TABLE "collection_images" ADD CONSTRAINT "collection_images_image_owner_fk" FOREIGN KEY ("image_id", "user_id") REFERENCES "job_images"("id", "user_id") ON DELETE cascade;
--> statement-breakpoint
ALTER TABLE "collection_images" ADD CONSTRAINT "collection_images_collection_owner_fk" FOREIGN KEY ("collection_id", "user_id") REFERENCES "collections"("id", "user_id") ON DELETE cascade;
--> statement-breakpoint
-- Prompt search: English stemming over the prompt and the negative prompt, in
-- a stored generated column (not declared in db/schema.ts, so that reading a
-- job never carries it) with a GIN index. Every search is also filtered on
-- user_id, which the existing (user_id, created_at, id) index serves; the
-- planner combines the two or walks the person's rows, never the whole table.
ALTER TABLE "image_jobs" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "prompt" || ' ' || coalesce("negative_prompt", ''))) STORED;
--> statement-breakpoint
CREATE INDEX "image_jobs_search_idx" ON "image_jobs" USING gin ("search");
