import "./kinds";

export { confirmRun } from "./confirm";
export { TooLarge } from "./file-stream";
export { type IngestProgress, ingest } from "./ingest";
export type { RunView } from "./load";
export { defineKind, kindNames, kindOf, registerKind } from "./registry";
export { NOT_IMPORTED_CSV_HEADER, notImportedCsvRows } from "./report";
export { discardRun, getRun, listRows, startRun } from "./runs";
export * from "./schemas";
export type * from "./types";
