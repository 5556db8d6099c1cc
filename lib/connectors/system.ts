import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { col } from "@/db/rows";
import { connectorKind, criticality, deprovisionMode } from "@/db/schema/enums";
import type { ConnectorConfig } from "@/db/schema/systems";
import type { ConnectorSystem } from "./types";

/** A connected system as the remediation engine needs it: its connector, plus how it is worked. */
export type WorkedSystem = ConnectorSystem & {
  criticality: (typeof criticality.enumValues)[number];
  maxConcurrency: number;
  ownerId: number | null;
};

const connectorConfig = z.object({
  baseUrl: z.string().optional(),
  clientId: z.string().optional(),
  clientAuth: z.enum(["client_secret_basic", "client_secret_post"]).optional(),
  tokenEndpoint: z.string().optional(),
  revocationEndpoint: z.string().optional(),
  introspectionEndpoint: z.string().optional(),
  webhookUrl: z.string().optional(),
  secretEnv: z.string().optional(),
  timeoutMs: z.number().optional(),
}) satisfies z.ZodType<ConnectorConfig>;

/** The columns of `systems` (aliased `alias`) that systemFromRow reads, prefixed `sys_` so they join cleanly. */
export function systemColumns(alias: string): SQL {
  const s = sql.raw(alias);
  return sql`${s}.id AS sys_id, ${s}.slug AS sys_slug, ${s}.name AS sys_name, ${s}.connector_kind::text AS sys_kind,
    ${s}.connector_config AS sys_config, ${s}.connector_simulated AS sys_simulated,
    ${s}.deprovision_mode::text AS sys_deprovision_mode, ${s}.criticality::text AS sys_criticality,
    ${s}.max_concurrency AS sys_max_concurrency, ${s}.owner_id AS sys_owner_id`;
}

export const systemRow = z.object({
  sys_id: col.int,
  sys_slug: col.text,
  sys_name: col.text,
  sys_kind: z.enum(connectorKind.enumValues),
  sys_config: col.json(connectorConfig),
  sys_simulated: col.bool,
  sys_deprovision_mode: z.enum(deprovisionMode.enumValues),
  sys_criticality: z.enum(criticality.enumValues),
  sys_max_concurrency: col.int,
  sys_owner_id: col.intOrNull,
});

export function systemFromRow(r: z.output<typeof systemRow>): WorkedSystem {
  return {
    id: r.sys_id,
    slug: r.sys_slug,
    name: r.sys_name,
    kind: r.sys_kind,
    config: r.sys_config,
    simulated: r.sys_simulated,
    deprovisionMode: r.sys_deprovision_mode,
    criticality: r.sys_criticality,
    maxConcurrency: r.sys_max_concurrency,
    ownerId: r.sys_owner_id,
  };
}
