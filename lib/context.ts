import "server-only";
import type { Db } from "@/db/client";
import type { Actor } from "@/lib/authz/actor";

/** Everything a service function needs: who acts, on which database (or transaction), and "now". */
export type Ctx = {
  actor: Actor;
  db: Db;
  now: Date;
  /** Request facts for the audit log (ip, user agent, request id); absent for jobs. */
  request?: { ip?: string; userAgent?: string; requestId?: string };
};

export function makeCtx(actor: Actor, db: Db, now = new Date(), request?: Ctx["request"]): Ctx {
  return { actor, db, now, request };
}

/** Runs fn in one transaction; fn receives a ctx whose db is the transaction (nested calls use savepoints). */
export function transact<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  return ctx.db.transaction((tx) => fn({ ...ctx, db: tx as unknown as Db }));
}
