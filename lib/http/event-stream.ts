// A server-sent event stream as an HTTP answer: never cached, never transformed
// (`no-transform` also keeps `next start`'s compression from buffering it), and
// not buffered by a proxy in front (`X-Accel-Buffering`).
export function eventStreamResponse(stream: ReadableStream<Uint8Array>): Response {
  return new Response(stream, {
    status: 200,
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "private, no-store, no-transform",
      "X-Accel-Buffering": "no",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
