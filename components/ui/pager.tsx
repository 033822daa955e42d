import Link from "next/link";

/** Previous / next links and "page N of M" (nothing when there is one page). */
export function Pager({ page, pages, href }: { page: number; pages: number; href: (page: number) => string }) {
  if (pages <= 1) return null;
  const link = "rounded-md px-3 py-1.5 font-medium ring-1 ring-slate-300 hover:bg-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800";
  return (
    <nav aria-label="Pages" className="mt-4 flex items-center gap-3 text-sm">
      {page > 1 ? <Link href={href(page - 1)} rel="prev" className={link}>Newer</Link> : <span className={`${link} opacity-40`} aria-disabled>Newer</span>}
      <span>Page {Math.min(page, pages)} of {pages}</span>
      {page < pages ? <Link href={href(page + 1)} rel="next" className={link}>Older</Link> : <span className={`${link} opacity-40`} aria-disabled>Older</span>}
    </nav>
  );
}
