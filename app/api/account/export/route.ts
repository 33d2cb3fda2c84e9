import { exportAccount } from "@/lib/account/export";
import { recordEvent } from "@/lib/audit/service";
import { clientAddress } from "@/lib/auth/client-address";
import { requireUser } from "@/lib/auth/require-user";
import { methodNotAllowed, route } from "@/lib/http/handler";

export const GET = route(async (request) => {
  const user = await requireUser(request);
  await recordEvent(user.id, "export_downloaded", {}, clientAddress(request));
  // `?parameters=1`: the images carry their prompt and settings, as with a single download.
  const parameters = new URL(request.url).searchParams.get("parameters") === "1";
  return new Response(exportAccount(user.id, { parameters }), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": 'attachment; filename="darkroom-export.zip"',
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
