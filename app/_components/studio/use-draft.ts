"use client";
// A prompt written when the session ran out is kept (in this tab's
// sessionStorage) for after signing in again, then handed back once.
import { useEffect, useRef } from "react";
import { isQuality, isStyle, type Quality, type Style } from "@/lib/client/options";

const DRAFT_KEY = "darkroom:draft";

export type Draft = { prompt: string; style: Style; quality: Quality };
// What comes back: the prompt, and each choice only if it is still a valid one.
export type RestoredDraft = { prompt: string; style?: Style; quality?: Quality };

function saveDraft(draft: Draft) {
  try {
    sessionStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
  } catch {
    // storage unavailable: the draft is simply not kept
  }
}

// Read once: the stored draft is removed as it is read.
function takeDraft(): RestoredDraft | null {
  try {
    const raw = sessionStorage.getItem(DRAFT_KEY);
    sessionStorage.removeItem(DRAFT_KEY);
    const draft: unknown = raw ? JSON.parse(raw) : null;
    if (typeof draft !== "object" || draft === null) return null;
    const { prompt, style, quality } = draft as Record<string, unknown>;
    if (typeof prompt !== "string" || typeof style !== "string" || typeof quality !== "string") return null;
    return { prompt, style: isStyle(style) ? style : undefined, quality: isQuality(quality) ? quality : undefined };
  } catch {
    // unreadable: ignore it
  }
  return null;
}

/** Calls `restore` once, after mounting, if a draft was kept; returns the function that keeps one. */
export function useDraft(restore: (draft: RestoredDraft) => void): (draft: Draft) => void {
  const restoreRef = useRef(restore);
  restoreRef.current = restore;
  useEffect(() => {
    const draft = takeDraft();
    if (draft) restoreRef.current(draft);
  }, []);
  return saveDraft;
}
