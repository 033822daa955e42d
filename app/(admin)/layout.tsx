import { Nav } from "@/components/layout/nav";
import { requireUserPage } from "@/lib/auth/guard";
import { logoutAction } from "@/app/login/actions";
import Link from "next/link";
import { FollowGateway } from "@/components/health/follow-gateway";
import { healthSnapshot } from "@/lib/health/view";
import { followSignature } from "@/lib/health/words";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUserPage();
  // what this render shows: the page follows any change from here on, also one before its first poll
  const snapshot = await healthSnapshot(0);
  return (
    <div className="md:flex">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-indigo-600 px-4 py-2 font-semibold text-white focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <aside className="relative border-b border-slate-200 bg-white p-3 md:sticky md:top-0 md:flex md:h-screen md:w-56 md:shrink-0 md:flex-col md:overflow-y-auto md:border-r md:border-b-0 dark:border-slate-800 dark:bg-slate-900">
        <div className="mb-3 flex min-h-9 items-center px-2 md:min-h-0">
          <span className="text-lg font-semibold tracking-tight">
            <span aria-hidden className="mr-1 text-indigo-600">
              ⇄
            </span>
            Switchyard
          </span>
        </div>
        <Nav
          footer={
            <>
              <Link href="/account" className="truncate text-slate-600 hover:underline dark:text-slate-400" title="Account">
                {user.username}
              </Link>
              <form action={logoutAction}>
                <button
                  type="submit"
                  className="rounded-md px-2 py-1 font-medium text-slate-700 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"
                >
                  Log out
                </button>
              </form>
            </>
          }
        />
      </aside>
      <FollowGateway initial={snapshot ? followSignature(snapshot) : null} />
      <main id="main" tabIndex={-1} className="min-w-0 flex-1 p-4 outline-none md:p-8">
        {children}
      </main>
    </div>
  );
}
