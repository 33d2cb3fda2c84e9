// The seed's response envelope, shared by the server (lib/http/envelope.ts) and
// the browser client (lib/client/api.ts): {"meta":{"code":1|0,"message":...},"data":...}.
// The HTTP status is authoritative; `code` is 1 on success and 0 on failure;
// `field` names the request field at fault on a 400 (additive: older clients ignore it).
export type Envelope<T> = { meta: { code: 0 | 1; message: string; field?: string }; data: T | null };
