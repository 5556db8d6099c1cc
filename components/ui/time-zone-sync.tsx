"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Tells the server the browser's time zone (a cookie) so server-rendered times show in the viewer's zone. */
export function TimeZoneSync() {
  const router = useRouter();
  useEffect(() => {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const current = document.cookie.match(/(?:^|; )tz=([^;]+)/)?.[1];
    if (tz && decodeURIComponent(current ?? "") !== tz) {
      // biome-ignore lint/suspicious/noDocumentCookie: the write must be synchronous so the refresh below already carries it, and the async Cookie Store API is not in every browser the console supports.
      document.cookie = `tz=${encodeURIComponent(tz)}; path=/; max-age=31536000; samesite=lax`;
      router.refresh();
    }
  }, [router]);
  return null;
}
