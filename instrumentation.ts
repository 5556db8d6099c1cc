/** Runs once when the Next.js server starts: open the database and apply pending migrations. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { prepareServer } = await import("./lib/startup");
    await prepareServer();
  }
}
