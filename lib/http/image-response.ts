// Image bytes for the owner only: never cached by a shared cache, never sniffed.
export function imageResponse(image: { bytes: Buffer; contentType: string; filename: string }, download: boolean): Response {
  const headers: Record<string, string> = {
    "Content-Type": image.contentType,
    "Content-Length": String(image.bytes.byteLength),
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
  };
  if (download) headers["Content-Disposition"] = `attachment; filename="${image.filename}"`;
  return new Response(new Uint8Array(image.bytes), { status: 200, headers });
}
