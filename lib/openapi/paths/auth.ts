// Sign-up and API access tokens (browser sign-in is Auth.js's own, under /api/auth).

import { z } from "zod";
import { passwordGrantSchema, refreshSchema } from "@/lib/auth/token-service";
import { registerSchema } from "@/lib/users/service";
import { publicUser, tokenPair } from "../schemas";
import type { PathSpec } from "../spec";

export const authPaths: PathSpec[] = [
  {
    path: "/api/register",
    tag: "Sign-up and tokens",
    operations: {
      post: {
        summary: "Create an account",
        access: "public",
        body: registerSchema,
        success: [{ status: 201, description: "The account", data: z.object({ user: publicUser }) }],
        errors: [409, 429],
        effect: "creates",
      },
    },
  },
  {
    path: "/api/token",
    tag: "Sign-up and tokens",
    operations: {
      post: {
        summary: "Exchange email and password for an access token and a refresh token",
        description: "A wrong email and a wrong password give the same 401.",
        access: "public",
        body: passwordGrantSchema,
        success: [{ status: 200, description: "A token pair", data: tokenPair }],
        errors: [401, 429],
      },
    },
  },
  {
    path: "/api/token/refresh",
    tag: "Sign-up and tokens",
    operations: {
      post: {
        summary: "Rotate a refresh token",
        description: "The old token stops working; reusing a spent one revokes its whole family.",
        access: "public",
        body: refreshSchema,
        success: [{ status: 200, description: "A new token pair", data: tokenPair }],
        errors: [401],
      },
    },
  },
  {
    path: "/api/token/revoke",
    tag: "Sign-up and tokens",
    operations: {
      post: { summary: "Revoke a refresh token", access: "public", body: refreshSchema, success: [{ status: 200, description: "Revoked", data: null }] },
    },
  },
];
