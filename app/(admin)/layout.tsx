import { Nav } from "@/components/layout/nav";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="md:flex">
      <aside className="border-b border-slate-200 bg-white p-3 md:sticky md:top-0 md:h-screen md:w-56 md:shrink-0 md:border-r md:border-b-0 dark:border-slate-800 dark:bg-slate-900">
        <div className="mb-3 flex items-center justify-between px-2">
          <span className="text-lg font-semibold tracking-tight">
            <span aria-hidden className="mr-1 text-indigo-600">⇄</span>Switchyard
          </span>
        </div>
        <Nav />
      </aside>
      <main className="min-w-0 flex-1 p-4 md:p-8">{children}</main>
    </div>
  );
}
