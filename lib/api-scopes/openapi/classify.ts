import type { DataClass } from "../rules";

/**
 * The data-class heuristic for imported endpoints, documented on the import page. Words are taken from the
 * path (parameters left out), operationId, summary, tags and the property names of the success response
 * (three levels deep), split at camelCase and separators. A class applies when one of its words appears.
 * An operation's `x-data-classes: [pii, …]` overrides the guess; every class stays editable afterwards.
 */
export const CLASS_HINTS: readonly { dataClass: DataClass; words: RegExp; examples: string }[] = [
  {
    dataClass: "credentials",
    words:
      /\b(secrets?|passwords?|passwd|tokens?|api ?keys?|credentials?|private ?keys?|access ?keys?|client ?secrets?|otp|mfa|factors?|certificates?)\b/,
    examples: "secret, password, token, api key, credential, private key, factor",
  },
  {
    dataClass: "pii",
    words:
      /\b(e ?mails?|phones?|mobile|address(es)?|first ?name|last ?name|full ?name|birth ?date|date ?of ?birth|dob|ssn|passports?|national ?id|contacts?|users?|customers?|persons?|people|profiles?|employees?|members?|workers?|patients?)\b/,
    examples: "email, phone, address, name, birth date, user, customer, contact, employee, member",
  },
  {
    dataClass: "financial",
    words:
      /\b(cards?|iban|bic|account ?number|routing|invoices?|payments?|payouts?|charges?|refunds?|salary|salaries|payroll|payslips?|billing|bank|tax|balances?|transactions?)\b/,
    examples: "card, iban, invoice, payment, payout, refund, payroll, billing, bank, transaction",
  },
  {
    dataClass: "health",
    words: /\b(diagnos[ie]s|medical|prescriptions?|clinical|allerg(y|ies)|health ?records?|patients?)\b/,
    examples: "diagnosis, medical, prescription, clinical, health record, patient",
  },
  {
    dataClass: "internal",
    words: /\b(logs?|audit|events?|repos?|repositories|configs?|configuration|settings?|metrics?|reports?)\b/,
    examples: "log, audit, event, repository, config, setting, metric, report",
  },
];

/** Lower-case words of identifiers and prose: `lookupByEmail` → "lookup by email", `page_size` → "page size". */
export function wordsOf(parts: readonly string[]): string {
  return parts
    .join(" ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .join(" ");
}

/**
 * A paging token (`next_page_token`, `pageToken`, `continuation token`) is a bookmark into a list, not a secret:
 * a name match on "token" is no evidence that credentials pass through, so these phrases are removed first.
 */
const PAGING_TOKEN =
  / (next |prev |previous )?(page|paging|pagination|continuation|sync|cursor|next|prev|previous|resume|skip) tokens? /g;

export function classify(parts: readonly string[]): DataClass[] {
  const text = ` ${wordsOf(parts)} `.replace(PAGING_TOKEN, "  ").replace(PAGING_TOKEN, "  ");
  return CLASS_HINTS.filter((h) => h.words.test(text)).map((h) => h.dataClass);
}

/** Query parameters that page through a collection; the size ones bound the records per call. */
export const SIZE_PARAM =
  /^(\$?top|limit|page_?size|pagesize|per_?page|perpage|size|count|max_?results|maxresults|first|max_?items|batch_?size)$/i;
export const CURSOR_PARAM =
  /^(cursor|page|offset|\$?skip|page_?token|pagetoken|next|after|before|starting_?after|ending_?before|start|marker|continuation(_?token)?|since_?id)$/i;
