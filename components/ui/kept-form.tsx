"use client";
// A form posting to a server action that answers {values, errors, message}, without React's
// automatic form reset. With `<form action>`, React resets the form's fields some time after
// the action's answer is shown; on a busy machine that came after the user had typed again,
// and their new value was replaced by the old one. Submitting through onSubmit keeps what is
// in the fields; `action` stays for a browser without JavaScript.
import { startTransition, useActionState } from "react";
import type { FormState } from "@/lib/validation/form";

export type FormAction = (prev: FormState, fd: FormData) => Promise<FormState>;

export function useKeptForm(action: FormAction) {
  const [state, formAction, pending] = useActionState(action, {} as FormState);
  const onSubmit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const fd = new FormData(e.currentTarget, (e.nativeEvent as SubmitEvent).submitter);
    startTransition(() => formAction(fd));
  };
  return { state, pending, formProps: { action: formAction, onSubmit } };
}

export function SubmitButton({ label, pending }: { label: string; pending: boolean }) {
  return (
    <button
      type="submit"
      disabled={pending}
      className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:opacity-60"
    >
      {pending ? "Saving…" : label}
    </button>
  );
}
