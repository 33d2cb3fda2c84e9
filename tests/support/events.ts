// A minimal server-sent events client for the tests: opens GET /api/events with
// a person's credential, keeps every event and the raw bytes it received, and
// lets a test wait for an event or for the server to close the stream.
export type StreamEvent = { event: string; id: string | null; data: any };

export type EventStream = {
  status: number;
  headers: Headers;
  // Set when the answer was not a stream (e.g. a 429 envelope).
  body: string;
  events: StreamEvent[];
  raw: () => string;
  closed: Promise<void>;
  isClosed: () => boolean;
  waitFor: (match: (e: StreamEvent) => boolean, timeoutMs?: number) => Promise<StreamEvent>;
  close: () => void;
};

export async function openEvents(base: string, auth: { token?: string; cookie?: string; headers?: Record<string, string> }): Promise<EventStream> {
  const headers: Record<string, string> = { accept: "text/event-stream", ...auth.headers };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  const controller = new AbortController();
  const res = await fetch(`${base}/api/events`, { headers, signal: controller.signal });
  const events: StreamEvent[] = [];
  let raw = "";
  let ended = false;
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of waiters) w();
  };
  if (!res.headers.get("content-type")?.startsWith("text/event-stream")) {
    const body = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body,
      events,
      raw: () => body,
      closed: Promise.resolve(),
      isClosed: () => true,
      waitFor: () => Promise.reject(new Error(`not a stream: ${res.status} ${body}`)),
      close: () => {},
    };
  }
  const closed = (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        const text = decoder.decode(value, { stream: true });
        raw += text;
        buffer += text;
        let cut = buffer.indexOf("\n\n");
        while (cut !== -1) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = "message";
          let id: string | null = null;
          const data: string[] = [];
          for (const line of block.split("\n")) {
            if (line.startsWith("event: ")) event = line.slice(7);
            else if (line.startsWith("id: ")) id = line.slice(4);
            else if (line.startsWith("data: ")) data.push(line.slice(6));
          }
          if (data.length > 0) events.push({ event, id, data: JSON.parse(data.join("\n")) });
          cut = buffer.indexOf("\n\n");
        }
        notify();
      }
    } catch {
      // aborted by the test
    } finally {
      ended = true;
      notify();
    }
  })();
  const waitFor = (match: (e: StreamEvent) => boolean, timeoutMs = 15_000) =>
    new Promise<StreamEvent>((resolve, reject) => {
      const check = () => {
        const found = events.find(match);
        if (found) return done(() => resolve(found));
        if (ended) return done(() => reject(new Error(`stream closed before the event; got ${JSON.stringify(events.map((e) => e.event))}`)));
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`no such event in ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.event))}`))),
        timeoutMs,
      );
      const done = (fn: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        fn();
      };
      waiters.add(check);
      check();
    });
  return {
    status: res.status,
    headers: res.headers,
    body: "",
    events,
    raw: () => raw,
    closed,
    isClosed: () => ended,
    waitFor,
    close: () => controller.abort(),
  };
}
