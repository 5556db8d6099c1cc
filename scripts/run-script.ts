import "./load-env";
import { DatabaseSetupError } from "@/db/errors";

/** Runs a CLI entry point: setup errors print one clear line (no stack trace) and exit 1. */
export function runScript(main: () => Promise<void>): void {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (err: unknown) => {
      if (err instanceof DatabaseSetupError) {
        console.error(`lockstep: ${err.message}`);
      } else {
        console.error(err);
      }
      process.exit(1);
    },
  );
}
