CREATE TABLE "job_images" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"index" integer NOT NULL,
	"image_key" text NOT NULL,
	"thumbnail_key" text NOT NULL,
	"content_type" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "job_images" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "model_access" (
	"model" text PRIMARY KEY NOT NULL,
	"access" text DEFAULT 'everyone' NOT NULL,
	"people" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"cost" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_access_kind_check" CHECK ("model_access"."access" in ('everyone', 'admins', 'people')),
	CONSTRAINT "model_access_cost_check" CHECK ("model_access"."cost" between 1 and 100)
);
--> statement-breakpoint
ALTER TABLE "image_jobs" ADD COLUMN "aspect_ratio" text DEFAULT '1:1' NOT NULL;--> statement-breakpoint
ALTER TABLE "image_jobs" ADD COLUMN "n" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "image_jobs" ADD COLUMN "seed" integer;--> statement-breakpoint
ALTER TABLE "image_jobs" ADD COLUMN "negative_prompt" text;--> statement-breakpoint
ALTER TABLE "image_jobs" ADD COLUMN "units" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "job_images" ADD CONSTRAINT "job_images_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_images" ADD CONSTRAINT "job_images_job_id_image_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."image_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "job_images_user_job_index_unique" ON "job_images" USING btree ("user_id","job_id","index");--> statement-breakpoint
CREATE POLICY "job_images_owner" ON "job_images" AS PERMISSIVE FOR ALL TO "darkroom_app" USING ("job_images"."user_id" = nullif(current_setting('app.user_id', true), '')::uuid) WITH CHECK ("job_images"."user_id" = nullif(current_setting('app.user_id', true), '')::uuid);--> statement-breakpoint
-- Jobs finished before this migration keep their one image: it becomes image 0,
-- served by the same routes under its new id as well as under the job's id.
-- Migrations run as the tables' owner, which is neither superuser nor BYPASSRLS
-- and has no policy on image_jobs: under FORCE it would see no job at all. FORCE
-- is lifted for this one statement, inside the migration's transaction, and put
-- back below; job_images is not forced yet, so the owner may write it.
ALTER TABLE "image_jobs" NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
INSERT INTO "job_images" ("user_id", "job_id", "index", "image_key", "thumbnail_key", "content_type", "width", "height", "created_at")
  SELECT "user_id", "id", 0, "image_key", "thumbnail_key", coalesce("content_type", 'image/png'), "width", "height", coalesce("completed_at", "updated_at")
  FROM "image_jobs"
  WHERE "status" = 'completed' AND "image_key" IS NOT NULL AND "thumbnail_key" IS NOT NULL AND "width" IS NOT NULL AND "height" IS NOT NULL;
--> statement-breakpoint
ALTER TABLE "image_jobs" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Images are user-owned: forced like every such table, so only darkroom_app with
-- the owner's id set sees a row. DELETE lets a repeated render replace its rows;
-- no UPDATE: an image row is written once. No worker or admin grant: neither
-- needs to know that an image exists.
ALTER TABLE "job_images" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON "job_images" TO darkroom_app;
--> statement-breakpoint
-- The model catalog's access rules: the app reads them to decide who may use a
-- model; only the owner (the admin CLI) changes them.
GRANT SELECT ON "model_access" TO darkroom_app;
