import { openApiImport } from "@/lib/api-scopes/openapi/import";
import { hrLeaversImport } from "@/lib/leavers/import";
import { registerKind } from "./registry";

// The product's import kinds. A new kind: write its adapter beside its area (lib/<area>/…), add it here.
registerKind(hrLeaversImport);
registerKind(openApiImport);
