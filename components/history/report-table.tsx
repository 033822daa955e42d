// A bordered table with a caption and a header row: the verification's canary proofs (IPv4 and
// IPv6) and IPv6 paths share it.
export function ReportTable({ label, caption, head, children }: { label: string; caption: string; head: string[]; children: React.ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table aria-label={label} className="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
        <caption className="px-3 py-2 text-left text-xs text-slate-600 dark:text-slate-400">{caption}</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase dark:bg-slate-800/50 dark:text-slate-400">
          <tr>
            {head.map((x) => (
              <th key={x} scope="col" className="px-3 py-2">
                {x}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">{children}</tbody>
      </table>
    </div>
  );
}
