// The account: who you are, activity, sessions, personal API keys, export, deletion.
import { z } from "zod";
import { deleteAccountInput } from "@/lib/account/input";
import { createApiKeyInput } from "@/lib/api-keys/input";
import { listActivityInput } from "@/lib/audit/input";
import { createdApiKey, currentUser, publicApiKey, publicAuditEvent, publicSession } from "../schemas";
import type { PathSpec } from "../spec";

export const accountPaths: PathSpec[] = [
  {
    path: "/api/account",
    tag: "Account",
    operations: {
      get: {
        summary: "Who the credential belongs to",
        access: "any",
        success: [{ status: 200, description: "The account", data: z.object({ user: currentUser }) }],
      },
      delete: {
        summary: "Delete the account, every job, image and token",
        access: "no-keys",
        body: deleteAccountInput,
        success: [{ status: 200, description: "Deleted", data: null }],
        errors: [429],
        effect: "deletes-account",
      },
    },
  },
  {
    path: "/api/account/export",
    tag: "Account",
    operations: {
      get: {
        summary: "Download your images and a jobs.json",
        access: "no-keys",
        flags: { parameters: "`1`: the images carry their prompt and settings" },
        effect: "records-activity",
        success: [
          { status: 200, description: "A zip", file: ["application/zip"], headers: { "Content-Disposition": '`attachment; filename="darkroom-export.zip"`' } },
        ],
      },
    },
  },
  {
    path: "/api/account/activity",
    tag: "Account",
    operations: {
      get: {
        summary: "Sign-ins, alarms, deletions and admin actions on your account",
        access: "no-keys",
        query: listActivityInput,
        success: [{ status: 200, description: "Newest first", data: z.object({ events: z.array(publicAuditEvent) }) }],
      },
    },
  },
  {
    path: "/api/account/sessions",
    tag: "Account",
    operations: {
      get: {
        summary: "Your signed-in browsers",
        access: "no-keys",
        success: [{ status: 200, description: "Sessions", data: z.object({ sessions: z.array(publicSession) }) }],
      },
    },
  },
  {
    path: "/api/account/sessions/{id}",
    tag: "Account",
    params: { id: { resource: "session", description: "a session id" } },
    resource: "session",
    operations: { delete: { summary: "Sign one browser out", access: "no-keys", success: [{ status: 200, description: "Signed out", data: null }] } },
  },
  {
    path: "/api/account/sessions/revoke",
    tag: "Account",
    operations: {
      post: {
        summary: "Sign out everywhere",
        description: "Every session, token and API key of the account stops working.",
        access: "no-keys",
        success: [{ status: 200, description: "Signed out everywhere", data: null }],
        effect: "signs-out",
      },
    },
  },
  {
    path: "/api/account/keys",
    tag: "API keys",
    operations: {
      get: {
        summary: "Your API keys not revoked",
        access: "no-keys",
        success: [{ status: 200, description: "Keys", data: z.object({ keys: z.array(publicApiKey) }) }],
      },
      post: {
        summary: "Make an API key",
        description: "The key (`dk_<prefix>_<secret>`) is in this answer only; it is stored as a SHA-256 hash.",
        access: "no-keys",
        body: createApiKeyInput,
        example: { name: "my script", scopes: ["read"], expires_in_days: 1 },
        success: [{ status: 201, description: "The key", data: createdApiKey }],
        effect: "creates",
      },
    },
  },
  {
    path: "/api/account/keys/{id}",
    tag: "API keys",
    params: { id: { resource: "api_key", description: "an API key id" } },
    resource: "api_key",
    operations: { delete: { summary: "Revoke an API key", access: "no-keys", success: [{ status: 200, description: "Revoked", data: null }] } },
  },
];
