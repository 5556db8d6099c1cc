import { ShieldAlert } from "lucide-react";
import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center px-6 text-center">
      <ShieldAlert className="mb-4 size-10 text-red-500" aria-hidden />
      <p className="text-xs font-semibold tracking-widest text-red-600 uppercase">403 · Forbidden</p>
      <h1 className="mt-2 text-xl font-semibold text-slate-900">You do not have access to this page</h1>
      <p className="mt-2 max-w-md text-sm text-slate-600">
        Your console roles do not include the permission this page needs. If you think they should, ask a Lockstep
        administrator.
      </p>
      <Link
        href="/"
        className="mt-6 rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700"
      >
        Back to your start page
      </Link>
    </main>
  );
}
