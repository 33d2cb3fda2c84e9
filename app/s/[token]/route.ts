// The anonymous page of a share link: the shared image or collection, and nothing else of its owner's.
import { methodNotAllowed } from "@/lib/http/handler";
import { viewShare } from "@/lib/shares/service";
import { html, renderShare, shareRoute } from "../share-response";

export const dynamic = "force-dynamic";

export const GET = (request: Request, { params }: RouteContext<"/s/[token]">) =>
  shareRoute(request, async () => {
    const { token } = await params;
    return html(200, renderShare(token, await viewShare(token)));
  });

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
