CREATE TABLE "audit_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"event" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ip" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" varchar(255) PRIMARY KEY NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"expire" bigint
);
--> statement-breakpoint
DROP INDEX "image_jobs_unfinished_idx";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "disabled_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "tokens_valid_after" timestamp (3) with time zone DEFAULT 'epoch' NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_user_created_idx" ON "audit_events" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "image_jobs_unfinished_idx" ON "image_jobs" USING btree ("user_id") WHERE status in ('queued', 'processing');--> statement-breakpoint
CREATE POLICY "image_jobs_admin_counts" ON "image_jobs" AS PERMISSIVE FOR SELECT TO "darkroom_admin" USING (true);--> statement-breakpoint
CREATE POLICY "audit_events_owner" ON "audit_events" AS PERMISSIVE FOR ALL TO "darkroom_app" USING ("audit_events"."user_id" = nullif(current_setting('app.user_id', true), '')::uuid) WITH CHECK ("audit_events"."user_id" = nullif(current_setting('app.user_id', true), '')::uuid);