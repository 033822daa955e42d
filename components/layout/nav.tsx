"use client";
// The main navigation: a sidebar from md up; on a phone one "Menu" button that opens the
// whole list (closed again when a page is chosen), so no item hides off-screen.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";

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
  { href: "/account", label: "Account" },
];

/** footer: the user and Log out, shown with the menu on a phone and at the sidebar's foot from md up. */
export function Nav({ footer }: { footer?: React.ReactNode }) {
  const path = usePathname();
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [path]);
  const current = LINKS.find((l) => (l.href === "/" ? path === "/" : path.startsWith(l.href)));
  return (
    <>
      <button
        type="button"
        aria-expanded={open}
        aria-controls="main-nav"
        onClick={() => setOpen(!open)}
        className="absolute top-3 right-3 inline-flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-100 md:hidden dark:ring-slate-700 dark:hover:bg-slate-800"
      >
        <span aria-hidden>{open ? "✕" : "☰"}</span> Menu{current && !open ? <span className="sr-only">, on {current.label}</span> : null}
      </button>
      <nav id="main-nav" aria-label="Main" className={`${open ? "flex" : "hidden"} flex-col gap-1 md:flex`}>
        {LINKS.map((l) => {
          const active = l === current;
          return (
            <Link
              key={l.href}
              href={l.href}
              aria-current={active ? "page" : undefined}
              className={`whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium ${
                active ? "bg-indigo-600 text-white" : "text-slate-700 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"
              }`}
            >
              {l.label}
            </Link>
          );
        })}
      </nav>
      {footer && (
        <div
          className={`${open ? "flex" : "hidden"} mt-3 items-center justify-between gap-2 border-t border-slate-200 px-2 pt-3 text-sm md:mt-auto md:flex dark:border-slate-800`}
        >
          {footer}
        </div>
      )}
    </>
  );
}
