// Where the e2e server listens; shared by the config and the specs.
export const E2E_PORT = Number(process.env.E2E_PORT || Number(process.env.TEST_PORT_BASE ?? 3200) + 20);
export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
// What a browser sends with a same-origin POST or DELETE; API calls made with
// a page's session through `page.request` send it too, like the real UI.
export const SAME_ORIGIN = { Origin: BASE_URL };
