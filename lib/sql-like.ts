/** Escapes LIKE wildcards so user text matches literally (`50%` finds "50%", not everything). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `%text%` for a case-insensitive "contains" match against a lower-cased column. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text.toLowerCase())}%`;
}
