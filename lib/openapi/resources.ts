// `x-darkroom.resources` of the OpenAPI document: for every resource a path
// parameter can name, how a client makes one with the public API. Black-box
// tools (scripts/verify-isolation.ts) follow these recipes to give each of two
// test accounts an object of every kind, then replay every operation that
// names the resource. A new user-owned resource plugs in with a recipe here
// and `params`/`resource` on its paths.
//
// A recipe is a list of steps run as the object's owner:
// - `{ call: "METHOD /path/{var}", body?, save?: { var: "dotted.path" }, until? }`:
//   calls the API (bearer access token); `{var}` in the path or body takes a
//   saved value; `save` keeps values from the JSON answer (`dotted.path~basename`:
//   the last path segment of the URL there); `until` repeats the call (a poll)
//   until the value at `path` is one of `in`.
// - `{ resource: "image" }`: makes that resource first and keeps its values.
// - `{ signIn: true }`: signs in through Auth.js's credentials endpoint, as a browser does.
// `params` fills each path parameter from the saved values. `shared` marks an
// object that is not a person's own (the operator's catalog): everyone who may
// use it gets the same 200, so tools do not compare "someone else's" with "missing" on it.
export type RecipeStep =
  | { call: string; body?: Record<string, unknown>; save?: Record<string, string>; until?: { path: string; in: unknown[] } }
  | { resource: string }
  | { signIn: true };

export type ResourceRecipe = { description: string; steps: RecipeStep[]; params: Record<string, string>; shared?: string };

const finishedJob: RecipeStep[] = [
  {
    call: "POST /api/generate-image",
    body: { prompt: "isolation check: a plain grey square", style: "sketch", quality: "standard" },
    save: { job: "data.job_id" },
  },
  { call: "GET /api/jobs/{job}", until: { path: "data.status", in: ["completed", "failed"] }, save: { image: "data.images.0.image_id" } },
];

export const RESOURCES: Record<string, ResourceRecipe> = {
  job: { description: "an image job", steps: finishedJob, params: { id: "{job}" } },
  image: { description: "one image of a finished job", steps: finishedJob, params: { id: "{image}" } },
  collection: {
    description: "a collection",
    steps: [{ call: "POST /api/collections", body: { name: "isolation check" }, save: { collection: "data.collection_id" } }],
    params: { id: "{collection}" },
  },
  collection_entry: {
    description: "an image inside a collection",
    steps: [{ resource: "collection" }, { resource: "image" }, { call: "POST /api/collections/{collection}/images", body: { image_id: "{image}" } }],
    params: { id: "{collection}", image_id: "{image}" },
  },
  api_key: {
    description: "a personal API key (read scope, expires in a day)",
    steps: [{ call: "POST /api/account/keys", body: { name: "isolation check", scopes: ["read"], expires_in_days: 1 }, save: { key: "data.id" } }],
    params: { id: "{key}" },
  },
  session: {
    description: "a signed-in browser session (sessions are listed most recently seen first)",
    steps: [{ signIn: true }, { call: "GET /api/account/sessions", save: { session: "data.sessions.0.id" } }],
    params: { id: "{session}" },
  },
  share: {
    description: "a share link to one of the person's images",
    steps: [{ resource: "image" }, { call: "POST /api/shares", body: { image_id: "{image}" }, save: { share: "data.share_id" } }],
    params: { id: "{share}" },
  },
  model: {
    description: "a model of the catalog the person may use (the gateway's /v1/models/{model})",
    steps: [{ call: "GET /api/models", save: { model: "data.models.0.id" } }],
    params: { model: "{model}" },
    shared: "the operator's catalog, not a person's object: every account allowed the model reads the same one",
  },
  image_link: {
    description: "a signed link to one of the person's images (public: the link is its own credential)",
    steps: [
      {
        call: "POST /v1/images/generations",
        body: { prompt: "isolation check: a plain grey square", response_format: "url" },
        save: { link: "data.0.url~basename" },
      },
    ],
    params: { token: "{link}" },
  },
  account: {
    description: "the account itself (administrators' routes)",
    steps: [{ call: "GET /api/account", save: { account: "data.user.id" } }],
    params: { id: "{account}" },
  },
};
