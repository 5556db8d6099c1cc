import { z } from "zod";
import { connectorKind, criticality, deprovisionMode, systemCategory } from "@/db/schema/enums";
import { id, text } from "@/lib/input";

/**
 * The name of the environment variable holding a connector's secret (never the secret itself). It must look like
 * a secret's name and must not be one of Lockstep's own settings: "test connection" sends the variable's value to
 * the endpoint an administrator typed, so AUTH_SECRET or LOCKSTEP_ENCRYPTION_KEY must never be nameable.
 */
export const OWN_SETTINGS =
  /^(AUTH_|NEXTAUTH_|DATABASE_|PGPASSWORD$|NODE_|NEXT_|LOCKSTEP_(OIDC_|WEBAUTHN_|ENCRYPTION_|AUDIT_|DEMO))/;
const secretEnvName = z
  .string()
  .trim()
  .regex(/^[A-Z][A-Z0-9_]{2,99}$/, "An environment variable name: capital letters, digits and _, e.g. ACME_SCIM_TOKEN.")
  .regex(/_(SECRET|TOKEN|KEY|PASSWORD)$/, "Name a secret's variable: it ends in _SECRET, _TOKEN, _KEY or _PASSWORD.")
  .refine((v) => !OWN_SETTINGS.test(v), "That is one of Lockstep's own settings, not a connector secret.");

const endpoint = z
  .string()
  .trim()
  .max(500)
  .url("A full URL, e.g. https://api.example.com/scim/v2.")
  .refine((v) => /^https?:\/\//i.test(v), "An http or https URL.");

const optional = <T extends z.ZodType>(s: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), s.optional());

/** Every connector setting a form may send; which are required depends on the kind (systemInput below). */
const connectorSettings = z.object({
  baseUrl: optional(endpoint),
  clientId: optional(text(200)),
  clientAuth: optional(z.enum(["client_secret_basic", "client_secret_post"])),
  tokenEndpoint: optional(endpoint),
  revocationEndpoint: optional(endpoint),
  introspectionEndpoint: optional(endpoint),
  webhookUrl: optional(endpoint),
  secretEnv: optional(secretEnvName),
  timeoutMs: optional(z.number().int().min(500).max(60_000)),
});
export type ConnectorSettings = z.infer<typeof connectorSettings>;

/** Which settings each connector kind keeps, and which of those it needs to act for real (not simulated). */
export const KIND_SETTINGS = {
  scim: { keeps: ["baseUrl", "secretEnv", "timeoutMs"], needs: ["baseUrl", "secretEnv"] },
  oauth: {
    keeps: [
      "clientId",
      "clientAuth",
      "tokenEndpoint",
      "revocationEndpoint",
      "introspectionEndpoint",
      "secretEnv",
      "timeoutMs",
    ],
    needs: ["clientId", "revocationEndpoint", "introspectionEndpoint", "secretEnv"],
  },
  webhook: { keeps: ["webhookUrl", "secretEnv", "timeoutMs"], needs: ["webhookUrl", "secretEnv"] },
  manual: { keeps: [], needs: [] },
} as const satisfies Record<
  (typeof connectorKind.enumValues)[number],
  { keeps: readonly (keyof ConnectorSettings)[]; needs: readonly (keyof ConnectorSettings)[] }
>;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const systemFields = z.object({
  name: text(120).pipe(z.string().min(2, "Name the system.")),
  category: z.enum(systemCategory.enumValues),
  criticality: z.enum(criticality.enumValues),
  ownerId: id.nullable(),
  description: optional(text(500)),
  connectorKind: z.enum(connectorKind.enumValues),
  simulated: z.boolean(),
  deprovisionMode: z.enum(deprovisionMode.enumValues),
  maxConcurrency: z.number().int().min(1, "At least 1.").max(64, "At most 64."),
  // The connector's settings sit beside the rest, so each field's error comes back under its own name.
  ...connectorSettings.shape,
});

/** A real connector needs its kind's settings; a simulated one acts on the stand-in and may lack them. */
function needsSettings(v: z.infer<typeof systemFields>, ctx: z.RefinementCtx) {
  if (v.connectorKind === "manual" && v.simulated)
    ctx.addIssue({ code: "custom", path: ["simulated"], message: "A manual system has no connector to simulate." });
  if (v.simulated || v.connectorKind === "manual") return;
  for (const key of KIND_SETTINGS[v.connectorKind].needs) {
    if (v[key] === undefined)
      ctx.addIssue({ code: "custom", path: [key], message: "Needed unless the connector is simulated." });
  }
}

export const createSystemInput = systemFields
  .extend({ slug: optional(z.string().trim().max(60).regex(SLUG, "Lower-case letters, digits and dashes.")) })
  .superRefine(needsSettings);
export type CreateSystemInput = z.infer<typeof createSystemInput>;

export const updateSystemInput = systemFields.extend({ systemId: id }).superRefine(needsSettings);
export type UpdateSystemInput = z.infer<typeof updateSystemInput>;

export const systemIdInput = z.object({ systemId: id });

/** The stored `connector_config`: only what the kind keeps. */
export function configFor(kind: keyof typeof KIND_SETTINGS, s: ConnectorSettings): ConnectorSettings {
  const out: Record<string, unknown> = {};
  for (const key of KIND_SETTINGS[kind].keeps) if (s[key] !== undefined) out[key] = s[key];
  return out as ConnectorSettings;
}

export function slugOf(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .replace(/-+$/, "") || "system"
  );
}
