// Unknown API paths answer in the envelope, not with the HTML 404 page.
import { NotFoundError } from "@/lib/errors";
import { route } from "@/lib/http/handler";

const notFound = route(async () => {
  throw new NotFoundError("Not found");
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
