import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { col } from "@/db/rows";
import {
  assignOwner,
  reduceScopes,
  registerHandle,
  revokeCredential,
  rotateClientSecret,
  setExpiry,
} from "@/lib/api-scopes/commands";
import { editEndpoint } from "@/lib/api-scopes/endpoints";
import { signOutEverywhere } from "@/lib/auth/console-sessions";
import {
  beginRegistration,
  beginStepUp,
  finishRegistration,
  finishStepUp,
  removePasskey,
  renamePasskey,
} from "@/lib/auth/passkeys";
import { relyingParty } from "@/lib/auth/relying-party";
import { finishAssertionInput, finishRegistrationInput } from "@/lib/auth/schemas";
import { userHandle } from "@/lib/auth/webauthn";
import { type MachineClient, machineActor, type Permission, ROLE_PERMISSIONS, ROLES, type Role } from "@/lib/authz";
import {
  approveBreakGlass,
  cancelBreakGlass,
  denyBreakGlass,
  disputeBreakGlass,
  endBreakGlass,
  recordPostReview,
  requestBreakGlass,
} from "@/lib/break-glass/commands";
import { updateBreakGlassPolicy } from "@/lib/break-glass/policy";
import { DEFAULT_BREAK_GLASS_POLICY } from "@/lib/break-glass/rules";
import { grantConsoleRole, removeConsoleRole } from "@/lib/console-roles/commands";
import { type Ctx, makeCtx } from "@/lib/context";
import { Forbidden } from "@/lib/errors";
import type { AuditedEventName } from "@/lib/events/catalog";
import { updateLiftSettings } from "@/lib/factors/lift-settings";
import { DEFAULT_LIFT_SETTINGS } from "@/lib/factors/vendor-mapping";
import { confirmRun } from "@/lib/imports";
import { saveMapping } from "@/lib/imports/mappings";
import { assignCases, closeCase, executeCases } from "@/lib/leavers/commands";
import { cancelCaseByProvisioning } from "@/lib/leavers/commands/cancel";
import { checkDriftNow } from "@/lib/leavers/drift";
import { openCases, openCasesByProvisioning } from "@/lib/leavers/open-cases";
import { markNoticesRead } from "@/lib/notices/commands";
import { loadPolicies, updatePolicies } from "@/lib/policies/policies";
import { requestReconciliation } from "@/lib/reconciliation/commands";
import {
  confirmTask,
  handoverOwnership,
  queueTaskIds,
  recheckTask,
  retryTask,
  waiveTask,
} from "@/lib/remediation/commands";
import {
  closeCampaign,
  createCampaign,
  createSchedule,
  decideItems,
  delegateItems,
  launchCampaign,
  nudgeReviewers,
  restoreItem,
  setScheduleEnabled,
} from "@/lib/reviews/commands";
import { createGroup, deleteGroup, patchGroup, replaceGroup } from "@/lib/scim/groups/commands";
import { createProvisioningToken, revokeProvisioningToken } from "@/lib/scim/tokens";
import { createUser, deleteUser, patchUser, replaceUser } from "@/lib/scim/users/commands";
import { createSystem, testConnection, updateSystem } from "@/lib/systems/commands";
import { createSystemInput, updateSystemInput } from "@/lib/systems/schemas";
import { actorWith, ctxAs, ctxByName, identityIdByName, steppedUp } from "@/lib/testing/actors";
import { SoftAuthenticator } from "@/lib/testing/authenticator";
import { rollback } from "@/lib/testing/db";
import { TEST_NOW } from "@/lib/testing/env";
import { previewText } from "@/lib/testing/imports";
import { createPeerSystems } from "@/lib/testing/leaver-fixtures";
import { type OAuthPeer, startOAuthPeer } from "@/lib/testing/peers/oauth-server";
import { checkServices, libSources } from "@/lib/testing/service-guard";
import { rowsOf } from "@/lib/testing/sql";

process.env.LOCKSTEP_JOBS = "local";

/**
 * One case per write service, openstatus-style: every role without the permission is refused and nothing is
 * written; a role with it succeeds and its audit event is in the log. The list of writes comes from the code
 * (lib/testing/service-guard.ts), so a new write without a case here fails this file.
 */
type Case = {
  /** Valid input for the service, prepared on the (rolled-back) database. */
  input: (db: Db) => Promise<unknown>;
  run: (ctx: Ctx, input: never) => Promise<unknown>;
  event: AuditedEventName;
  /**
   * Who succeeds: a role (default: the first of analyst, admin, manager holding the permission), or a machine
   * client kind for services behind machine permissions (SCIM provisioning), which no role holds.
   */
  as?: Role | MachineClient;
};

// ─── Fixtures ──────────────────────────────────────────────────────────────────────────────────────
async function personWithoutCase(db: Db, offset = 3): Promise<number> {
  const [p] = await rowsOf(
    db,
    sql`
    SELECT i.id FROM identities i WHERE i.kind = 'human' AND i.status = 'active' AND i.manager_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM console_roles r WHERE r.identity_id = i.id)
       AND EXISTS (SELECT 1 FROM accounts a WHERE a.identity_id = i.id AND a.status = 'active')
     ORDER BY i.id DESC OFFSET ${offset} LIMIT 1`,
    { id: col.num },
  );
  return Number(p.id);
}
async function freshCase(db: Db): Promise<number> {
  const ctx = await ctxAs(db, ["analyst"]);
  const identityId = await personWithoutCase(db);
  const { opened } = await openCases(ctx, {
    leavers: [{ identityId, reason: "layoff", effectiveAt: TEST_NOW, lastDay: null }],
  });
  return opened[0].caseId;
}
async function taskOf(db: Db, where: ReturnType<typeof sql>): Promise<number> {
  const caseId = await freshCase(db);
  const [t] = await rowsOf(
    db,
    sql`SELECT id FROM remediation_tasks WHERE case_id = ${caseId} AND ${where} ORDER BY id LIMIT 1`,
    { id: col.num },
  );
  if (!t) throw new Error("no task of that kind in a fresh case");
  return Number(t.id);
}
/** Runs a task's connector job so it ends in the given state (simulated systems execute at once). */
async function connectorTask(db: Db, state: "failed" | "done"): Promise<number> {
  const id = await taskOf(db, sql`mode = 'connector'`);
  await db.execute(
    sql`UPDATE remediation_tasks SET state = ${state}::remediation_state, attempts = 1 WHERE id = ${id}`,
  );
  return id;
}
async function credential(db: Db, name = "customer-export nightly key"): Promise<number> {
  const [c] = await rowsOf(db, sql`SELECT id FROM credentials WHERE name = ${name} LIMIT 1`, { id: col.num });
  return Number(c.id);
}

/** An authorization server that rotates client secrets on RFC 7592 updates, started by the first case needing it. */
let oauthPeer: Promise<OAuthPeer> | undefined;
afterAll(async () => (await oauthPeer)?.stop());
/** An OAuth client registered at that peer, recorded in Lockstep on a system connected to it, without a handle. */
async function registeredClient(db: Db) {
  oauthPeer ??= startOAuthPeer({ apps: 0, rotateSecretOnUpdate: true });
  const peer = await oauthPeer;
  const { apiSystemId } = await createPeerSystems(
    db,
    { scim: { url: "http://127.0.0.1:9/unused", token: "unused" }, oauth: { ...peer, apps: [] } },
    { suffix: "guard" },
  );
  const client = await peer.registerClient("api:read");
  const [c] = await rowsOf(
    db,
    sql`INSERT INTO credentials (kind, name, issuer_system_id, holder_id, external_ref, scopes, status, created_at)
        VALUES ('oauth_client', 'Guard client', ${apiSystemId}, ${await personWithoutCase(db)}, ${client.clientId}, '{api:read}', 'active', now())
        RETURNING id`,
    { id: col.num },
  );
  return { credentialId: Number(c.id), client };
}
const registrationOf = (r: Awaited<ReturnType<typeof registeredClient>>) => ({
  credentialId: r.credentialId,
  kind: "registration" as const,
  registrationClientUri: r.client.registrationClientUri,
  registrationAccessToken: r.client.registrationAccessToken,
});

/** A machine client of the given kind (in the rolled-back transaction), and a context acting as it. */
async function machineClient(db: Db, kind: MachineClient): Promise<number> {
  const [c] = await rowsOf(
    db,
    sql`INSERT INTO machine_clients (kind, name, token_hash, token_hint, created_by_label)
        VALUES (${kind}::machine_client_kind, 'Guard client', md5(random()::text), 'lsp_guard…', 'writes.test') RETURNING id`,
    { id: col.num },
  );
  return Number(c.id);
}
const machineCtx = async (db: Db, kind: MachineClient) =>
  makeCtx(machineActor(await machineClient(db, kind), "Guard client", kind), db, TEST_NOW);
const SCIM_BASE = "http://localhost/scim/v2";
async function scimGroup(db: Db): Promise<string> {
  const [g] = await rowsOf(db, sql`INSERT INTO scim_groups (display_name) VALUES ('Guard group') RETURNING id`, {
    id: col.num,
  });
  return String(g.id);
}

/** A launched campaign (privileged access) with one item handed to the seeded analyst, who then acts as its reviewer. */
async function campaignWithItemFor(db: Db, opts: { privileged?: boolean } = {}) {
  const analyst = await ctxAs(db, ["analyst"]);
  const { campaignId } = await createCampaign(analyst, {
    name: "Guard campaign",
    kind: "access",
    scope: { privilegedOnly: true },
    noResponsePolicy: "keep",
    stages: 1,
    fallbackReviewerId: analyst.actor.id!,
    reminderEveryDays: 3,
    rollbackDays: 7,
    dueAt: new Date(TEST_NOW.getTime() + 14 * 86_400_000),
  });
  const [item] = await rowsOf(
    db,
    sql`SELECT id::int AS id FROM review_items WHERE campaign_id = ${campaignId} AND subject_id <> ${analyst.actor.id}
         AND privileged = ${opts.privileged ?? true} ORDER BY id LIMIT 1`,
    { id: col.num },
  );
  await db.execute(sql`UPDATE review_items SET reviewer_id = ${analyst.actor.id} WHERE id = ${item.id}`);
  return { analyst, campaignId, itemId: Number(item.id) };
}
/** A passkey of the seeded analyst (the identity `ctxAs(db, ["analyst"])` acts as), enrolled through the services. */
async function analystPasskey(db: Db) {
  const ctx = await ctxAs(db, ["analyst"]);
  const authenticator = new SoftAuthenticator(relyingParty().origin);
  const { challengeId, options } = await beginRegistration(ctx);
  const response = authenticator.create(options);
  const { id } = await finishRegistration(ctx, finishRegistrationInput.parse({ challengeId, response }));
  return { ctx, authenticator, passkeyId: id };
}

const campaignSettings = async (db: Db) => ({
  kind: "access" as const,
  scope: { privilegedOnly: true },
  noResponsePolicy: "keep" as const,
  stages: 1 as const,
  fallbackReviewerId: await identityIdByName(db, "Avery Chen"),
  reminderEveryDays: 3,
  rollbackDays: 7,
});

/** The seeded analyst's own account recovery (they ask for themselves); with `approved`, two approvers passed it. */
async function recoveryOfAnalyst(db: Db, opts: { approved?: boolean } = {}) {
  const analyst = await ctxAs(db, ["analyst"]);
  const { requestId } = await requestBreakGlass(analyst, {
    kind: "account_recovery",
    recoveryFactor: "passkey_device_bound",
    reasonCode: "lost_factor",
    reason: "Security key went through the washing machine",
    ticketRef: undefined,
  });
  if (opts.approved) {
    const proofed = { videoCallWithId: true, managerConfirmed: false, inPerson: false };
    for (const name of ["Sam Rivera", "Noor Haddad"])
      await approveBreakGlass(await ctxByName(db, name), { requestId, checklist: proofed });
  }
  return { requestId };
}

const CASES: Record<string, Case> = {
  "lib/reconciliation/commands.ts#requestReconciliation": {
    input: async (db) => {
      const [s] = await rowsOf(
        db,
        sql`INSERT INTO systems (slug, name, category, connector_kind, connector_config, connector_simulated)
            VALUES ('guard-scim', 'Guard SCIM app', 'saas', 'scim', '{"baseUrl":"http://127.0.0.1:9/scim/v2"}'::jsonb, false)
            RETURNING id`,
        { id: col.num },
      );
      return { systemId: Number(s.id) };
    },
    run: (ctx, input) => requestReconciliation(ctx, input),
    event: "reconciliation.request",
  },
  "lib/break-glass/commands/request.ts#requestBreakGlass": {
    input: async () => ({
      kind: "account_recovery",
      recoveryFactor: "passkey_device_bound",
      reasonCode: "locked_out",
      reason: "Locked out after the phone was replaced",
    }),
    run: (ctx, input) => requestBreakGlass(ctx, input),
    event: "break_glass.request",
  },
  "lib/break-glass/commands/decide.ts#approveBreakGlass": {
    input: async (db) => ({
      ...(await recoveryOfAnalyst(db)),
      checklist: { videoCallWithId: true, managerConfirmed: false, inPerson: false },
    }),
    run: (ctx, input) => approveBreakGlass(ctx, input),
    event: "break_glass.approve",
    as: "approver",
  },
  "lib/break-glass/commands/decide.ts#denyBreakGlass": {
    input: async (db) => ({ ...(await recoveryOfAnalyst(db)), reason: "Could not reach the person on video" }),
    run: (ctx, input) => denyBreakGlass(ctx, input),
    event: "break_glass.deny",
    as: "approver",
  },
  "lib/break-glass/commands/end.ts#cancelBreakGlass": {
    input: (db) => recoveryOfAnalyst(db),
    run: (ctx, input) => cancelBreakGlass(ctx, input),
    event: "break_glass.cancel",
  },
  "lib/break-glass/commands/end.ts#endBreakGlass": {
    input: async (db) => ({ ...(await recoveryOfAnalyst(db, { approved: true })), reason: "Found the old key" }),
    run: (ctx, input) => endBreakGlass(ctx, input),
    event: "break_glass.revoke",
  },
  "lib/break-glass/commands/end.ts#disputeBreakGlass": {
    input: (db) => recoveryOfAnalyst(db, { approved: true }),
    run: (ctx, input) => disputeBreakGlass(ctx, input),
    event: "break_glass.dispute",
  },
  "lib/break-glass/commands/end.ts#recordPostReview": {
    input: async (db) => ({
      ...(await recoveryOfAnalyst(db, { approved: true })),
      summary: "New key enrolled with the pass; old one revoked at the IdP.",
    }),
    run: (ctx, input) => recordPostReview(ctx, input),
    event: "break_glass.post_review",
  },
  "lib/break-glass/policy.ts#updateBreakGlassPolicy": {
    input: async () => ({ ...DEFAULT_BREAK_GLASS_POLICY, maxDurationMinutes: 120 }),
    run: (ctx, input) => updateBreakGlassPolicy(ctx, input),
    event: "settings.update",
  },
  "lib/policies/policies.ts#updatePolicies": {
    input: async (db) => {
      const now = await loadPolicies(await ctxAs(db, ["admin"]));
      return { ...now, staleAfterDays: now.staleAfterDays + 1 };
    },
    run: (ctx, input) => updatePolicies(ctx, input),
    event: "settings.update",
  },
  "lib/console-roles/commands.ts#grantConsoleRole": {
    input: async (db) => ({ identityId: await personWithoutCase(db), role: "analyst" }),
    run: (ctx, input) => grantConsoleRole(ctx, input),
    event: "console_role.grant",
  },
  "lib/console-roles/commands.ts#removeConsoleRole": {
    input: async (db) => {
      const [r] = await rowsOf(
        db,
        sql`SELECT identity_id AS id FROM console_roles WHERE role = 'approver' ORDER BY 1 LIMIT 1`,
        {
          id: col.num,
        },
      );
      return { identityId: Number(r.id), role: "approver" };
    },
    run: (ctx, input) => removeConsoleRole(ctx, input),
    event: "console_role.remove",
  },
  "lib/systems/commands.ts#createSystem": {
    input: async () =>
      createSystemInput.parse({
        name: "Guard system",
        category: "saas",
        criticality: "low",
        ownerId: null,
        connectorKind: "scim",
        simulated: true,
        deprovisionMode: "deactivate",
        maxConcurrency: 2,
      }),
    run: (ctx, input) => createSystem(ctx, input),
    event: "system.create",
  },
  "lib/systems/commands.ts#updateSystem": {
    input: async (db) => {
      const [s] = await rowsOf(db, sql`SELECT id, name FROM systems ORDER BY id LIMIT 1`, {
        id: col.num,
        name: col.text,
      });
      return updateSystemInput.parse({
        systemId: Number(s.id),
        name: s.name,
        category: "saas",
        criticality: "critical",
        ownerId: null,
        connectorKind: "manual",
        simulated: false,
        deprovisionMode: "deactivate",
        maxConcurrency: 4,
      });
    },
    run: (ctx, input) => updateSystem(ctx, input),
    event: "system.update",
  },
  "lib/systems/commands.ts#testConnection": {
    // A simulated system: the test calls nothing, and still records that it was run.
    input: async (db) => {
      const [s] = await rowsOf(db, sql`SELECT id FROM systems WHERE connector_simulated ORDER BY id LIMIT 1`, {
        id: col.num,
      });
      return { systemId: Number(s.id) };
    },
    run: (ctx, input) => testConnection(ctx, input),
    event: "system.test_connection",
  },
  "lib/factors/lift-settings.ts#updateLiftSettings": {
    input: async () => ({ ...DEFAULT_LIFT_SETTINGS, oktaNumberChallenge: true }),
    run: (ctx, input) => updateLiftSettings(ctx, input),
    event: "settings.update",
  },
  "lib/auth/passkeys.ts#finishRegistration": {
    input: async (db) => {
      const { challengeId, options } = await beginRegistration(await ctxAs(db, ["analyst"]));
      const response = new SoftAuthenticator(relyingParty().origin).create(options);
      return finishRegistrationInput.parse({ challengeId, response, name: "Work laptop" });
    },
    run: (ctx, input) => finishRegistration(ctx, input),
    event: "passkey.register",
  },
  "lib/auth/passkeys.ts#renamePasskey": {
    input: async (db) => ({ passkeyId: (await analystPasskey(db)).passkeyId, name: "Backup key" }),
    run: (ctx, input) => renamePasskey(ctx, input),
    event: "passkey.rename",
  },
  "lib/auth/passkeys.ts#removePasskey": {
    input: async (db) => ({ passkeyId: (await analystPasskey(db)).passkeyId }),
    run: (ctx, input) => removePasskey(ctx, input),
    event: "passkey.remove",
  },
  "lib/auth/passkeys.ts#finishStepUp": {
    input: async (db) => {
      const { ctx, authenticator } = await analystPasskey(db);
      const { challengeId, options } = await beginStepUp(ctx);
      const response = authenticator.get(options!, userHandle(ctx.actor.id!));
      return finishAssertionInput.parse({ challengeId, response });
    },
    run: (ctx, input) => finishStepUp(ctx, input),
    event: "auth.step_up",
  },
  "lib/auth/console-sessions.ts#signOutEverywhere": {
    // Every console user may end their own sessions (no role is refused); nothing to prepare.
    input: async () => ({}),
    run: (ctx) => signOutEverywhere(ctx),
    event: "auth.sessions_end",
  },
  "lib/notices/commands.ts#markNoticesRead": {
    // A notice of the seeded analyst's own (every role may read its own notices: no role is refused here).
    input: async (db) => {
      const me = await actorWith(db, ["analyst"]);
      const [n] = await rowsOf(
        db,
        sql`INSERT INTO notices (identity_id, kind, title, body) VALUES (${me.id}, 'test', 'A notice', 'Read me')
            RETURNING id::int AS id`,
        { id: col.num },
      );
      return { noticeIds: [Number(n.id)] };
    },
    run: (ctx, input) => markNoticesRead(ctx, input),
    event: "notice.read",
  },
  "lib/reviews/commands/create.ts#createCampaign": {
    input: async (db) => ({
      ...(await campaignSettings(db)),
      name: "Q4 privileged",
      dueAt: new Date(TEST_NOW.getTime() + 14 * 86_400_000),
    }),
    run: (ctx, input) => createCampaign(ctx, input),
    event: "review.campaign_create",
  },
  "lib/reviews/commands/create.ts#launchCampaign": {
    input: async (db) => {
      const [c] = await rowsOf(
        db,
        sql`INSERT INTO review_campaigns (name, kind, scope, status, starts_at, due_at, fallback_reviewer_id)
            VALUES ('Draft', 'access', '{"privilegedOnly": true}', 'draft', ${TEST_NOW.toISOString()}::timestamptz,
                    ${new Date(TEST_NOW.getTime() + 14 * 86_400_000).toISOString()}::timestamptz, ${await identityIdByName(db, "Avery Chen")})
            RETURNING id`,
        { id: col.num },
      );
      return { campaignId: Number(c.id) };
    },
    run: (ctx, input) => launchCampaign(ctx, input),
    event: "review.campaign_start",
  },
  "lib/reviews/commands/decide.ts#decideItems": {
    input: async (db) => ({ itemIds: [(await campaignWithItemFor(db)).itemId], decision: "revoke" }),
    run: (ctx, input) => decideItems(ctx, input),
    event: "review.decide",
  },
  "lib/reviews/commands/delegate.ts#delegateItems": {
    input: async (db) => ({
      itemIds: [(await campaignWithItemFor(db)).itemId],
      toId: await identityIdByName(db, "Jordan Okafor"),
    }),
    run: (ctx, input) => delegateItems(ctx, input),
    event: "review.delegate",
  },
  "lib/reviews/commands/close.ts#closeCampaign": {
    input: async (db) => ({ campaignId: (await campaignWithItemFor(db)).campaignId }),
    // Before the due date: the permission is checked first, then the step-up (here, a fresh one).
    run: (ctx, input) => closeCampaign(steppedUp(ctx), input),
    event: "review.campaign_close",
  },
  "lib/reviews/commands/nudge.ts#nudgeReviewers": {
    input: async (db) => ({ campaignId: (await campaignWithItemFor(db)).campaignId }),
    run: (ctx, input) => nudgeReviewers(ctx, input),
    event: "review.remind",
  },
  "lib/reviews/commands/restore.ts#restoreItem": {
    input: async (db) => {
      const { analyst, campaignId, itemId } = await campaignWithItemFor(db, { privileged: true });
      await closeCampaign(steppedUp(analyst), { campaignId });
      return { itemId, justification: "Needed for the quarter-end close" };
    },
    run: (ctx, input) => restoreItem(ctx, input),
    event: "review.restore",
  },
  "lib/reviews/commands/schedule.ts#createSchedule": {
    input: async (db) => ({
      ...(await campaignSettings(db)),
      name: "Privileged access (quarterly)",
      cadence: "quarterly",
      durationDays: 14,
      firstRunAt: new Date(TEST_NOW.getTime() + 86_400_000),
    }),
    run: (ctx, input) => createSchedule(ctx, input),
    event: "review.schedule_create",
  },
  "lib/reviews/commands/schedule.ts#setScheduleEnabled": {
    input: async (db) => {
      const [s] = await rowsOf(
        db,
        sql`INSERT INTO review_schedules (name, kind, cadence, next_run_at) VALUES ('Yearly', 'access', 'yearly', now()) RETURNING id`,
        { id: col.num },
      );
      return { scheduleId: Number(s.id), enabled: false };
    },
    run: (ctx, input) => setScheduleEnabled(ctx, input),
    event: "review.schedule_update",
  },
  "lib/leavers/open-cases.ts#openCases": {
    input: async (db) => ({
      leavers: [
        { identityId: await personWithoutCase(db, 9), reason: "voluntary", effectiveAt: TEST_NOW, lastDay: null },
      ],
    }),
    run: (ctx, input) => openCases(ctx, input),
    event: "leaver.open",
  },
  "lib/leavers/open-cases.ts#openCasesByProvisioning": {
    input: async (db) => ({
      leavers: [
        { identityId: await personWithoutCase(db, 13), reason: "voluntary", effectiveAt: TEST_NOW, lastDay: null },
      ],
    }),
    run: (ctx, input) => openCasesByProvisioning(ctx, input),
    event: "leaver.open",
    as: "provisioning",
  },
  "lib/leavers/commands/cancel.ts#cancelCaseByProvisioning": {
    input: async (db) => {
      const { opened } = await openCases(await ctxAs(db, ["analyst"]), {
        leavers: [
          {
            identityId: await personWithoutCase(db, 15),
            reason: "voluntary",
            effectiveAt: new Date(TEST_NOW.getTime() + 3_600_000),
            lastDay: null,
          },
        ],
      });
      return { caseId: opened[0].caseId, reason: "Re-activated by the IdP" };
    },
    run: (ctx, input) => cancelCaseByProvisioning(ctx, input),
    event: "leaver.cancel",
    as: "provisioning",
  },
  "lib/scim/users/commands.ts#createUser": {
    input: async () => ({ body: { userName: "guard.user@example.com", displayName: "Guard User" } }),
    run: (ctx, input) => createUser(ctx, input),
    event: "people.join",
    as: "provisioning",
  },
  "lib/scim/users/commands.ts#replaceUser": {
    input: async (db) => {
      const id = await personWithoutCase(db, 17);
      const [p] = await rowsOf(db, sql`SELECT email FROM identities WHERE id = ${id}`, { email: col.text });
      return { id: String(id), body: { userName: p.email, displayName: "Renamed" }, ifMatch: null, base: SCIM_BASE };
    },
    run: (ctx, input) => replaceUser(ctx, input),
    event: "people.update",
    as: "provisioning",
  },
  "lib/scim/users/commands.ts#patchUser": {
    input: async (db) => ({
      id: String(await personWithoutCase(db, 19)),
      body: { Operations: [{ op: "replace", path: "title", value: "Guard" }] },
      ifMatch: null,
      base: SCIM_BASE,
    }),
    run: (ctx, input) => patchUser(ctx, input),
    event: "people.update",
    as: "provisioning",
  },
  "lib/scim/users/commands.ts#deleteUser": {
    input: async (db) => ({ id: String(await personWithoutCase(db, 21)), ifMatch: null, base: SCIM_BASE }),
    run: (ctx, input) => deleteUser(ctx, input),
    event: "scim.user_delete",
    as: "provisioning",
  },
  "lib/scim/groups/commands.ts#createGroup": {
    input: async () => ({ body: { displayName: "Guard created group" } }),
    run: (ctx, input) => createGroup(ctx, input),
    event: "scim.group_create",
    as: "provisioning",
  },
  "lib/scim/groups/commands.ts#replaceGroup": {
    input: async (db) => ({
      id: await scimGroup(db),
      body: { displayName: "Renamed" },
      ifMatch: null,
      base: SCIM_BASE,
    }),
    run: (ctx, input) => replaceGroup(ctx, input),
    event: "scim.group_update",
    as: "provisioning",
  },
  "lib/scim/groups/commands.ts#patchGroup": {
    input: async (db) => ({
      id: await scimGroup(db),
      body: { Operations: [{ op: "replace", path: "displayName", value: "Patched" }] },
      ifMatch: null,
      base: SCIM_BASE,
    }),
    run: (ctx, input) => patchGroup(ctx, input),
    event: "scim.group_update",
    as: "provisioning",
  },
  "lib/scim/groups/commands.ts#deleteGroup": {
    input: async (db) => ({ id: await scimGroup(db), ifMatch: null, base: SCIM_BASE }),
    run: (ctx, input) => deleteGroup(ctx, input),
    event: "scim.group_delete",
    as: "provisioning",
  },
  "lib/scim/tokens.ts#createProvisioningToken": {
    input: async () => ({ name: "Guard IdP" }),
    run: (ctx, input) => createProvisioningToken(ctx, input),
    event: "scim.token_create",
  },
  "lib/scim/tokens.ts#revokeProvisioningToken": {
    input: async (db) => ({ clientId: await machineClient(db, "provisioning") }),
    run: (ctx, input) => revokeProvisioningToken(ctx, input),
    event: "scim.token_revoke",
  },
  "lib/leavers/commands/assign.ts#assignCases": {
    input: async (db) => ({ caseIds: [await freshCase(db)], assigneeId: await identityIdByName(db, "Jordan Okafor") }),
    run: (ctx, input) => assignCases(ctx, input),
    event: "leaver.assign",
  },
  "lib/leavers/commands/close.ts#closeCase": {
    input: async (db) => {
      const caseId = await freshCase(db);
      await db.execute(
        sql`UPDATE remediation_tasks SET state = 'waived', waived_reason = 'fixture' WHERE case_id = ${caseId}`,
      );
      return { caseId };
    },
    run: (ctx, input) => closeCase(ctx, input),
    event: "leaver.close",
  },
  "lib/leavers/commands/execute.ts#executeCases": {
    input: async (db) => ({ caseIds: [await freshCase(db)] }),
    run: (ctx, input) => executeCases(ctx, input),
    event: "remediation.queue",
  },
  "lib/leavers/drift.ts#checkDriftNow": {
    input: async (db) => {
      const [c] = await rowsOf(
        db,
        sql`SELECT c.id FROM leaver_cases c WHERE c.status = 'closed'
             AND EXISTS (SELECT 1 FROM remediation_tasks t WHERE t.case_id = c.id AND t.state = 'verified' AND t.mode = 'connector')
             ORDER BY c.id LIMIT 1`,
        { id: col.num },
      );
      return { caseId: Number(c.id) };
    },
    run: (ctx, input) => checkDriftNow(ctx, input),
    event: "leaver.drift_check",
  },
  "lib/remediation/commands/queue.ts#queueTaskIds": {
    input: async (db) => ({ taskIds: [await taskOf(db, sql`mode = 'connector'`)] }),
    run: (ctx, input) => queueTaskIds(ctx, input),
    event: "remediation.queue",
  },
  "lib/remediation/commands/queue.ts#retryTask": {
    input: async (db) => ({ taskId: await connectorTask(db, "failed") }),
    run: (ctx, input) => retryTask(ctx, input),
    event: "remediation.retry",
  },
  "lib/remediation/commands/queue.ts#recheckTask": {
    input: async (db) => ({ taskId: await connectorTask(db, "done") }),
    run: (ctx, input) => recheckTask(ctx, input),
    event: "remediation.recheck",
  },
  "lib/remediation/commands/confirm.ts#confirmTask": {
    input: async (db) => ({ taskId: await taskOf(db, sql`mode <> 'handover'`), note: "Disabled in the admin console" }),
    run: (ctx, input) => confirmTask(ctx, input),
    event: "remediation.confirm",
  },
  "lib/remediation/commands/waive.ts#waiveTask": {
    input: async (db) => ({ taskId: await taskOf(db, sql`true`), reason: "Handled by the vendor's own offboarding" }),
    run: (ctx, input) => waiveTask(ctx, input),
    event: "remediation.waive",
  },
  "lib/remediation/commands/handover.ts#handoverOwnership": {
    input: async (db) => {
      const [t] = await rowsOf(
        db,
        sql`SELECT id FROM remediation_tasks WHERE action = 'transfer_ownership' AND state = 'pending' ORDER BY id LIMIT 1`,
        { id: col.num },
      );
      return { taskId: Number(t.id), newOwnerId: await identityIdByName(db, "Jordan Okafor") };
    },
    run: (ctx, input) => handoverOwnership(ctx, input),
    event: "remediation.handover",
    as: "analyst",
  },
  "lib/api-scopes/commands/revoke.ts#revokeCredential": {
    input: async (db) => ({ credentialId: await credential(db), reason: "Orphaned export key" }),
    run: (ctx, input) => revokeCredential(ctx, input),
    event: "api_scope.revoke",
  },
  "lib/api-scopes/commands/revoke.ts#reduceScopes": {
    input: async (db) => ({ credentialId: await credential(db), drop: ["users:export"], reason: "Unused" }),
    run: (ctx, input) => reduceScopes(ctx, input),
    event: "api_scope.reduce_scopes",
  },
  "lib/api-scopes/commands/change.ts#assignOwner": {
    input: async (db) => ({ credentialId: await credential(db), ownerId: await identityIdByName(db, "Jordan Okafor") }),
    run: (ctx, input) => assignOwner(ctx, input),
    event: "api_scope.assign_owner",
  },
  "lib/api-scopes/commands/change.ts#setExpiry": {
    input: async (db) => ({
      credentialId: await credential(db),
      expiresAt: new Date(TEST_NOW.getTime() + 30 * 86_400_000),
    }),
    run: (ctx, input) => setExpiry(ctx, input),
    event: "api_scope.set_expiry",
  },
  "lib/api-scopes/commands/handle.ts#registerHandle": {
    input: async (db) => registrationOf(await registeredClient(db)),
    run: (ctx, input) => registerHandle(ctx, input),
    event: "api_scope.register_handle",
  },
  "lib/api-scopes/commands/rotate.ts#rotateClientSecret": {
    input: async (db) => {
      const r = await registeredClient(db);
      await registerHandle(await ctxAs(db, ["admin"]), registrationOf(r));
      return { credentialId: r.credentialId };
    },
    run: (ctx, input) => rotateClientSecret(ctx, input),
    event: "api_scope.rotate_secret",
  },
  "lib/imports/confirm.ts#confirmRun": {
    input: async (db) => {
      const [p] = await rowsOf(
        db,
        sql`SELECT employee_number AS n FROM identities WHERE id = ${await personWithoutCase(db, 11)}`,
        { n: col.text },
      );
      const run = await previewText(
        await ctxAs(db, ["analyst"]),
        "hr_leavers",
        `employee_number,reason,last_day\n${p.n},layoff,2026-11-30\n`,
      );
      return { runId: run.id, digest: run.digest };
    },
    run: (ctx, input) => confirmRun(ctx, input),
    event: "import.apply",
  },
  "lib/imports/mappings.ts#saveMapping": {
    input: async () => ({ kind: "accounts_csv", source: "Legacy ERP", fields: { login: "User" } }),
    run: (ctx, input) => saveMapping(ctx, input),
    event: "import.mapping_save",
  },
  "lib/api-scopes/endpoints.ts#editEndpoint": {
    input: async (db) => {
      const [e] = await rowsOf(db, sql`SELECT id FROM api_endpoints ORDER BY id LIMIT 1`, { id: col.num });
      return { endpointId: Number(e.id), bulk: true, maxRecordsPerCall: 500, dataClasses: ["pii"] };
    },
    run: (ctx, input) => editEndpoint(ctx, input),
    event: "api_scope.edit_endpoint",
  },
};

const audited = async (db: Db) => {
  const [r] = await rowsOf(db, sql`SELECT count(*)::int AS n FROM audit_events`, { n: col.num });
  return Number(r.n);
};
const eventsNamed = async (db: Db, event: string) => {
  const [r] = await rowsOf(db, sql`SELECT count(*)::int AS n FROM audit_events WHERE action = ${event}`, {
    n: col.num,
  });
  return Number(r.n);
};
const holders = (p: Permission) => ROLES.filter((r) => (ROLE_PERMISSIONS[r] as readonly Permission[]).includes(p));

const writes = checkServices(libSources(process.cwd())).services.filter((s) => s.writes);

describe("every write service", () => {
  it("has a case here (new writes must add theirs)", () => {
    expect(Object.keys(CASES).sort()).toEqual(writes.map((w) => w.key).sort());
  });

  for (const w of writes) {
    const c = CASES[w.key];
    if (!c) continue;
    const permission = w.permission as Permission;
    const wrong = ROLES.filter((r) => !holders(permission).includes(r));
    const right = c.as ?? (["analyst", "admin", "manager"] as const).find((r) => holders(permission).includes(r))!;
    const ctxOf = (db: Db) =>
      (ROLES as readonly string[]).includes(right)
        ? ctxAs(db, [right as Role])
        : machineCtx(db, right as MachineClient);

    it(`${w.key}: refuses ${wrong.join(", ")} and writes nothing`, async () => {
      await rollback(async (db) => {
        const input = await c.input(db);
        const before = await audited(db);
        for (const role of wrong) {
          await expect(c.run(await ctxAs(db, [role]), input as never), role).rejects.toThrow(Forbidden);
        }
        expect(await audited(db)).toBe(before);
      });
    });

    it(`${w.key}: as ${right}, does it and writes ${c.event}`, async () => {
      await rollback(async (db) => {
        const input = await c.input(db);
        const before = await eventsNamed(db, c.event);
        await c.run(await ctxOf(db), input as never);
        expect(await eventsNamed(db, c.event)).toBeGreaterThan(before);
      });
    });
  }
});
