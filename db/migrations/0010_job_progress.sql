ALTER TABLE "image_jobs" ADD COLUMN "progress_step" integer;--> statement-breakpoint
ALTER TABLE "image_jobs" ADD COLUMN "progress_steps" integer;--> statement-breakpoint
ALTER TABLE "image_jobs" ADD COLUMN "preview_key" text;--> statement-breakpoint
-- Live updates (issue 12): every change to a job row tells listeners which
-- person's which job changed, and nothing else. The notification is sent at
-- commit (so a rolled-back change is never announced) and carries ids only:
-- each event stream re-reads the job as its own person, under row-level
-- security, before it sends anything, so a notification that reached the
-- wrong stream could not carry another person's data into it.
CREATE FUNCTION darkroom_notify_job_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('darkroom_jobs', json_build_object('user_id', OLD.user_id, 'job_id', OLD.id, 'op', 'delete')::text);
  ELSE
    PERFORM pg_notify('darkroom_jobs', json_build_object('user_id', NEW.user_id, 'job_id', NEW.id, 'op', lower(TG_OP))::text);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "image_jobs_notify_change" AFTER INSERT OR UPDATE OR DELETE ON "image_jobs" FOR EACH ROW EXECUTE FUNCTION darkroom_notify_job_change();
