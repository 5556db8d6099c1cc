import type { Metadata } from "next";
import { TimeZoneSync } from "@/components/ui/time-zone-sync";
import { inter } from "./fonts";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Lockstep", template: "%s · Lockstep" },
  description: "Identity governance: leavers, factor strength, API scopes, break-glass.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className={inter.variable}>
      <body className="min-h-screen font-sans text-sm">
        <TimeZoneSync />
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
