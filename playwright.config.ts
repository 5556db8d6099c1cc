import { defineConfig } from "@playwright/test";

/**
 * Persona journeys in Debian's Chromium (`npx playwright install` cannot download browsers here).
 * e2e/support/global-setup.ts prepares the database, the local OpenID provider and `next start`.
 */
export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/support/global-setup.ts",
  workers: 2,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // Generous for 2 cores: a journey that opens every area makes nine full page loads.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.LOCKSTEP_CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-gpu",
      ],
    },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    // Signs in as each persona from the sign-in page (checking navigation and header) and saves the session.
    { name: "sign-in", testMatch: /.*\.setup\.ts$/ },
    // Every endpoint with anonymous, wrong-role, malformed and replayed calls (e2e/abuse.spec.ts). It runs alone,
    // before the journeys, so its "nothing was written" check (the audit head) sees no journey's writes.
    { name: "abuse", testMatch: /abuse\.spec\.ts$/, dependencies: ["sign-in"] },
    { name: "journeys", testMatch: /.*\.spec\.ts$/, testIgnore: /abuse\.spec\.ts$/, dependencies: ["abuse"] },
  ],
});
