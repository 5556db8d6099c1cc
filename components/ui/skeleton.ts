/**
 * Keys for a loading skeleton's placeholder blocks. The blocks are fixed and never reorder, so a slot's name
 * (prefix and position, computed once at module level) identifies it for as long as the skeleton is shown.
 */
export function slotKeys(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
}
