// Database schema. Every user-owned table has row-level security enabled and
// forced (FORCE and the grants are in the SQL migrations, e.g. 0002, 0005, 0006);
// the app reaches those rows only as `darkroom_app` inside a transaction that
// sets `app.user_id`. The app's own login role owns nothing and inherits nothing
// (db/roles.ts), so outside such a transaction it can read no row at all.
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgPolicy,
  pgRole,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";

// Created by migrations/0000_roles.sql; neither superuser, BYPASSRLS nor owner.
export const appRole = pgRole("darkroom_app").existing();
// Used only to list unfinished jobs (ids and owners) after a crash.
export const workerRole = pgRole("darkroom_worker").existing();
// Used only by admin routes to count jobs per person; may read owner and status, nothing else.
export const adminRole = pgRole("darkroom_admin").existing();

const currentUserId = sql`nullif(current_setting('app.user_id', true), '')::uuid`;
// The row-level security rule of every user-owned table: the row's owner is
// the user set for this transaction, for reads and for writes.
const ownerPolicy = (name: string, userId: AnyPgColumn) =>
  pgPolicy(name, { as: "permissive", for: "all", to: appRole, using: sql`${userId} = ${currentUserId}`, withCheck: sql`${userId} = ${currentUserId}` });

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: "date" });

export const userRoles = ["user", "admin"] as const;

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name"),
    passwordHash: text("password_hash").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    disabledAt: ts("disabled_at"),
    // Every session and token issued before this instant is refused ("sign out everywhere").
    tokensValidAfter: ts("tokens_valid_after").notNull().default(sql`'epoch'`),
    // Changed only by operators (`npm run admin`): darkroom_app has no UPDATE grant on it.
    role: text("role", { enum: userRoles }).notNull().default("user"),
  },
  (t) => [
    uniqueIndex("users_email_unique").on(sql`lower(${t.email})`),
    check("users_role_check", sql`${t.role} in ('user', 'admin')`),
    // A person reads and changes only their own account row. Sign-in finds an
    // account by email through the narrow `darkroom_sign_in_lookup` function (0006).
    pgPolicy("users_self", { as: "permissive", for: "all", to: appRole, using: sql`${t.id} = ${currentUserId}`, withCheck: sql`${t.id} = ${currentUserId}` }),
    // Admins list accounts; column grants keep password hashes out of reach.
    pgPolicy("users_admin_list", { as: "permissive", for: "select", to: adminRole, using: sql`true` }),
  ],
).enableRLS();

export const jobStatuses = ["queued", "processing", "completed", "failed"] as const;

export const imageJobs = pgTable(
  "image_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: jobStatuses }).notNull().default("queued"),
    prompt: text("prompt").notNull(),
    style: text("style").notNull(),
    quality: text("quality").notNull(),
    model: text("model").notNull(),
    // The request's generation settings (issue 11). Jobs created before them
    // read as one square image; `seed` is null only for those older jobs.
    aspectRatio: text("aspect_ratio").notNull().default("1:1"),
    n: integer("n").notNull().default(1),
    seed: integer("seed"),
    negativePrompt: text("negative_prompt"),
    // What the job counts against the daily quota: n images × the model's cost.
    units: integer("units").notNull().default(1),
    attempts: integer("attempts").notNull().default(0),
    error: text("error"),
    imageKey: text("image_key"),
    thumbnailKey: text("thumbnail_key"),
    contentType: text("content_type"),
    width: integer("width"),
    height: integer("height"),
    idempotencyKey: text("idempotency_key"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    startedAt: ts("started_at"),
    completedAt: ts("completed_at"),
    // Live progress of a processing job (issue 12), written by the workflow as a
    // backend reports it: step of steps, and the storage key of the newest
    // small preview. Cleared when the job finishes or is requeued.
    progressStep: integer("progress_step"),
    progressSteps: integer("progress_steps"),
    previewKey: text("preview_key"),
  },
  (t) => [
    index("image_jobs_user_created_idx").on(t.userId, t.createdAt.desc(), t.id.desc()),
    uniqueIndex("image_jobs_user_idempotency_unique").on(t.userId, t.idempotencyKey),
    index("image_jobs_unfinished_idx").on(t.userId).where(sql`status in ('queued', 'processing')`),
    check("image_jobs_status_check", sql`${t.status} in ('queued', 'processing', 'completed', 'failed')`),
    ownerPolicy("image_jobs_owner", t.userId),
    pgPolicy("image_jobs_admin_counts", {
      as: "permissive",
      for: "select",
      to: adminRole,
      using: sql`true`,
    }),
    pgPolicy("image_jobs_worker_unfinished", {
      as: "permissive",
      for: "select",
      to: workerRole,
      using: sql`${t.status} in ('queued', 'processing')`,
    }),
  ],
).enableRLS();

// The search postings of a job (issue 13): one row per lexeme of its `search`
// tsvector, written only by a trigger on image_jobs (migration 0012), never by
// the app. Under row-level security PostgreSQL cannot use the GIN index for a
// search (`@@` is not LEAKPROOF, so it may not run before the policy's check),
// and walking the person's jobs newest first costs as many rows as it takes to
// find a page of matches. Text comparisons are LEAKPROOF: this btree finds a
// person's jobs holding a word, newest first, in as many rows as the page.
export const jobTerms = pgTable(
  "job_terms",
  {
    // The job's owner, copied by the trigger.
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    jobId: uuid("job_id")
      .notNull()
      .references(() => imageJobs.id, { onDelete: "cascade" }),
    // COLLATE "C": a prefix search is then a byte range, as tsquery's own prefix match is.
    term: text("term").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    primaryKey({ name: "job_terms_pkey", columns: [t.jobId, t.term] }),
    index("job_terms_user_term_created_idx").on(t.userId, t.term, t.createdAt.desc(), t.jobId.desc()),
    pgPolicy("job_terms_owner", { as: "permissive", for: "select", to: appRole, using: sql`${t.userId} = ${currentUserId}` }),
  ],
).enableRLS();

// The images of a job, one row per finished image. Owned by the job's owner
// (its own user_id, so RLS and the owner-first index work without a join);
// the job's own image columns keep describing image 0 for older clients.
export const jobImages = pgTable(
  "job_images",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    jobId: uuid("job_id")
      .notNull()
      .references(() => imageJobs.id, { onDelete: "cascade" }),
    index: integer("index").notNull(),
    imageKey: text("image_key").notNull(),
    thumbnailKey: text("thumbnail_key").notNull(),
    contentType: text("content_type").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("job_images_user_job_index_unique").on(t.userId, t.jobId, t.index), ownerPolicy("job_images_owner", t.userId)],
).enableRLS();

// Full-text search over a job's prompt and negative prompt (issue 13) lives in a
// generated `search` tsvector column on image_jobs, written by hand in migration
// 0009, and its postings in job_terms (above, migration 0012). It is
// deliberately not declared here: every `select()` of a job would otherwise
// carry the whole tsvector to the app. lib/jobs/search.ts names it in SQL.

// A person's starred images. The image's own owner is the favourite's owner
// (the insert selects the image inside the person's RLS transaction).
export const favourites = pgTable(
  "favourites",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    imageId: uuid("image_id")
      .notNull()
      .references(() => jobImages.id, { onDelete: "cascade" }),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "favourites_pkey", columns: [t.userId, t.imageId] }),
    index("favourites_user_created_idx").on(t.userId, t.createdAt.desc()),
    ownerPolicy("favourites_owner", t.userId),
  ],
).enableRLS();

export const MAX_COLLECTION_NAME = 100;
export const MAX_COLLECTION_DESCRIPTION = 1000;

// Named, ordered sets of a person's own images. Deleting a collection keeps its images.
export const collections = pgTable(
  "collections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    position: integer("position").notNull().default(0),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("collections_user_position_idx").on(t.userId, t.position, t.createdAt),
    check("collections_name_length", sql`char_length(${t.name}) between 1 and ${sql.raw(String(MAX_COLLECTION_NAME))}`),
    check("collections_description_length", sql`char_length(${t.description}) <= ${sql.raw(String(MAX_COLLECTION_DESCRIPTION))}`),
    ownerPolicy("collections_owner", t.userId),
  ],
).enableRLS();

// Which images are in which collection, in order. `user_id` is the owner of
// both sides: the insert reads the collection and the image inside the
// person's RLS transaction, so a row can never join two people's objects.
export const collectionImages = pgTable(
  "collection_images",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    collectionId: uuid("collection_id")
      .notNull()
      .references(() => collections.id, { onDelete: "cascade" }),
    imageId: uuid("image_id")
      .notNull()
      .references(() => jobImages.id, { onDelete: "cascade" }),
    position: integer("position").notNull().default(0),
    addedAt: ts("added_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "collection_images_pkey", columns: [t.collectionId, t.imageId] }),
    index("collection_images_user_collection_idx").on(t.userId, t.collectionId, t.position),
    index("collection_images_user_image_idx").on(t.userId, t.imageId),
    ownerPolicy("collection_images_owner", t.userId),
  ],
).enableRLS();

// Share links (issue 13): a person shows one image or one collection to anyone
// holding the link. Only a SHA-256 of the link's 256-bit token is stored. The
// object references are composite (object id, user_id) foreign keys, written by
// hand in migration 0011 like 0009's, so a share can only point at its owner's
// own objects, and deleting the image (its job), the collection or the account
// deletes the share in the same statement. Revoking deletes the row.
export const MAX_SHARE_HOURS = 24 * 365;
export const DEFAULT_SHARE_HOURS = 24 * 7;

export const shares = pgTable(
  "shares",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    imageId: uuid("image_id").references(() => jobImages.id, { onDelete: "cascade" }),
    collectionId: uuid("collection_id").references(() => collections.id, { onDelete: "cascade" }),
    includeParameters: boolean("include_parameters").notNull().default(false),
    showName: boolean("show_name").notNull().default(false),
    viewCount: integer("view_count").notNull().default(0),
    createdAt: ts("created_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [
    uniqueIndex("shares_token_hash_unique").on(t.tokenHash),
    index("shares_user_created_idx").on(t.userId, t.createdAt.desc()),
    check("shares_one_object", sql`(${t.imageId} is null) <> (${t.collectionId} is null)`),
    ownerPolicy("shares_owner", t.userId),
  ],
).enableRLS();

export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // Only a SHA-256 of the token is stored; the token itself is shown once.
    tokenHash: text("token_hash").notNull(),
    familyId: uuid("family_id").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
    // The family's absolute end: rotation never extends it (REFRESH_TOKEN_FAMILY_DAYS).
    familyExpiresAt: ts("family_expires_at").notNull(),
    usedAt: ts("used_at"),
    revokedAt: ts("revoked_at"),
  },
  (t) => [
    uniqueIndex("refresh_tokens_hash_unique").on(t.tokenHash),
    index("refresh_tokens_user_idx").on(t.userId, t.familyId),
    ownerPolicy("refresh_tokens_owner", t.userId),
  ],
).enableRLS();

export const auditEvents = pgTable(
  "audit_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    detail: jsonb("detail").$type<Record<string, string | number | boolean | null>>().notNull().default({}),
    ip: text("ip"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("audit_events_user_created_idx").on(t.userId, t.createdAt.desc()), ownerPolicy("audit_events_owner", t.userId)],
).enableRLS();

// Browser sessions, one row per sign-in: the session cookie carries the row's id,
// so signing out (or out everywhere, or from the account page) ends it on the
// server at once, whatever copy of the cookie exists.
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    userAgent: text("user_agent"),
    ip: text("ip"),
    createdAt: ts("created_at").notNull().defaultNow(),
    lastSeenAt: ts("last_seen_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
  },
  (t) => [index("sessions_user_idx").on(t.userId, t.lastSeenAt.desc()), ownerPolicy("sessions_owner", t.userId)],
).enableRLS();

// Personal API keys: `dk_<prefix>_<secret>`. Only a SHA-256 of the whole key is
// stored; the prefix is public (listed on the account page) and finds the row
// before anyone is known, through the narrow `darkroom_api_key_lookup` (0008).
export const apiKeyScopes = ["generate", "read"] as const;

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    scopes: text("scopes", { enum: apiKeyScopes }).array().notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
    lastUsedAt: ts("last_used_at"),
    expiresAt: ts("expires_at"),
    revokedAt: ts("revoked_at"),
  },
  (t) => [
    uniqueIndex("api_keys_prefix_unique").on(t.prefix),
    index("api_keys_user_created_idx").on(t.userId, t.createdAt.desc()),
    check("api_keys_scopes_check", sql`${t.scopes} <@ array['generate', 'read']::text[]`),
    ownerPolicy("api_keys_owner", t.userId),
  ],
).enableRLS();

export const modelAccessKinds = ["everyone", "admins", "people"] as const;

// Who may use a model of the catalog, and what one of its images costs against
// the daily quota. Set only by operators (`npm run admin -- model …`): the app
// may read it, never write it. A model without a row is open to everyone at cost 1.
// `people` holds account ids, not emails, so the app never handles a list of addresses.
export const modelAccess = pgTable(
  "model_access",
  {
    model: text("model").primaryKey(),
    access: text("access", { enum: modelAccessKinds }).notNull().default("everyone"),
    people: uuid("people").array().notNull().default(sql`'{}'::uuid[]`),
    cost: integer("cost").notNull().default(1),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("model_access_kind_check", sql`${t.access} in ('everyone', 'admins', 'people')`),
    check("model_access_cost_check", sql`${t.cost} between 1 and 100`),
  ],
);

// rate-limiter-flexible's PostgreSQL store (its own fixed layout); keys are hashes, never emails.
export const rateLimits = pgTable("rate_limits", {
  key: varchar("key", { length: 255 }).primaryKey(),
  points: integer("points").notNull().default(0),
  expire: bigint("expire", { mode: "number" }),
});

export type UserRow = typeof users.$inferSelect;
export type JobRow = typeof imageJobs.$inferSelect;
export type JobImageRow = typeof jobImages.$inferSelect;
export type ModelAccessRow = typeof modelAccess.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type CollectionRow = typeof collections.$inferSelect;
export type ShareRow = typeof shares.$inferSelect;
