import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "./support/test";

/**
 * Hardening: nothing secret ships to the browser. The built client files (what any visitor can download) must not
 * name the server's secret settings, hold connection strings or key material, or carry the value of any secret in
 * this process's environment (the e2e run's own tokens and keys).
 */
const DIST = path.join(__dirname, "..", process.env.NEXT_DIST_DIR || ".next", "static");

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && /\.(js|css|json|txt|map)$/.test(f.name))
    .map((f) => path.join(f.parentPath, f.name));
}

test("the built client files hold no secret names, connection strings, keys or secret values", () => {
  const all = files(DIST);
  expect(all.length).toBeGreaterThan(10);
  const forbidden: (string | RegExp)[] = [
    "DATABASE_URL",
    "AUTH_SECRET",
    "LOCKSTEP_ENCRYPTION_KEY",
    "LOCKSTEP_OIDC_CLIENT_SECRET",
    "LOCKSTEP_AUDIT_SIGNING_KEY",
    /postgres(ql)?:\/\/[^"'\s]*@/,
    /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  ];
  // Values of this environment's secrets, where long enough to be unmistakable.
  for (const [name, value] of Object.entries(process.env)) {
    if (/SECRET|TOKEN|PASSWORD|_KEY$/.test(name) && value && value.length >= 12) forbidden.push(value);
  }
  const found: string[] = [];
  for (const file of all) {
    const text = readFileSync(file, "utf8");
    for (const f of forbidden) {
      if (typeof f === "string" ? text.includes(f) : f.test(text)) {
        found.push(`${path.relative(DIST, file)}: ${typeof f === "string" && f.length > 40 ? "a secret value" : f}`);
      }
    }
  }
  expect(found).toEqual([]);
});
