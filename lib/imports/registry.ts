import { NotFound } from "@/lib/errors";
import type { AnyImportKind, ImportKind } from "./types";

const kinds = new Map<string, AnyImportKind>();

/** Declares a kind with its types checked; `registerKind` makes it known to the pipeline. */
export const defineKind = <P, O, S>(kind: ImportKind<P, O, S>): ImportKind<P, O, S> => kind;

/** Adds a kind to the pipeline (lib/imports/kinds.ts registers the product's kinds at load). */
export function registerKind(kind: AnyImportKind): void {
  const existing = kinds.get(kind.kind);
  if (existing && existing !== kind) throw new Error(`Import kind ${kind.kind} is registered twice.`);
  kinds.set(kind.kind, kind);
}

/** The kind's adapter; an unknown name is NotFound (a run of a kind this build no longer has included). */
export function kindOf(name: string): AnyImportKind {
  const kind = kinds.get(name);
  if (!kind) throw new NotFound(`The import kind "${name}"`);
  return kind;
}

export const kindNames = (): string[] => [...kinds.keys()].sort();
