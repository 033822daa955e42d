import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { CredentialsForm } from "@/components/auth/login-form";
import { ensureSetupToken } from "@/lib/auth/setup-token";
import { hasAnyUser } from "@/lib/auth/users";
import { setupAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "First run" };

export default async function SetupPage() {
  if (await hasAnyUser()) redirect("/login");
  const refused = ensureSetupToken();
  if (refused) {
    return (
      <AuthShell title="Setup token refused" note="The admin account cannot be created until this is fixed on the gateway.">
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
          {refused}
        </p>
      </AuthShell>
    );
  }
  return (
    <AuthShell
      title="Create the admin account"
      note="First run: choose the password that protects this gateway (at least 10 characters). Only possible from the gateway itself, with the one-time token the server printed at start."
    >
      <CredentialsForm action={setupAction} submitLabel="Create account" confirm setupToken />
    </AuthShell>
  );
}
