"use server";
import { deleteEntity, saveEntity } from "@/lib/actions/entity";
import { createNatAddress, deleteNatAddress, updateNatAddress } from "@/lib/data/nat";
import { checkbox, natAddressSchema, type FormState } from "@/lib/validation";

export async function saveNatAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return saveEntity(fd, natAddressSchema, { create: createNatAddress, update: updateNatAddress }, "/nat", (v) => ({ ...v, isDefault: checkbox(v.isDefault) }));
}

/** Refused (with the reason, shown in the delete dialog) when it is the only default of an SNAT ISP. */
export async function deleteNatAction(id: number): Promise<{ error?: string }> {
  return deleteEntity(id, deleteNatAddress, "/nat", "Nothing was deleted. ");
}
