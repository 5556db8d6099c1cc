import { analyze, daysAgo, exec, type SeedCtx, say } from "./context";
import { key2, pick, u, weighted } from "./random";

/**
 * Live application sessions and trusted devices: what a leaver case has to end and un-trust. Leavers'
 * sessions are anchored at their last day, so a closed case's revoked sessions look like real history.
 */
const USER_AGENTS = [
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0",
  "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
  "Slack/4.39.90 (Macintosh; Intel Mac OS X 14_5)",
];

export async function seedSessions(ctx: SeedCtx): Promise<void> {
  const anchor = "greatest(0, -coalesce(p.term_off, 0))";
  const sessions = await exec(
    ctx,
    `
    INSERT INTO app_sessions (identity_id, system_id, started_at, last_seen_at, ip_address, user_agent)
    SELECT a.identity_id, a.system_id, a.last_login_at,
           least(${daysAgo(ctx, anchor)}, a.last_login_at + date_trunc('second', 2 * ${u("a.id", 61)} * interval '1 day')),
           CASE WHEN ${u("a.id", 62)} < 0.7
                THEN '10.' || (a.identity_id % 200 + 20) || '.' || (a.id % 250 + 1) || '.' || (a.system_id % 250 + 2)
                ELSE (ARRAY['203.0.113.', '198.51.100.', '192.0.2.'])[1 + ${pick("a.id", 63, 3)}] || (a.id % 250 + 2) END,
           (ARRAY[${USER_AGENTS.map((s) => `'${s}'`).join(",")}])[1 + ${pick("a.identity_id", 64, USER_AGENTS.length)}]
      FROM accounts a
      JOIN seed_sys s ON s.system_id = a.system_id AND s.sessions
      JOIN seed_person p ON p.id = a.identity_id
     WHERE a.last_login_at > ${daysAgo(ctx, `${anchor} + 10`)} AND ${u("a.id", 60)} < 0.25
     ORDER BY a.id`,
  );

  const slugId = (slug: string) => `(SELECT id FROM systems WHERE slug = '${slug}')`;
  const devices = await exec(
    ctx,
    `
    INSERT INTO trusted_devices (identity_id, system_id, name, platform, managed, trusted_at, last_seen_at)
    SELECT d.id,
           CASE WHEN d.platform IN ('macos', 'ios') THEN ${slugId("jamf")}
                WHEN d.platform IN ('windows', 'android') THEN ${slugId("intune")} ELSE ${slugId("corp-directory")} END,
           CASE d.platform WHEN 'macos' THEN 'TW-MBP-' WHEN 'windows' THEN 'TW-WIN-' WHEN 'linux' THEN 'TW-LNX-'
                           WHEN 'ios' THEN 'iPhone-' ELSE 'Android-' END || lpad((d.id * 7 + d.slot)::text, 6, '0'),
           d.platform::device_platform, d.slot = 0 OR ${u(key2("d.id", "d.slot"), 72)} < 0.7,
           ${daysAgo(ctx, `d.anchor + (d.hire_days - d.anchor) * power(${u(key2("d.id", "d.slot"), 73)}, 2)`)},
           ${daysAgo(ctx, `d.anchor + 6 * ${u(key2("d.id", "d.slot"), 74)}`)}
      FROM (
        SELECT p.id, p.hire_days, ${anchor} AS anchor, slot,
               CASE WHEN slot = 0 THEN
                      CASE WHEN p.family IN ('engineering', 'data') THEN ${weighted("x.up", [
                        ["macos", 70],
                        ["windows", 18],
                        ["linux", 12],
                      ])}
                           ELSE ${weighted("x.up", [
                             ["macos", 55],
                             ["windows", 43],
                             ["linux", 2],
                           ])} END
                    ELSE ${weighted("x.up", [
                      ["ios", 65],
                      ["android", 35],
                    ])} END AS platform
          FROM seed_person p
          CROSS JOIN generate_series(0, 1) slot
          CROSS JOIN LATERAL (SELECT ${u(key2("p.id", "slot"), 70)} AS up, ${u(key2("p.id", "slot"), 71)} AS uh) x
         WHERE (slot = 0 AND x.uh < 0.96) OR (slot = 1 AND x.uh < 0.7)
      ) d
     ORDER BY d.id, d.slot`,
  );
  say(ctx, `sessions: ${sessions.toLocaleString("en-US")}, trusted devices: ${devices.toLocaleString("en-US")}`);
  await analyze(ctx, "app_sessions", "trusted_devices");
}
