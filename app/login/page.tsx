import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { CredentialsForm } from "@/components/auth/login-form";
import { currentUser } from "@/lib/auth/guard";
import { hasAnyUser } from "@/lib/auth/users";
import { loginAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Log in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string; ended?: string }> }) {
  if (!(await hasAnyUser())) redirect("/setup");
  if (await currentUser()) redirect("/");
  const { next, ended } = await searchParams;
  const note = ended
    ? "Your session has ended: log in again, and you are taken back to the page you were on (anything unsaved there is lost)."
    : "This admin changes the gateway's routing and firewall.";
  return (
    <AuthShell title="Log in" note={note}>
      <CredentialsForm action={loginAction} submitLabel="Log in" next={typeof next === "string" ? next : undefined} />
    </AuthShell>
  );
}
