import { apiScopesBench } from "./api-scopes";
import { leaverBench } from "./leavers";
import type { BenchSuite } from "./types";

/** Every pillar's benchmarks, in the order they run. Add yours here. */
export const SUITES: BenchSuite[] = [leaverBench, apiScopesBench];
