// The n-th image of a share link: the stored file, which carries no metadata (lib/generation/clean.ts).
import { methodNotAllowed } from "@/lib/http/handler";
import { readSharedImage } from "@/lib/shares/service";
import { SHARE_HEADERS, shareRoute } from "../../../share-response";

export const dynamic = "force-dynamic";

export const GET = (request: Request, { params }: RouteContext<"/s/[token]/image/[n]">) =>
  shareRoute(request, async () => {
    const { token, n } = await params;
    const file = await readSharedImage(token, n, "image");
    return new Response(new Uint8Array(file.bytes), {
      status: 200,
      headers: {
        ...SHARE_HEADERS,
        "Content-Type": file.contentType,
        "Content-Length": String(file.bytes.byteLength),
        "Content-Security-Policy": "default-src 'none'; sandbox",
      },
    });
  });

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
