"use server";
import { deleteEntity, saveEntity } from "@/lib/actions/entity";
import { createIsp, deleteIsp, updateIsp } from "@/lib/data/isps";
import { checkbox, ispSchema, type FormState } from "@/lib/validation";

export async function saveIspAction(_prev: FormState, fd: FormData): Promise<FormState> {
  // an unchecked checkbox sends nothing: that means "disabled"
  return saveEntity(fd, ispSchema, { create: createIsp, update: updateIsp }, "/isps", (v) => ({ ...v, enabled: checkbox(v.enabled) }));
}

export async function deleteIspAction(id: number): Promise<{ error?: string }> {
  return deleteEntity(id, deleteIsp, "/isps");
}
