// The choices a person can make for a new image, as plain data the browser
// bundle can import (lib/jobs/input.ts pulls in zod and the database schema,
// and builds its request schema from these same lists).
export const STYLES = ["realistic", "anime", "digital-art", "watercolor", "oil-painting", "sketch", "pixel-art", "3d-render"] as const;
export const QUALITIES = ["standard", "high"] as const;

export type Style = (typeof STYLES)[number];
export type Quality = (typeof QUALITIES)[number];

export const isStyle = (value: unknown): value is Style => STYLES.some((s) => s === value);
export const isQuality = (value: unknown): value is Quality => QUALITIES.some((q) => q === value);
