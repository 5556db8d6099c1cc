import { exec, rows, type SeedCtx, say } from "./context";

/**
 * The credential_risk rollup (lib/api-scopes): its triggers are deferred for the bulk load (seed start), so the
 * seed fills it once, here, after every credential, endpoint, usage row, identity status and leaver case is in
 * place — the same function the triggers call, so the seeded rollup is what the app would have kept.
 */
export async function deferCredentialRisk(ctx: SeedCtx): Promise<void> {
  await exec(ctx, "SET LOCAL lockstep.defer_credential_risk = 'on'");
}

export async function seedCredentialRisk(ctx: SeedCtx): Promise<void> {
  await exec(ctx, "SET LOCAL lockstep.defer_credential_risk = 'off'");
  await exec(ctx, "SELECT refresh_all_credential_risk()");
  const [r] = await rows<{ n: number; live: number }>(
    ctx,
    "SELECT count(*)::int AS n, (count(*) FILTER (WHERE live))::int AS live FROM credential_risk",
  );
  say(
    ctx,
    `credential risk rollup: ${r.n.toLocaleString("en-US")} credentials (${r.live.toLocaleString("en-US")} live)`,
  );
}
