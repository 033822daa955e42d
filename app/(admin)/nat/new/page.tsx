import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/page";
import { EntityForm } from "@/components/ui/entity-form";
import { natFields, natValues } from "@/components/nat/fields";
import { loadConfig } from "@/lib/data/config";
import { saveNatAction } from "../actions";
import { requireUserPage } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";
export const metadata = { title: "Add NAT address" };

export default async function NewNatPage() {
  await requireUserPage(); // before any data is read: the layout renders beside the page, not before it
  const config = await loadConfig();
  return (
    <>
      <PageHeader title="Add NAT address" description="An extra public address on an ISP's link: make it the ISP's default, or pin it to one host." />
      {config.isps.length === 0 ? (
        <p className="text-sm text-slate-600">
          NAT addresses belong to an ISP.{" "}
          <Link href="/isps/new" className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">
            Add an ISP
          </Link>{" "}
          first.
        </p>
      ) : (
        <Card>
          <EntityForm action={saveNatAction} fields={natFields(config)} initial={natValues(config)} submitLabel="Add NAT address" cancelHref="/nat" />
        </Card>
      )}
    </>
  );
}
