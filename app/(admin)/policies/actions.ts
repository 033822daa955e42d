"use server";
import { deleteEntity, saveEntity } from "@/lib/actions/entity";
import { createPolicy, deletePolicy, updatePolicy } from "@/lib/data/policies";
import { policySchema, type FormState } from "@/lib/validation";
import { policyInput } from "@/components/policies/fields";

export async function savePolicyAction(_prev: FormState, fd: FormData): Promise<FormState> {
  // members arrive as indexed rows (members.0.isp, members.0.tier, ...); an unticked checkbox sends nothing
  return saveEntity(fd, policySchema, { create: createPolicy, update: updatePolicy }, "/policies", policyInput);
}

export async function deletePolicyAction(id: number): Promise<{ error?: string }> {
  return deleteEntity(id, deletePolicy, "/policies");
}
