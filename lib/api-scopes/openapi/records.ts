import { wordsOf } from "./classify";

/**
 * What the records of a response are, and whether a call takes many identifiers at once. Bulk is not only a paged
 * list: an operation that accepts many identifiers in one call (an array parameter, a comma-separated list, a
 * body array) and returns people hands out as many people per call as it accepts identifiers; and a lookup by
 * email or phone that maps contact data to accounts is the enumeration risk (the 2022 lookup that tied 5.4
 * million phone numbers and emails to accounts), however few records one call returns.
 */
export type RecordType = "people" | "messages" | "posts" | "records";

const MESSAGE_NAME = /\b(messages?|dms?|direct messages?|conversations?|chats?|inbox)\b/;
const MESSAGE_PROPS = /\b(recipients?|sender|conversation id|thread id|dm conversation id)\b/;
const POST_NAME = /\b(posts?|tweets?|status(es)?|articles?|comments?|stories|story|media|feeds?|timelines?)\b/;
const POST_PROPS = /\b(likes?|like count|retweets?|retweet count|reply count|replies|permalink)\b/;
const PERSON_NAME =
  /\b(users?|persons?|people|members?|customers?|contacts?|employees?|accounts?|profiles?|patients?|followers?)\b/;
/** Fields that identify or reach a person: a record carrying them is about people. */
const PERSON_PROPS =
  /\b(e ?mails?|phones?|phone numbers?|mobile|first ?name|last ?name|full ?name|display ?name|user ?name|screen ?name|birth ?date|date of birth)\b/;
/** Fields that are personal data whatever else the record is (an address on a card, a customer's name on an order). */
export const CONTACT_FIELD =
  /\b(e ?mails?|phones?|phone numbers?|mobile|address(es)?|birth ?date|date of birth|(first|last|full|display|customer|user|member|employee|patient|contact|holder) ?names?)\b/;
/** An input that carries contact data: a lookup by it maps contact data to accounts. */
export const CONTACT_INPUT = /\b(e ?mails?|phones?|phone numbers?|mobiles?|msisdns?)\b/;

/** A record type from the schema's name (its `$ref` or title) and its own property names. */
export function recordType(name: string | null, properties: readonly string[]): RecordType {
  const n = ` ${wordsOf([name ?? ""])} `;
  const p = ` ${wordsOf(properties)} `;
  if (MESSAGE_NAME.test(n)) return "messages";
  if (POST_NAME.test(n)) return "posts";
  if (PERSON_NAME.test(n)) return "people";
  if (MESSAGE_PROPS.test(p)) return "messages";
  if (POST_PROPS.test(p)) return "posts";
  if (PERSON_PROPS.test(p)) return "people";
  return "records";
}

/** Does a parameter (or body field) take many values in one call? */
export function takesMany(schema: unknown, description: unknown, style: unknown, explode: unknown): boolean {
  const s = schema as { type?: unknown } | undefined;
  if (s && s.type === "array") return true;
  if (style === "form" && explode === false) return true;
  return (
    typeof description === "string" && /comma[- ]?(separated|delimited)|up to \d+ (ids|identifiers)/i.test(description)
  );
}
