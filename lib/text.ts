// Text that may be stored: no C0 control characters other than tab, newline and
// carriage return, no DEL, and no lone surrogates. PostgreSQL refuses NUL
// outright (a 500 otherwise), and the rest has no business in a prompt, a name
// or a credential. Checked once, where request bodies are parsed.

// U+0000–U+0008, U+000B, U+000C, U+000E–U+001F and U+007F.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function isCleanText(text: string): boolean {
  return !CONTROL.test(text) && text.isWellFormed();
}

// The dotted path of the first string in `value` (keys included) that is not
// clean text, "" when `value` itself is such a string, or null when all is clean.
export function findUncleanText(value: unknown, path = ""): string | null {
  return walk(value, path, 0);
}

// Bodies are at most 64 KiB and no schema reads deeper than a few levels: what
// lies deeper is never stored (zod strips it), so the walk need not go there.
const MAX_DEPTH = 64;

function walk(value: unknown, path: string, depth: number): string | null {
  if (typeof value === "string") return isCleanText(value) ? null : path;
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], join(path, String(i)), depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    // A bad key is reported by its position, since the key itself cannot be shown safely.
    const at = join(path, isCleanText(key) ? key : "<key>");
    if (!isCleanText(key)) return at;
    const found = walk(item, at, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
