import { exportAccount } from "@/lib/account/export";
import { recordEvent } from "@/lib/audit/service";
import { clientAddress } from "@/lib/auth/client-address";
import { requireUser } from "@/lib/auth/require-user";
import { methodNotAllowed, route } from "@/lib/http/handler";

export const GET = route(async (request) => {
  const user = await requireUser(request);
  await recordEvent(user.id, "export_downloaded", {}, clientAddress(request));
  return new Response(exportAccount(user.id), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": 'attachment; filename="darkroom-export.zip"',
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
