"use client";

import { Bell } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import { formatDateTime, formatRelative } from "@/lib/time";
import { markNoticesReadAction } from "./actions";

export type NoticeItem = {
  id: number;
  kind: string;
  title: string;
  body: string;
  href: string | null;
  createdAt: string;
  readAt: string | null;
};

/** How often the bell asks for new notices while the tab is visible. */
const POLL_MS = 60_000;

/**
 * The header's bell: the signed-in person's in-app notices (a break-glass approval asked of them, a recovery or
 * emergency grant made for them), unread first in count, newest first in the list. Opening one marks it read and
 * goes to what it is about.
 */
export function NoticeBell({
  initial,
  unread: initialUnread,
  tz,
}: {
  initial: NoticeItem[];
  unread: number;
  tz: string;
}) {
  const router = useRouter();
  const [items, setItems] = useState(initial);
  const [unread, setUnread] = useState(initialUnread);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);

  // A server render (navigation, refresh after an action) brings fresher notices than the last poll.
  useEffect(() => {
    setItems(initial);
    setUnread(initialUnread);
  }, [initial, initialUnread]);

  const poll = useCallback(async () => {
    const res = await fetch("/api/notices", { cache: "no-store" }).catch(() => null);
    if (!res?.ok) return;
    const data = (await res.json()) as { items: NoticeItem[]; unread: number };
    setItems(data.items);
    setUnread(data.unread);
  }, []);

  useEffect(() => {
    const t = setInterval(() => {
      if (document.visibilityState === "visible") void poll();
    }, POLL_MS);
    return () => clearInterval(t);
  }, [poll]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const markRead = async (ids?: number[]) => {
    setError(null);
    const before = { items, unread };
    const now = new Date().toISOString();
    setItems((xs) => xs.map((n) => (!ids || ids.includes(n.id) ? { ...n, readAt: n.readAt ?? now } : n)));
    setUnread((u) => (ids ? Math.max(0, u - items.filter((n) => ids.includes(n.id) && !n.readAt).length) : 0));
    const res = await markNoticesReadAction(ids ? { noticeIds: ids } : {});
    if (!res.ok) {
      setItems(before.items);
      setUnread(before.unread);
      setError(res.message);
    }
  };

  const now = new Date();
  return (
    <div ref={box} className="relative">
      <button
        type="button"
        onClick={() => {
          setOpen((o) => !o);
          if (!open) void poll();
        }}
        aria-expanded={open}
        aria-haspopup="dialog"
        aria-label={unread ? `Notices: ${unread} unread` : "Notices"}
        className="relative flex size-8 items-center justify-center rounded-md text-slate-600 hover:bg-slate-100 hover:text-slate-900"
        data-testid="notice-bell"
      >
        <Bell className="size-4" aria-hidden />
        {unread ? (
          <span className="absolute -top-0.5 -right-0.5 flex h-4 min-w-4 items-center justify-center rounded-full bg-red-600 px-1 text-[10px] font-semibold text-white tabular-nums">
            {unread > 99 ? "99+" : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <div
          role="dialog"
          aria-label="Notices"
          className="absolute right-0 z-20 mt-2 w-96 max-w-[calc(100vw-2rem)] rounded-lg border border-slate-200 bg-white shadow-lg"
        >
          <div className="flex items-center justify-between border-b border-slate-200 px-3 py-2">
            <h2 className="text-sm font-semibold text-slate-900">Notices</h2>
            {unread ? (
              <button type="button" className="text-xs text-indigo-700 hover:underline" onClick={() => void markRead()}>
                Mark all read
              </button>
            ) : null}
          </div>
          {error ? (
            <p role="alert" className="px-3 py-2 text-xs text-red-700">
              {error}
            </p>
          ) : null}
          {items.length === 0 ? (
            <p className="px-3 py-6 text-center text-sm text-slate-500">
              Nothing yet. Approvals asked of you and access granted to you show here.
            </p>
          ) : (
            <ul className="max-h-[28rem] divide-y divide-slate-100 overflow-y-auto" aria-label="Latest notices">
              {items.map((n) => {
                const body = (
                  <>
                    <span className="flex items-start gap-2">
                      <span
                        className={cn(
                          "mt-1.5 size-2 shrink-0 rounded-full",
                          n.readAt ? "bg-transparent" : "bg-indigo-600",
                        )}
                        aria-hidden
                      />
                      <span className="min-w-0">
                        <span
                          className={cn("block text-sm", n.readAt ? "text-slate-700" : "font-medium text-slate-900")}
                        >
                          {n.title}
                          {n.readAt ? null : <span className="sr-only"> (unread)</span>}
                        </span>
                        <span className="line-clamp-2 block text-xs text-slate-600">{n.body}</span>
                        <span className="block text-[11px] text-slate-400" title={formatDateTime(n.createdAt, tz)}>
                          {formatRelative(n.createdAt, now)}
                        </span>
                      </span>
                    </span>
                  </>
                );
                const cls = "block w-full px-3 py-2 text-left hover:bg-slate-50";
                return (
                  <li key={n.id}>
                    {n.href ? (
                      <Link
                        href={n.href}
                        className={cls}
                        onClick={() => {
                          setOpen(false);
                          if (!n.readAt) void markRead([n.id]).then(() => router.refresh());
                        }}
                      >
                        {body}
                      </Link>
                    ) : (
                      <button type="button" className={cls} onClick={() => !n.readAt && void markRead([n.id])}>
                        {body}
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      ) : null}
    </div>
  );
}
