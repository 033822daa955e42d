"use server";
import { revalidatePath } from "next/cache";
import { z } from "@/lib/validation/zod";
import { requireActor } from "@/lib/auth/guard";
import { assignHost, createHost, deleteHost, updateHost } from "@/lib/data/hosts";
import { deleteEntity, saveEntity } from "@/lib/actions/entity";
import { hostSchema, ispName, policyName, type FormState } from "@/lib/validation";
import { idFrom, renameErrors, usesFrom } from "@/lib/validation/form";
import { storeSeenMac } from "@/lib/data/host-mac";
import { resolveTarget } from "@/lib/engine/target";

export async function saveHostAction(_prev: FormState, fd: FormData): Promise<FormState> {
  // the form's one "Uses" select sets the ISP or the policy (a post without it sets them as named)
  const state = await saveEntity(fd, hostSchema, { create: createHost, update: updateHost }, "/hosts", (v) =>
    v.uses === undefined ? v : { ...v, ...usesFrom(v.uses) },
  );
  return fd.has("uses") ? renameErrors(state, { isp: "uses", policy: "uses" }) : state;
}

export async function deleteHostAction(id: number): Promise<{ error?: string }> {
  return deleteEntity(id, deleteHost, "/hosts");
}

/** Where a drop sends a host: an ISP, a policy, or back to what everyone else uses (null). */
const assignment = z.union([z.null(), z.object({ isp: ispName }).strict(), z.object({ policy: policyName }).strict()]);

/** Drag and drop: move a host to an ISP or a policy, or back to the default (null). No redirect. */
export async function assignHostAction(hostId: number, to: { isp: string } | { policy: string } | null): Promise<{ error?: string }> {
  const actor = await requireActor();
  const id = idFrom(String(hostId));
  const want = assignment.safeParse(to);
  if (!id || !want.success) return { error: "That host, ISP or policy does not exist." };
  const r = await assignHost(id, want.data, actor);
  if (!r.ok) return { error: Object.values(r.errors).flat().join(" ") };
  revalidatePath("/", "layout");
  return {};
}

/** "Use it": store the MAC the gateway's neighbour table shows for the host's IPv4 address now (read again here, not taken from the page). */
export async function storeSeenMacAction(hostId: number): Promise<{ error?: string; mac?: string }> {
  const actor = await requireActor();
  const id = idFrom(String(hostId));
  if (!id) return { error: "That host does not exist." };
  const r = await storeSeenMac(resolveTarget().target, { id }, actor);
  if (!r.ok) return { error: r.error };
  revalidatePath("/", "layout");
  return { mac: r.mac };
}
