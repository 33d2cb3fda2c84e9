// Every documented route, one file per resource. Adding a route: declare it in
// its resource's file (or a new file listed here); the completeness test
// (tests/api/openapi.test.ts) fails until the document and app/**/route.ts agree.
import type { PathSpec } from "../spec";
import { accountPaths } from "./account";
import { adminPaths } from "./admin";
import { authPaths } from "./auth";
import { bulkPaths } from "./bulk";
import { collectionPaths } from "./collections";
import { eventPaths } from "./events";
import { gatewayPaths } from "./gateway";
import { imagePaths } from "./images";
import { jobPaths } from "./jobs";
import { servicePaths } from "./service";
import { sharePaths } from "./shares";

export const PATHS: PathSpec[] = [
  ...authPaths,
  ...jobPaths,
  ...eventPaths,
  ...imagePaths,
  ...collectionPaths,
  ...sharePaths,
  ...bulkPaths,
  ...accountPaths,
  ...servicePaths,
  ...adminPaths,
  ...gatewayPaths,
];
