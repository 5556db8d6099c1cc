import { apiScopesBench } from "./api-scopes";
import { factorImportBench } from "./factor-import";
import { factorsBench } from "./factors";
import { leaverBench } from "./leavers";
import { reconcileBench } from "./reconcile";
import { reviewsBench } from "./reviews";
import { scimBench } from "./scim";
import type { BenchSuite } from "./types";

/** Every pillar's benchmarks, in the order they run. Add yours here. */
export const SUITES: BenchSuite[] = [
  leaverBench,
  apiScopesBench,
  factorsBench,
  reviewsBench,
  scimBench,
  factorImportBench,
  reconcileBench,
];
