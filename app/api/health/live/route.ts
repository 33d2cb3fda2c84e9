// Liveness: the process answers. No auth, no database (also the benchmark's baseline).
import { methodNotAllowed } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ meta: { code: 1, message: "OK" }, data: { status: "live" } }, { headers: { "Cache-Control": "no-store" } });
}

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
