import "./load-env";
import { DatabaseSetupError } from "@/db/errors";
import { toFailure } from "@/lib/errors";

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

/** A command line the script cannot run: printed with the usage, exit 2. */
export class Usage extends Error {}

/**
 * Runs a CLI command that acts through a lib service: a Usage error exits 2; "the embedded database is in use" gets
 * `whileServerRuns` added (what to do instead); a refusal from the service prints its message (and field errors)
 * without a stack trace and exits 1.
 */
export function runCommand(
  main: () => Promise<void>,
  whileServerRuns: string,
  /** Said after a refusal unless its message already says so (an import: "Nothing was written."). */
  afterRefusal?: { text: string; unless: RegExp },
): void {
  runScript(async () => {
    try {
      await main();
    } catch (err) {
      if (err instanceof Usage) {
        console.error(err.message);
        process.exitCode = 2;
      } else if (err instanceof DatabaseSetupError) {
        throw /in use by process/.test(err.message) ? new DatabaseSetupError(`${err.message} ${whileServerRuns}`) : err;
      } else {
        const failure = toFailure(err);
        console.error(`lockstep: ${failure.message}`);
        for (const lines of Object.values(failure.fieldErrors ?? {}))
          for (const line of lines) console.error(`  ${line}`);
        if (afterRefusal && !afterRefusal.unless.test(failure.message)) console.error(afterRefusal.text);
        process.exitCode = 1;
      }
    }
  });
}
