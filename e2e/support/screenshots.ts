import path from "node:path";

/**
 * Where journeys save their screenshots: test-results/screenshots (ignored) on every run, so `npm test` leaves a
 * clean clone clean; `npm run screenshots` runs the journeys with LOCKSTEP_SCREENSHOTS=readme to refresh the
 * README's images in e2e/screenshots.
 */
export const SHOTS =
  process.env.LOCKSTEP_SCREENSHOTS === "readme"
    ? path.join(__dirname, "..", "screenshots")
    : path.join(__dirname, "..", "..", "test-results", "screenshots");
