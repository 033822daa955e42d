"use server";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/guard";
import { assignHost, createHost, deleteHost, updateHost } from "@/lib/data/hosts";
import { deleteEntity, saveEntity } from "@/lib/actions/entity";
import { hostSchema, ispName, type FormState } from "@/lib/validation";
import { idFrom } from "@/lib/validation/form";

export async function saveHostAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return saveEntity(fd, hostSchema, { create: createHost, update: updateHost }, "/hosts");
}

export async function deleteHostAction(id: number): Promise<{ error?: string }> {
  return deleteEntity(id, deleteHost, "/hosts");
}

/** Drag and drop: move a host to an ISP, or back to the default ISP ("" or null). No redirect. */
export async function assignHostAction(hostId: number, isp: string | null): Promise<{ error?: string }> {
  const actor = await requireActor();
  const id = idFrom(String(hostId));
  const name = isp === null || isp === "" ? null : ispName.safeParse(isp);
  if (!id || (name && !name.success)) return { error: "That host or ISP does not exist." };
  const r = await assignHost(id, name ? name.data : null, actor);
  if (!r.ok) return { error: Object.values(r.errors).flat().join(" ") };
  revalidatePath("/", "layout");
  return {};
}
