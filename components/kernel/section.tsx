import { useId } from "react";

/** A titled region: its heading names it for screen readers and tests (getByRole("region", { name })). */
export function Section({ title, description, actions, children, className = "" }: {
  title: string;
  description?: React.ReactNode;
  actions?: React.ReactNode;
  children: React.ReactNode;
  className?: string;
}) {
  const id = useId();
  return (
    <section aria-labelledby={id} className={`min-w-0 ${className}`}>
      <div className="mb-3 flex flex-wrap items-end justify-between gap-2">
        <div>
          <h2 id={id} className="text-lg font-semibold tracking-tight">{title}</h2>
          {description && <p className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">{description}</p>}
        </div>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function OwnerBadge({ owned }: { owned: boolean }) {
  return owned ? (
    <span className="inline-flex items-center rounded-full bg-indigo-100 px-2 py-0.5 text-xs font-medium text-indigo-800 dark:bg-indigo-900/50 dark:text-indigo-300">Switchyard</span>
  ) : (
    <span className="inline-flex items-center rounded-full border border-slate-300 px-2 py-0.5 text-xs font-medium text-slate-500 dark:border-slate-700 dark:text-slate-400">foreign</span>
  );
}

/** Row styling: foreign rows are muted. */
export const rowTone = (owned: boolean) => (owned ? "" : "text-slate-500 dark:text-slate-400 bg-slate-50/60 dark:bg-slate-900/40");
