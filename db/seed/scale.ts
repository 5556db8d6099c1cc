/**
 * The two sizes of the same organisation. Everything else (mixes, rates, the story) is shared, so a demo
 * database and a 100k-person database have the same shape and only differ in counts.
 */
export type Scale = "demo" | "large";

export type ScaleParams = {
  /** Human identities in total, story people included. */
  humans: number;
  /** Non-human identities per human (service accounts, API clients, AI agents), besides the story ones. */
  nhiPerHuman: number;
  /** Split the eleven departments into teams (third level of the tree). */
  teams: boolean;
  /** Systems generated beyond the ~40 named ones. */
  generatedSystems: number;
  /** Break-glass requests generated beyond the story ones (history). */
  breakGlassGenerated: number;
  /** Identities per chunk for the large set-based steps (progress lines per chunk). */
  chunk: number;
  /** Share of console-manager sign-ins per workday in the audit history (keeps large-scale history bounded). */
  managerSignInRate: number;
};

export const SCALES: Record<Scale, ScaleParams> = {
  demo: {
    humans: 300,
    nhiPerHuman: 0.06,
    teams: false,
    generatedSystems: 0,
    breakGlassGenerated: 4,
    chunk: 100_000,
    managerSignInRate: 0.35,
  },
  large: {
    humans: 100_000,
    nhiPerHuman: 0.05,
    teams: true,
    generatedSystems: 360,
    breakGlassGenerated: 600,
    chunk: 20_000,
    managerSignInRate: 0.04,
  },
};
