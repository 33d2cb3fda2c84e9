// The n-th thumbnail of a share link (see sharedFileRoute).
import { methodNotAllowed } from "@/lib/http/handler";
import { sharedFileRoute } from "../../../share-response";

export const dynamic = "force-dynamic";

export const GET = sharedFileRoute("thumbnail");

export const { POST, PUT, PATCH, DELETE } = methodNotAllowed("GET");
