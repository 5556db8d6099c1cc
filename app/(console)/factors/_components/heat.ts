/**
 * Heatmap cell shading by share of the row: one blue ramp from light to dark (ordered in lightness, so it reads
 * the same with any colour-vision deficiency and in grey-scale). The count and the share are always printed;
 * the shade only helps the eye find the big cells.
 */
export const HEAT_STEPS = [
  { below: 0.0001, className: "bg-white text-slate-300", label: "0%" },
  { below: 0.05, className: "bg-[#eff6ff] text-slate-800", label: "< 5%" },
  { below: 0.15, className: "bg-[#dbeafe] text-slate-900", label: "5–15%" },
  { below: 0.3, className: "bg-[#93c5fd] text-slate-950", label: "15–30%" },
  { below: 0.5, className: "bg-[#3b82f6] text-white", label: "30–50%" },
  { below: Infinity, className: "bg-[#1e40af] text-white", label: "≥ 50%" },
] as const;

export function heatClass(share: number): string {
  return (HEAT_STEPS.find((s) => share < s.below) ?? HEAT_STEPS[HEAT_STEPS.length - 1]).className;
}

export const STRENGTHS = [0, 1, 2, 3, 4, 5] as const;

export const pctText = (part: number, whole: number) => (whole ? `${Math.round((100 * part) / whole)}%` : "–");

/** Column headings: the scale's words, short enough for a column. */
export const STRENGTH_SHORT = [
  "None",
  "Non-conformant",
  "Restricted",
  "AAL2",
  "Phishing-res. AAL2",
  "Phishing-res. AAL3",
] as const;
