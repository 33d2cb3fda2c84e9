// The browser's calls for share links (issue 13).
import type { CreateShareRequest } from "@/lib/shares/input";
import type { PublicShare } from "@/lib/shares/public";
import { api } from "./api";

export type Share = PublicShare;

export const sharesApi = {
  create: (input: CreateShareRequest) => api<Share & { url: string }>("/api/shares", { json: input }),
  revoke: (id: string) => api<null>(`/api/shares/${encodeURIComponent(id)}`, { method: "DELETE" }),
};
