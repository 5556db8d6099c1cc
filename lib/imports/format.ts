/** "5 MB", "800 kB": limits as the pages and messages state them (no Node imports: the browser uses it too). */
export const formatBytes = (n: number) =>
  n >= 1_000_000 ? `${+(n / 1_000_000).toFixed(1)} MB` : `${Math.ceil(n / 1_000)} kB`;
