export function AuthShell({ title, children, note }: { title: string; children: React.ReactNode; note?: string }) {
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <p className="text-lg font-semibold tracking-tight">
          <span aria-hidden className="mr-1 text-indigo-600">
            ⇄
          </span>
          Switchyard
        </p>
        <h1 className="mt-4 mb-1 text-xl font-semibold">{title}</h1>
        {note && <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">{note}</p>}
        {children}
      </div>
    </main>
  );
}
