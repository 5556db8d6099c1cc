import type { Metadata } from "next";
import { PassEnrolment } from "./pass-enrolment";

export const metadata: Metadata = { title: "Recover with an enrolment pass" };
export const dynamic = "force-dynamic";

/** Public: where a locked-out console user redeems the one-time pass of an approved break-glass recovery. */
export default async function EnrolPage({ searchParams }: { searchParams: Promise<{ pass?: string | string[] }> }) {
  const { pass } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-50 p-6">
      <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold text-slate-900">Recover with an enrolment pass</h1>
        <p className="mt-2 mb-6 text-sm text-slate-600">
          Two approvers approved your account recovery and handed you a one-time pass. Use it once, within its time, to
          enrol a new passkey on this device.
        </p>
        <PassEnrolment initialPass={typeof pass === "string" ? pass.slice(0, 100) : ""} />
      </div>
    </main>
  );
}
