import { OWN_SETTINGS } from "@/lib/systems/schemas";
import { ConnectorError, type ProbeStep } from "./types";

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * fetch with a deadline (AbortSignal.timeout) that turns transport failures into retryable ConnectorErrors.
 * The message names the system and the call, never a secret or a token.
 */
export async function send(what: string, url: string, init: RequestInit & { timeoutMs?: number }): Promise<Response> {
  const timeoutMs = init.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
  } catch (err) {
    const name = (err as Error)?.name;
    if (name === "TimeoutError" || name === "AbortError")
      throw new ConnectorError(`${what}: timed out after ${timeoutMs} ms`, true);
    const cause = (err as { cause?: { code?: string } })?.cause?.code;
    throw new ConnectorError(`${what}: network error${cause ? ` (${cause})` : ""}`, true);
  }
}

/** 408, 429 and 5xx are worth retrying; any other failure needs a person (bad credentials, bad request…). */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Throws the ConnectorError for an unexpected HTTP status, with the peer's own short explanation. */
export async function failFor(what: string, res: Response): Promise<never> {
  let detail = "";
  try {
    const text = (await res.text()).slice(0, 2000);
    try {
      const body = JSON.parse(text) as Record<string, unknown>;
      detail = String(body.detail ?? body.error_description ?? body.error ?? body.message ?? "").slice(0, 200);
    } catch {
      detail = text.replace(/\s+/g, " ").trim().slice(0, 120);
    }
  } catch {
    // body unreadable: the status says enough
  }
  const hint = res.status === 401 || res.status === 403 ? " — check the connector's credentials and permissions" : "";
  throw new ConnectorError(
    `${what}: ${res.status} ${res.statusText || ""}`.trim() + (detail ? ` (${detail})` : "") + hint,
    isRetryableStatus(res.status),
    res.status,
  );
}

export function secretFor(envName: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  // The form refuses Lockstep's own settings; a config written straight into the database must not name them either,
  // or whoever owns the database could have the audit signing key (or AUTH_SECRET) sent to a URL of their choosing.
  if (envName && OWN_SETTINGS.test(envName))
    throw new ConnectorError(`connector secret ${envName} is one of Lockstep's own settings, never sent`, false);
  const value = envName ? env[envName] : undefined;
  if (!value)
    throw new ConnectorError(`connector secret ${envName ?? "(not configured)"} is not set in the environment`, false);
  return value;
}

/**
 * One call of a connection test (probe.ts): sends, times and reads the answer, never throws. `read` turns a 2xx
 * body into a line; a failure keeps the target's own explanation, as failFor says it.
 */
export async function probeCall(
  what: string,
  url: string,
  init: RequestInit & { timeoutMs?: number },
  read: (body: unknown) => string,
): Promise<ProbeStep> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  let res: Response;
  try {
    res = await send(what, url, init);
  } catch (err) {
    return { call: what, url, status: null, latencyMs: latency(), ok: false, answer: (err as Error).message };
  }
  const ms = latency();
  if (!res.ok) {
    const answer = await failFor(what, res).catch((err: Error) => err.message);
    return { call: what, url, status: res.status, latencyMs: ms, ok: false, answer };
  }
  const text = await res.text().catch(() => "");
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: the reader gets the text
  }
  let answer: string;
  try {
    answer = read(body);
  } catch {
    answer = "answered, but not in the expected shape";
  }
  return { call: what, url, status: res.status, latencyMs: ms, ok: true, answer: answer.slice(0, 300) };
}
