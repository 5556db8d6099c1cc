// Import boundaries of Lockstep, checked by `npm run lint` (depcruise app lib db components scripts bench e2e).
// Data flows one way: page or action → lib/<area> → db. Each rule says why it exists.

/** Test code drives the app from outside (actions, routes, nav items) and may reach anything. */
const TESTS = "(\\.test\\.tsx?$|^lib/testing/|^e2e/|^bench/)";

/**
 * The lib modules that speak to Next.js: the request edge (lib/edge/: actions and route handlers), the session
 * (lib/session.ts, lib/auth/) and the viewer's cookies (lib/viewer.ts: the browser's time zone).
 */
const NEXT_AWARE = "^lib/(edge/|session\\.ts|viewer\\.ts|auth/)";

module.exports = {
  forbidden: [
    {
      name: "db-core-is-independent",
      comment:
        "db/schema and db/client (and the other db/ modules the app opens the database with) are the bottom layer: " +
        "drizzle-kit and the migration scripts load them without the app. An import of lib/, app/ or components/ " +
        "would turn the layering upside down and drag app code into migrations. db/seed is exempt on purpose: the " +
        "seed builds the demo with the app's own set-based generators.",
      severity: "error",
      from: { path: "^db/", pathNot: ["^db/seed/", TESTS] },
      to: { path: "^(lib|app|components)/" },
    },
    {
      name: "lib-does-not-import-app",
      comment:
        "app/ (pages, actions, route handlers) calls lib/, never the reverse: a domain service that imports a page " +
        "or an action would run the request edge inside the domain and make areas depend on screens.",
      severity: "error",
      from: { path: "^lib/", pathNot: TESTS },
      to: { path: "^app/" },
    },
    {
      name: "lib-does-not-import-components",
      comment:
        "Domain code does not depend on UI components. The one allowed exception is the navigation table " +
        "(components/shell/nav-items.ts: which area needs which permission), should a lib module need it.",
      severity: "error",
      from: { path: "^lib/", pathNot: TESTS },
      to: { path: "^components/", pathNot: "^components/shell/nav-items\\.ts$" },
    },
    {
      name: "components-do-not-open-the-database",
      comment:
        "components/ holds client and shared UI: it must never reach the database client, which would bundle " +
        "drivers and connection settings for the browser. Components get data through props, actions or routes.",
      severity: "error",
      from: { path: "^components/", pathNot: TESTS },
      to: { path: "^db/" },
    },
    {
      name: "next-only-at-the-edge",
      comment:
        "lib/ is plain TypeScript that tests and scripts run without Next.js. Only the request edge (lib/edge: " +
        "actions and routes), the session and the viewer's cookies read Next's request APIs " +
        "(next/headers, next/navigation, next/server, next/cache…); everything else takes a Ctx. Type-only imports " +
        "are fine: they vanish at build time.",
      severity: "error",
      from: { path: "^lib/", pathNot: [NEXT_AWARE, TESTS] },
      to: { path: "^node_modules/next/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "next-auth-only-in-lib-auth",
      comment:
        "Auth.js is an implementation detail of lib/auth (sign-in, the session cookie); the rest of lib/ asks " +
        "lib/session for the actor, so replacing or upgrading Auth.js touches one folder.",
      severity: "error",
      from: { path: "^lib/", pathNot: ["^lib/auth/", TESTS] },
      to: { path: "^node_modules/(next-auth|@auth/)" },
    },
    // Not a rule (yet): no cycles between lib/<area> folders. Today's areas already form one strongly connected
    // group — e.g. lib/jobs/handlers.ts (the job registry) imports every area's jobs while those areas enqueue
    // through lib/jobs; connectors → auth → people → factors → dashboard → api-scopes → remediation → connectors.
    // Untangling that is a refactor of its own (a composition root outside lib/jobs, dashboard reading rollups
    // instead of area modules); until then a folder-level rule could only fail. Module-level cycles are forbidden.
    {
      name: "no-import-cycles",
      comment:
        "No module imports itself through others (type-only imports aside, they vanish at build time). Cycles make " +
        "load order matter, hide undefined values at start-up and defeat tree-shaking. There are none today.",
      severity: "error",
      from: { pathNot: TESTS },
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Build output and local data are never sources (node_modules stays in: rules look at which packages are used).
    exclude: { path: "^(\\.next|\\.data|dist|test-results|playwright-report)/" },
    // Resolves the @/ alias like TypeScript does.
    tsConfig: { fileName: "tsconfig.json" },
    // `import type` edges are recorded (and marked type-only) so rules can tell them apart.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
    cache: false,
  },
};
