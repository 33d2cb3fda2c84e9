ALTER TABLE "audit_events" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT ON "audit_events" TO darkroom_app;
--> statement-breakpoint
-- Admins count jobs per person: owner and status only, never prompts or images.
GRANT SELECT ("user_id", "status") ON "image_jobs" TO darkroom_admin;
