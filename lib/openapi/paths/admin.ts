// Administrators' routes: accounts and job counts, never content.
import { z } from "zod";
import { listUsersInput } from "@/lib/admin/input";
import { backendStatus, publicAccount } from "../schemas";
import type { PathSpec } from "../spec";

export const adminPaths: PathSpec[] = [
  {
    path: "/api/admin/users",
    tag: "Administration",
    operations: {
      get: {
        summary: "List accounts",
        access: "admin",
        query: listUsersInput,
        success: [{ status: 200, description: "A page of accounts", data: z.object({ users: z.array(publicAccount), next_cursor: z.string().nullable() }) }],
      },
    },
  },
  {
    path: "/api/admin/backends",
    tag: "Administration",
    operations: {
      get: {
        summary: "The configured GPU backends: whether each answers, and its models",
        access: "admin",
        success: [
          { status: 200, description: "One entry per configured backend (none when none is configured)", data: z.object({ backends: z.array(backendStatus) }) },
        ],
      },
    },
  },
  {
    path: "/api/admin/users/{id}/disable",
    tag: "Administration",
    params: { id: { resource: "account", description: "an account id" } },
    resource: "account",
    operations: { post: { summary: "Disable an account", access: "admin", success: [{ status: 200, description: "Disabled", data: null }] } },
  },
];
