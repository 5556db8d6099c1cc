"use server";

import { defineAction } from "@/lib/edge/action";
import { confirmInput, confirmRun, discardRun, runInput } from "@/lib/imports";
import { saveMapping, saveMappingInput } from "@/lib/imports/mappings";

// Wiring only: imports.run lets a caller in; the pipeline checks the run's own kind permission.

export const confirmImportAction = defineAction({
  name: "import.apply",
  permission: "imports.run",
  input: confirmInput,
  run: ({ ctx, input }) => confirmRun(ctx, input),
});

export const discardImportAction = defineAction({
  name: "import.discard",
  permission: "imports.run",
  input: runInput,
  run: ({ ctx, input }) => discardRun(ctx, input),
});

export const saveMappingAction = defineAction({
  name: "import.mapping_save",
  permission: "imports.run",
  input: saveMappingInput,
  run: ({ ctx, input }) => saveMapping(ctx, input),
});
