"use client";
import { useEffect, useId, useState } from "react";

/**
 * A titled region: its heading names it for screen readers and tests (getByRole("region", { name })).
 * With an `anchor` it is a target of the page's jump list; `collapsible` adds a Hide/Show button
 * beside the heading (outside it, so the region's name stays the title).
 */
export function Section({
  title,
  description,
  actions,
  children,
  className = "",
  anchor,
  collapsible = false,
  defaultOpen = true,
}: {
  title: string;
  description?: React.ReactNode;
  actions?: React.ReactNode;
  children: React.ReactNode;
  className?: string;
  anchor?: string;
  collapsible?: boolean;
  defaultOpen?: boolean;
}) {
  const id = useId();
  const bodyId = `${id}-body`;
  const [open, setOpen] = useState(defaultOpen);
  // following a jump-list link to a closed section opens it
  useEffect(() => {
    if (!anchor) return;
    const follow = () => window.location.hash === `#${anchor}` && setOpen(true);
    follow();
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, [anchor]);
  return (
    <section id={anchor} aria-labelledby={id} className={`min-w-0 scroll-mt-4 ${className}`}>
      <div className="mb-3 flex flex-wrap items-end justify-between gap-2">
        <div className="min-w-0">
          <div className="flex items-center gap-2">
            <h2 id={id} className="text-lg font-semibold tracking-tight">
              {title}
            </h2>
            {collapsible && (
              <button
                type="button"
                aria-expanded={open}
                aria-controls={bodyId}
                aria-label={`${open ? "Hide" : "Show"} ${title}`}
                onClick={() => setOpen(!open)}
                className="rounded px-1.5 py-0.5 text-xs font-medium text-slate-600 ring-1 ring-slate-300 hover:bg-slate-100 dark:text-slate-400 dark:ring-slate-700 dark:hover:bg-slate-800"
              >
                {open ? "Hide" : "Show"}
              </button>
            )}
          </div>
          {description && open && <p className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">{description}</p>}
        </div>
        {open && actions}
      </div>
      <div id={bodyId} hidden={!open}>
        {children}
      </div>
    </section>
  );
}

export function OwnerBadge({ owned }: { owned: boolean }) {
  return owned ? (
    <span className="inline-flex items-center rounded-full bg-indigo-100 px-2 py-0.5 text-xs font-medium text-indigo-800 dark:bg-indigo-900/50 dark:text-indigo-300">
      Switchyard
    </span>
  ) : (
    <span className="inline-flex items-center rounded-full border border-slate-300 px-2 py-0.5 text-xs font-medium text-slate-500 dark:border-slate-700 dark:text-slate-400">
      foreign
    </span>
  );
}

/** Row styling: foreign rows are muted. */
export const rowTone = (owned: boolean) => (owned ? "" : "text-slate-500 dark:text-slate-400 bg-slate-50/60 dark:bg-slate-900/40");
