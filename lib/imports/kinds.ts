import { credentialsImport } from "@/lib/api-scopes/import/kind";
import { openApiImport } from "@/lib/api-scopes/openapi/import";
import { entraFactorsImport } from "@/lib/factors/import/entra";
import { oktaFactorsImport } from "@/lib/factors/import/okta";
import { hrLeaversImport } from "@/lib/leavers/import";
import { hrPeopleImport } from "@/lib/people/import/kind";
import { accountsImport } from "@/lib/systems/import/accounts-kind";
import { registerKind } from "./registry";

// The product's import kinds. A new kind: write its adapter beside its area (lib/<area>/…), add it here.
registerKind(hrLeaversImport);
registerKind(openApiImport);
registerKind(entraFactorsImport);
registerKind(oktaFactorsImport);
registerKind(accountsImport);
registerKind(credentialsImport);
registerKind(hrPeopleImport);
