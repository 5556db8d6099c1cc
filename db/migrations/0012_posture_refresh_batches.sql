-- refresh_identity_posture, as lib/factors/posture-sql.ts writes it now.
-- next_change_at is when the row goes stale without any write (a factor or a privileged grant expiring);
-- the posture.expire job refreshes rows whose time has come. Everyone (ids NULL) goes in batches of 20,000
-- people through the same statement, so the statement has one shape and one cached generic plan (index
-- lookups per person): planning it afresh would cost more than running it.
CREATE OR REPLACE FUNCTION refresh_identity_posture(ids integer[], at timestamptz DEFAULT now()) RETURNS void
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  lo integer := 0;
  top integer;
BEGIN
  IF ids IS NULL THEN
    SELECT max(id) INTO top FROM identities;
    WHILE lo <= coalesce(top, -1) LOOP
      PERFORM refresh_identity_posture(ARRAY(SELECT id FROM identities WHERE kind = 'human' AND id > lo AND id <= lo + 20000), at);
      lo := lo + 20000;
    END LOOP;
    RETURN;
  END IF;
  -- Someone who is no longer a person (or no longer exists) has no posture.
  DELETE FROM identity_posture p WHERE p.identity_id = ANY(ids)
     AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.id = p.identity_id AND i.kind = 'human');
  WITH target AS (
    SELECT i.id, i.department_id, i.status FROM identities i
     WHERE i.kind = 'human' AND i.id = ANY(ids)
  ), factors AS (
    SELECT a.identity_id,
           max(factor_strength(a.type, a.usage, a.user_verification)) FILTER (WHERE a.usage = 'primary') AS best_primary,
           min(factor_strength(a.type, a.usage, a.user_verification)) FILTER (WHERE a.usage = 'recovery') AS weakest_recovery,
           bool_or(a.usage = 'primary' AND factor_phishing_resistant(a.type, a.user_verification)) AS phishing_resistant,
           min(a.expires_at) AS next_expiry
      FROM authenticators a
     WHERE a.identity_id IN (SELECT id FROM target)
       AND a.status = 'active' AND (a.expires_at IS NULL OR a.expires_at > at)
     GROUP BY a.identity_id
  ), privileged_accounts AS (
    -- Active accounts holding at least one live privileged grant: one entry per account.
    SELECT ac.identity_id, ac.system_id, ac.id, min(gr.expires_at) AS next_expiry
      FROM accounts ac
      JOIN grants gr ON gr.account_id = ac.id AND gr.revoked_at IS NULL AND (gr.expires_at IS NULL OR gr.expires_at > at)
      JOIN entitlements e ON e.id = gr.entitlement_id AND e.privileged
     WHERE ac.identity_id IN (SELECT id FROM target) AND ac.status = 'active'
     GROUP BY ac.identity_id, ac.system_id, ac.id
  ), privileged AS (
    SELECT identity_id, array_agg(system_id ORDER BY system_id, id) AS systems, min(next_expiry) AS next_expiry
      FROM privileged_accounts GROUP BY identity_id
  )
  INSERT INTO identity_posture AS p (identity_id, department_id, active, primary_strength, recovery_strength,
                                     effective_strength, phishing_resistant, has_privileged, privileged_system_ids,
                                     next_change_at, updated_at)
  SELECT t.id, t.department_id, t.status = 'active',
         coalesce(f.best_primary, 0),
         f.weakest_recovery,
         least(coalesce(f.best_primary, 0), coalesce(f.weakest_recovery, f.best_primary, 0)),
         coalesce(f.phishing_resistant, false),
         pv.identity_id IS NOT NULL,
         coalesce(pv.systems, '{}'::integer[]),
         least(f.next_expiry, pv.next_expiry),
         at
    FROM target t
    LEFT JOIN factors f ON f.identity_id = t.id
    LEFT JOIN privileged pv ON pv.identity_id = t.id
  ON CONFLICT (identity_id) DO UPDATE SET
    department_id = excluded.department_id, active = excluded.active,
    primary_strength = excluded.primary_strength, recovery_strength = excluded.recovery_strength,
    effective_strength = excluded.effective_strength, phishing_resistant = excluded.phishing_resistant,
    has_privileged = excluded.has_privileged, privileged_system_ids = excluded.privileged_system_ids,
    next_change_at = excluded.next_change_at, updated_at = excluded.updated_at;
END $$;
