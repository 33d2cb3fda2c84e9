// Liveness: the process answers. No auth, no database (also the benchmark's baseline).
import { json } from "@/lib/http/envelope";
import { methodNotAllowed } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

export function GET() {
  // Answered like every other API answer (lib/http/envelope.ts), so as the bench's baseline it pays what they pay.
  return json({ meta: { code: 1, message: "OK" }, data: { status: "live" } }, { headers: { "Cache-Control": "no-store" } });
}

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
