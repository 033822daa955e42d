"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/", label: "Dashboard" },
  { href: "/isps", label: "ISPs" },
  { href: "/hosts", label: "Hosts" },
  { href: "/policies", label: "Policies" },
  { href: "/nat", label: "NAT addresses" },
  { href: "/settings", label: "Settings" },
  { href: "/ruleset", label: "Ruleset" },
  { href: "/status", label: "Live kernel" },
  { href: "/history", label: "History" },
  { href: "/audit", label: "Audit log" },
  { href: "/adopt", label: "Import from gateway" },
];

export function Nav() {
  const path = usePathname();
  return (
    <nav aria-label="Main" className="flex gap-1 overflow-x-auto md:flex-col">
      {LINKS.map((l) => {
        const active = l.href === "/" ? path === "/" : path.startsWith(l.href);
        return (
          <Link
            key={l.href}
            href={l.href}
            aria-current={active ? "page" : undefined}
            className={`whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium ${
              active
                ? "bg-indigo-600 text-white"
                : "text-slate-700 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"
            }`}
          >
            {l.label}
          </Link>
        );
      })}
    </nav>
  );
}
