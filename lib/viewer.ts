import "server-only";
import { cookies } from "next/headers";
import { safeTimeZone, TZ_COOKIE } from "./time";

export async function viewerTimeZone(): Promise<string> {
  return safeTimeZone((await cookies()).get(TZ_COOKIE)?.value);
}
