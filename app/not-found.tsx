import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center px-6 text-center">
      <p className="text-xs font-semibold tracking-widest text-slate-500 uppercase">404 · Not found</p>
      <h1 className="mt-2 text-xl font-semibold text-slate-900">Nothing here</h1>
      <p className="mt-2 max-w-md text-sm text-slate-600">
        The page or record does not exist, or is outside what your role can see.
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
