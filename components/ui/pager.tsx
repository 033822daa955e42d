import Link from "next/link";

/** Previous / next links and "page N of M" (nothing when there is one page). */
export function Pager({
  page,
  pages,
  href,
  newer = "Newer",
  older = "Older",
}: {
  page: number;
  pages: number;
  href: (page: number) => string;
  newer?: string;
  older?: string;
}) {
  if (pages <= 1) return null;
  const link = "rounded-md px-3 py-1.5 font-medium ring-1 ring-slate-300 hover:bg-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800";
  return (
    <nav aria-label="Pages" className="mt-4 flex items-center gap-3 text-sm">
      {page > 1 ? (
        <Link href={href(page - 1)} rel="prev" className={link}>
          {newer}
        </Link>
      ) : (
        <span className={`${link} opacity-40`} aria-disabled>
          {newer}
        </span>
      )}
      <span>{`Page ${Math.min(page, pages)} of ${pages}`}</span>
      {page < pages ? (
        <Link href={href(page + 1)} rel="next" className={link}>
          {older}
        </Link>
      ) : (
        <span className={`${link} opacity-40`} aria-disabled>
          {older}
        </span>
      )}
    </nav>
  );
}

/** Why the page shown is not the one the address asked for (not a page number, or past the last). */
export function PageNote({ asked, shown, refused }: { asked: number; shown: number; refused?: string }) {
  const text = refused ?? (asked !== shown ? `There is no page ${asked}: showing the last, page ${shown}.` : undefined);
  if (!text) return null;
  return (
    <p
      role="status"
      className="mb-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
    >
      {text}
    </p>
  );
}
