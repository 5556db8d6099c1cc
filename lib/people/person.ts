import "server-only";
import { and, asc, desc, eq, isNull, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import {
  accounts,
  appSessions,
  authenticators,
  breakGlassRequests,
  credentials,
  departments,
  entitlements,
  grants,
  identities,
  identityPosture,
  leaverCases,
  systems,
  trustedDevices,
} from "@/db/schema";
import { authorize, identityScope } from "@/lib/authz";
import type { Ctx } from "@/lib/context";
import { NotFound } from "@/lib/errors";
import { factorStrength, isActive, isPhishingResistant } from "@/lib/factors/strength";

const manager = alias(identities, "manager");
const owner = alias(identities, "owner");

/** Everything a person (or non-human identity) holds, for the person page. Each section is one query. */
export async function getPerson(ctx: Ctx, id: number) {
  authorize(ctx.actor, "people.read");
  const [person] = await ctx.db
    .select({
      id: identities.id,
      name: identities.displayName,
      email: identities.email,
      employeeNumber: identities.employeeNumber,
      kind: identities.kind,
      status: identities.status,
      employmentType: identities.employmentType,
      title: identities.title,
      location: identities.location,
      hireDate: identities.hireDate,
      terminationDate: identities.terminationDate,
      department: departments.name,
      managerId: manager.id,
      managerName: manager.displayName,
      ownerId: owner.id,
      ownerName: owner.displayName,
      ownerStatus: owner.status,
      posture: {
        primaryStrength: identityPosture.primaryStrength,
        recoveryStrength: identityPosture.recoveryStrength,
        effectiveStrength: identityPosture.effectiveStrength,
        phishingResistant: identityPosture.phishingResistant,
        hasPrivileged: identityPosture.hasPrivileged,
      },
    })
    .from(identities)
    .leftJoin(departments, eq(departments.id, identities.departmentId))
    .leftJoin(manager, eq(manager.id, identities.managerId))
    .leftJoin(owner, eq(owner.id, identities.ownerId))
    .leftJoin(identityPosture, eq(identityPosture.identityId, identities.id))
    .where(and(eq(identities.id, id), identityScope(ctx.actor)));
  if (!person) throw new NotFound("That person");

  const [accountRows, factorRows, credentialRows, sessionCount, devices, cases, requests, owned] = await Promise.all([
    ctx.db
      .select({
        accountId: accounts.id,
        systemId: systems.id,
        system: systems.name,
        category: systems.category,
        connector: systems.connectorKind,
        username: accounts.username,
        status: accounts.status,
        lastLoginAt: accounts.lastLoginAt,
        entitlement: entitlements.name,
        privileged: entitlements.privileged,
        grantSource: grants.source,
        grantExpiresAt: grants.expiresAt,
      })
      .from(accounts)
      .innerJoin(systems, eq(systems.id, accounts.systemId))
      .leftJoin(grants, and(eq(grants.accountId, accounts.id), isNull(grants.revokedAt)))
      .leftJoin(entitlements, eq(entitlements.id, grants.entitlementId))
      .where(eq(accounts.identityId, id))
      .orderBy(asc(systems.name), asc(accounts.id), desc(entitlements.privileged), asc(entitlements.name)),
    ctx.db
      .select()
      .from(authenticators)
      .where(eq(authenticators.identityId, id))
      .orderBy(asc(authenticators.usage), desc(authenticators.enrolledAt)),
    ctx.db
      .select({
        id: credentials.id,
        kind: credentials.kind,
        name: credentials.name,
        system: systems.name,
        holderId: credentials.holderId,
        ownerId: credentials.ownerId,
        scopes: credentials.scopes,
        status: credentials.status,
        lastUsedAt: credentials.lastUsedAt,
        expiresAt: credentials.expiresAt,
        lastRotatedAt: credentials.lastRotatedAt,
        createdAt: credentials.createdAt,
        bulkReach: sql<boolean>`EXISTS (SELECT 1 FROM api_endpoints e WHERE e.system_id = ${credentials.issuerSystemId} AND e.bulk AND api_endpoint_reached(e.scope_sets, ${credentials.scopes}))`,
      })
      .from(credentials)
      .innerJoin(systems, eq(systems.id, credentials.issuerSystemId))
      .where(or(eq(credentials.holderId, id), eq(credentials.ownerId, id)))
      .orderBy(asc(credentials.status), desc(credentials.lastUsedAt)),
    ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(appSessions)
      .where(and(eq(appSessions.identityId, id), isNull(appSessions.revokedAt))),
    ctx.db
      .select()
      .from(trustedDevices)
      .where(eq(trustedDevices.identityId, id))
      .orderBy(asc(trustedDevices.revokedAt), asc(trustedDevices.name)),
    ctx.db
      .select({
        id: leaverCases.id,
        reason: leaverCases.reason,
        status: leaverCases.status,
        effectiveAt: leaverCases.effectiveAt,
        slaDueAt: leaverCases.slaDueAt,
        tasksTotal: leaverCases.tasksTotal,
        tasksVerified: leaverCases.tasksVerified,
      })
      .from(leaverCases)
      .where(eq(leaverCases.identityId, id))
      .orderBy(desc(leaverCases.openedAt)),
    ctx.db
      .select({
        id: breakGlassRequests.id,
        kind: breakGlassRequests.kind,
        status: breakGlassRequests.status,
        reason: breakGlassRequests.reason,
        createdAt: breakGlassRequests.createdAt,
        expiresAt: breakGlassRequests.expiresAt,
      })
      .from(breakGlassRequests)
      .where(eq(breakGlassRequests.subjectId, id))
      .orderBy(desc(breakGlassRequests.createdAt))
      .limit(20),
    ctx.db
      .select({ id: identities.id, name: identities.displayName, kind: identities.kind, status: identities.status })
      .from(identities)
      .where(eq(identities.ownerId, id))
      .orderBy(asc(identities.displayName)),
  ]);

  const factors = factorRows.map((f) => ({
    id: f.id,
    type: f.type,
    usage: f.usage,
    status: f.status,
    channel: f.channel,
    label: f.label,
    enrolledAt: f.enrolledAt,
    lastUsedAt: f.lastUsedAt,
    active: isActive(f, ctx.now),
    strength: factorStrength(f),
    phishingResistant: isPhishingResistant(f),
  }));

  return {
    person,
    accounts: groupAccounts(accountRows),
    factors,
    credentials: credentialRows,
    activeSessions: sessionCount[0]?.n ?? 0,
    devices,
    cases,
    breakGlass: requests,
    owned,
  };
}

type AccountRow = {
  accountId: number;
  systemId: number;
  system: string;
  category: string;
  connector: string;
  username: string;
  status: string;
  lastLoginAt: Date | null;
  entitlement: string | null;
  privileged: boolean | null;
  grantSource: string | null;
  grantExpiresAt: Date | null;
};

function groupAccounts(rows: AccountRow[]) {
  const byAccount = new Map<
    number,
    Omit<AccountRow, "entitlement" | "privileged" | "grantSource" | "grantExpiresAt"> & {
      grants: { name: string; privileged: boolean; source: string | null; expiresAt: Date | null }[];
    }
  >();
  for (const r of rows) {
    const acc = byAccount.get(r.accountId) ?? {
      accountId: r.accountId,
      systemId: r.systemId,
      system: r.system,
      category: r.category,
      connector: r.connector,
      username: r.username,
      status: r.status,
      lastLoginAt: r.lastLoginAt,
      grants: [],
    };
    if (r.entitlement)
      acc.grants.push({
        name: r.entitlement,
        privileged: Boolean(r.privileged),
        source: r.grantSource,
        expiresAt: r.grantExpiresAt,
      });
    byAccount.set(r.accountId, acc);
  }
  return [...byAccount.values()];
}

export type PersonDetail = Awaited<ReturnType<typeof getPerson>>;
