import { allFakers } from "@faker-js/faker";

/**
 * Name pools for the generated people, drawn once from faker with a fixed seed per locale so the same
 * lists come out on every run. SQL then picks a locale and a first/last name by hashing the identity id,
 * which keeps first and last names from the same culture (no "Aadrika Müller").
 */
export type NamePool = { locale: string; weight: number; first: string[]; last: string[] };

const LOCALES: readonly (readonly [keyof typeof allFakers, number])[] = [
  ["en_US", 38],
  ["en_IN", 12],
  ["es", 9],
  ["de", 6],
  ["fr", 5],
  ["it", 4],
  ["pt_BR", 4],
  ["nl", 3],
  ["pl", 3],
  ["sv", 3],
  ["en_NG", 3],
  ["yo_NG", 2],
  ["vi", 3],
  ["en_ZA", 3],
];

const PER_POOL = 160;

function flatten(list: unknown): string[] {
  if (!list) return [];
  if (Array.isArray(list)) return list as string[];
  return Object.values(list as Record<string, string[]>).flat();
}

/** ASCII letters only, for email addresses: "José Müller" → "jose", "muller". */
export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/ø/g, "o")
    .replace(/æ/g, "ae")
    .replace(/ł/g, "l")
    .replace(/đ/g, "d")
    .replace(/ı/g, "i")
    .normalize("NFD")
    .replace(/[^a-z]/g, "");
}

let cached: NamePool[] | null = null;

export function namePools(): NamePool[] {
  if (cached) return cached;
  cached = LOCALES.map(([locale, weight], i) => {
    const f = allFakers[locale];
    f.seed(20_240_601 + i);
    const person = f.rawDefinitions.person ?? {};
    // Vietnamese given names have two words; elsewhere one word keeps emails tidy.
    const usable = (names: string[], spaces: boolean) =>
      [...new Set(names)]
        .filter((n) => slug(n).length >= 2 && n.length <= 14 && !n.includes("-") && (spaces || !/\s/.test(n.trim())))
        .sort();
    const first = f.helpers.shuffle(usable(flatten(person.first_name), locale === "vi")).slice(0, PER_POOL);
    const last = f.helpers.shuffle(usable(flatten(person.last_name), false)).slice(0, PER_POOL);
    return { locale, weight, first, last };
  });
  return cached;
}
