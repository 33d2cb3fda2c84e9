-- FORCE makes the policies bind the tables' owner too, so a query run on the
-- owner's connection without the scoped role sees no user-owned row at all.
ALTER TABLE "image_jobs" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "refresh_tokens" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "image_jobs", "refresh_tokens" TO darkroom_app;
--> statement-breakpoint
-- The worker sees only which unfinished jobs exist and whose they are, never prompts or images.
GRANT SELECT ("id", "user_id", "status", "updated_at") ON "image_jobs" TO darkroom_worker;
