/** A configuration or connectivity problem the operator must fix; printed as one line, never a stack trace. */
export class DatabaseSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatabaseSetupError";
  }
}

export function describeConnectError(err: unknown, where: string): DatabaseSetupError {
  const e = err as { code?: string; message?: string };
  const reason =
    e.code === "ECONNREFUSED"
      ? "connection refused"
      : e.code === "ENOTFOUND" || e.code === "EAI_AGAIN"
        ? "host not found"
        : e.code === "ETIMEDOUT"
          ? "timed out"
          : e.code === "28P01" || e.code === "28000"
            ? "authentication failed"
            : e.code === "3D000"
              ? "database does not exist"
              : (e.message ?? String(err)).split("\n")[0];
  return new DatabaseSetupError(`Cannot connect to PostgreSQL at ${where} (from DATABASE_URL): ${reason}.`);
}
