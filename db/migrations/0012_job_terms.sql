CREATE TABLE "job_terms" (
	"user_id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"term" text COLLATE "C" NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "job_terms_pkey" PRIMARY KEY("job_id","term")
);
--> statement-breakpoint
ALTER TABLE "job_terms" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "job_terms" ADD CONSTRAINT "job_terms_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_terms" ADD CONSTRAINT "job_terms_job_id_image_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."image_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "job_terms_user_term_created_idx" ON "job_terms" USING btree ("user_id","term","created_at" DESC NULLS LAST,"job_id" DESC NULLS LAST);--> statement-breakpoint
CREATE POLICY "job_terms_owner" ON "job_terms" AS PERMISSIVE FOR SELECT TO "darkroom_app" USING ("job_terms"."user_id" = nullif(current_setting('app.user_id', true), '')::uuid);
--> statement-breakpoint
-- ===== Hand-written below: what drizzle-kit cannot express (issue 13, search speed). =====
-- Postings are user-owned like every other table: forced, so the tables' owner
-- is bound too. darkroom_app may only read its own person's rows (the search);
-- nobody is granted a write: the trigger below is the one writer.
ALTER TABLE "job_terms" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT ON "job_terms" TO darkroom_app;
--> statement-breakpoint
-- The recipe's one variant (docs/architecture.md, tests/support/rls-recipe.ts):
-- rows the database derives from another user-owned table. Granting the app
-- INSERT here would let it probe for other people's job ids (a foreign key is
-- checked without row-level security), so it gets none.
COMMENT ON TABLE "job_terms" IS 'derived: written only by the triggers on image_jobs (migration 0012)';
--> statement-breakpoint
-- The trigger function runs as this migration's role, the tables' owner, which
-- FORCE binds too: this policy lets it (and so only the trigger) write postings.
-- darkroom_app gains nothing by it.
CREATE POLICY "job_terms_writer" ON "job_terms" AS PERMISSIVE FOR ALL TO CURRENT_USER USING (true) WITH CHECK (true);
--> statement-breakpoint
-- One posting per lexeme of a job's generated `search` tsvector, with the
-- job's owner and creation time (the order of a search's results). They run
-- after the rows passed image_jobs' own policy and write only what those rows
-- say: whoever could insert or change a job gets postings for it, nothing
-- else. SECURITY DEFINER because darkroom_app has no write grant here; a fixed
-- search_path keeps a caller's objects out of them. A trigger function cannot
-- be called directly. Inserts: once per statement, from the transition table
-- (a bulk insert is one INSERT here, not one per row).
CREATE OR REPLACE FUNCTION darkroom_job_terms_inserted() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
BEGIN
  INSERT INTO public."job_terms" ("user_id", "job_id", "term", "created_at")
    SELECT j."user_id", j."id", t, j."created_at" FROM inserted_jobs j, unnest(tsvector_to_array(j."search")) AS t;
  RETURN NULL;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION darkroom_job_terms_inserted() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER "image_jobs_terms_inserted" AFTER INSERT ON "image_jobs"
  REFERENCING NEW TABLE AS inserted_jobs FOR EACH STATEMENT EXECUTE FUNCTION darkroom_job_terms_inserted();
--> statement-breakpoint
-- The app never changes a job's prompt, owner or creation time; should anything
-- do so, its postings follow.
CREATE OR REPLACE FUNCTION darkroom_job_terms_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
BEGIN
  DELETE FROM public."job_terms" WHERE "job_id" = OLD."id";
  INSERT INTO public."job_terms" ("user_id", "job_id", "term", "created_at")
    SELECT NEW."user_id", NEW."id", t, NEW."created_at" FROM unnest(tsvector_to_array(NEW."search")) AS t;
  RETURN NULL;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION darkroom_job_terms_changed() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER "image_jobs_terms_changed" AFTER UPDATE OF "prompt", "negative_prompt", "user_id", "created_at" ON "image_jobs"
  FOR EACH ROW EXECUTE FUNCTION darkroom_job_terms_changed();
--> statement-breakpoint
-- Postings for the jobs that exist already. As in 0007, FORCE is lifted on
-- image_jobs for this one statement, inside the migration's transaction, so
-- that the owner can read every job; it is put back below.
ALTER TABLE "image_jobs" NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
INSERT INTO "job_terms" ("user_id", "job_id", "term", "created_at")
  SELECT j."user_id", j."id", t, j."created_at" FROM "image_jobs" j, unnest(tsvector_to_array(j."search")) AS t;
--> statement-breakpoint
ALTER TABLE "image_jobs" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ANALYZE "job_terms";
--> statement-breakpoint
-- The GIN index of 0009 is never used under row-level security (the reason
-- for the postings above) and costs every insert its upkeep.
DROP INDEX IF EXISTS "image_jobs_search_idx";
