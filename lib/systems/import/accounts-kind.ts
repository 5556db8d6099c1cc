import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { col } from "@/db/rows";
import { systems } from "@/db/schema";
import { textArray } from "@/db/sql";
import { NotFound } from "@/lib/errors";
import { mappedCsv } from "@/lib/imports/mapped-csv";
import { loadMapping, mappingParams } from "@/lib/imports/mapping-load";
import { defineKind } from "@/lib/imports/registry";
import type { Checked } from "@/lib/imports/types";
import { idField } from "@/lib/input";
import { applyAccounts } from "./accounts-apply.internal";
import { ACCOUNT_FIELDS, accountStatusOf, entitlementsOf, flagOf } from "./fields";

/**
 * Accounts and entitlements of a system without SCIM, from a CSV (import kind `accounts_csv`, param `systemId`):
 * one row per account, or per account and entitlement; columns through a mapping (fields.ts). validate matches
 * each account — to the account Lockstep already has on the system (by login), else to an identity by employee
 * number, email, or login (against people's login or email) — with one lookup per batch. An account nobody
 * matches is listed as `uncorrelated` (skipped, not an error). Confirming writes accounts, entitlements and
 * grants set-based from import_rows (accounts-apply.ts); with `endMissing`, what the file no longer lists ends.
 */
type AccountRowData = {
  login: string;
  email: string | null;
  employeeNumber: string | null;
  externalId: string | null;
  status: "active" | "disabled" | "deleted";
  entitlements: string[];
  privileged: boolean | null;
};
export type AccountsImportResult = {
  accountsCreated: number;
  accountsUpdated: number;
  entitlementsAdded: number;
  grantsAdded: number;
  accountsEnded: number;
  grantsEnded: number;
};
export type AccountsState = { system: { id: number; name: string }; columns: Record<string, string> };

const MAX_BYTES = 100_000_000;
const MAX_ROWS = 500_000;

const match = z.object({
  via: col.text,
  key: col.text,
  identity_id: col.int,
  name: col.text,
  account_id: col.intOrNull,
});

export const accountsImport = defineKind({
  kind: "accounts_csv",
  label: "Account file",
  noun: "file",
  // Like a reconciliation: analysts and admins keep a system's inventory current.
  permission: "imports.run",
  maxBytes: MAX_BYTES,
  maxRows: MAX_ROWS,
  params: z.object({ systemId: idField, ...mappingParams }).strict(),
  options: z.object({ endMissing: z.boolean().optional() }).strict(),
  mapping: { fields: ACCOUNT_FIELDS },
  hasWork: (run, options) => run.rowsOk > 0 || Boolean(options.endMissing),

  async prepare(ctx, run): Promise<AccountsState> {
    const [system] = await ctx.db
      .select({ id: systems.id, name: systems.name })
      .from(systems)
      .where(eq(systems.id, run.params.systemId));
    if (!system) throw new NotFound("That system");
    return { system, columns: await loadMapping(ctx.db, "accounts_csv", run.params) };
  },

  async *parse(input, _run, state) {
    for await (const item of mappedCsv(input, ACCOUNT_FIELDS, state.columns)) {
      if (item.type === "fileError") {
        yield item;
        continue;
      }
      const v = item.values;
      const status = accountStatusOf(v.status ?? "");
      const privileged = flagOf(v.privileged);
      const data: AccountRowData = {
        login: v.login ?? "",
        email: v.email?.toLowerCase() || null,
        employeeNumber: v.employee_number || null,
        externalId: v.external_id || null,
        status: status ?? "active",
        entitlements: entitlementsOf(v.entitlement),
        privileged: privileged ?? null,
      };
      const problem = !data.login
        ? "No account name (login)."
        : data.login.length > 200
          ? "The account name is longer than 200 characters."
          : !status
            ? `Unknown status "${v.status}": use active, disabled or deleted.`
            : privileged === undefined
              ? `Privileged "${v.privileged}" is not yes or no.`
              : data.entitlements.some((e) => e.length > 200)
                ? "An entitlement name is longer than 200 characters."
                : null;
      yield problem
        ? { type: "row", line: item.line, key: data.login || null, data, status: "error", message: problem }
        : { type: "row", line: item.line, key: data.login, data };
    }
  },

  /** One round trip: the system's accounts by login, and people by employee number, email or login. */
  async validate(ctx, rows, state) {
    const recs = rows.map((r) => r.data as AccountRowData);
    const logins = [...new Set(recs.map((r) => r.login.toLowerCase()))];
    const emails = [...new Set(recs.flatMap((r) => (r.email ? [r.email] : [])))];
    const numbers = [...new Set(recs.flatMap((r) => (r.employeeNumber ? [r.employeeNumber] : [])))];
    const found = await queryRows(
      ctx.db,
      sql`
      SELECT 'account' AS via, lower(a.username) AS key, a.identity_id, i.display_name AS name, a.id AS account_id
        FROM accounts a JOIN identities i ON i.id = a.identity_id
       WHERE a.system_id = ${state.system.id} AND lower(a.username) = ANY(${textArray(logins)})
      UNION ALL
      SELECT 'number', i.employee_number, i.id, i.display_name, NULL FROM identities i
       WHERE i.employee_number = ANY(${textArray(numbers)})
      UNION ALL
      SELECT 'email', lower(i.email), i.id, i.display_name, NULL FROM identities i
       WHERE lower(i.email) = ANY(${textArray(emails)})
      UNION ALL
      SELECT 'login', lower(coalesce(i.user_name, i.email)), i.id, i.display_name, NULL FROM identities i
       WHERE lower(coalesce(i.user_name, i.email)) = ANY(${textArray(logins)})`,
      match,
    );
    const by = (via: string) => new Map(found.filter((f) => f.via === via).map((f) => [f.key, f]));
    const [accounts, byNumber, byEmail, byLogin] = [by("account"), by("number"), by("email"), by("login")];
    return recs.map((d): Checked => {
      const login = d.login.toLowerCase();
      const account = accounts.get(login);
      const n = d.employeeNumber ? byNumber.get(d.employeeNumber) : undefined;
      const e = d.email ? byEmail.get(d.email) : undefined;
      const person = account ?? n ?? e ?? byLogin.get(login);
      const row: Checked = { status: "ok", key: d.login, data: d };
      if (!account && n && e && n.identity_id !== e.identity_id)
        return {
          ...row,
          status: "error",
          message: `Employee number ${d.employeeNumber} and email ${d.email} belong to different people.`,
        };
      if (!person)
        return {
          ...row,
          status: "skipped",
          code: "uncorrelated",
          message: `Uncorrelated: no person matches ${[d.login, d.email, d.employeeNumber].filter(Boolean).join(" / ")}.`,
        };
      return {
        ...row,
        code: account ? "known" : "new",
        targetId: person.identity_id,
        targetLabel: person.name,
      };
    });
  },

  /** What ending the missing would do (shown before the choice), and the file's entitlements, counted in SQL. */
  async finalize(ctx, run, state) {
    const [facts] = await queryRows(
      ctx.db,
      sql`
      SELECT (SELECT count(*)::int FROM accounts a WHERE a.system_id = ${state.system.id} AND a.status <> 'deleted'
                 AND NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.run_id = ${run.id} AND lower(r.key) = lower(a.username))) AS missing,
             (SELECT count(DISTINCT e.name)::int FROM import_rows r CROSS JOIN LATERAL jsonb_array_elements_text(r.data->'entitlements') e(name)
               WHERE r.run_id = ${run.id} AND r.status = 'ok') AS entitlements`,
      z.object({ missing: col.int, entitlements: col.int }),
    );
    return { system: state.system, missingAccounts: facts.missing, entitlements: facts.entitlements };
  },

  apply: ({ ctx, run, options, state }) => applyAccounts(ctx, run, state, Boolean(options.endMissing)),
});
