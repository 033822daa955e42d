"use client";
// Upload a configuration file, see what it changes against the staged configuration, stage it.
// The file is read in the browser and sent to the server actions as text (at most 200 KiB).
import Link from "next/link";
import { useState, useTransition } from "react";
import { LineDiff } from "@/components/history/line-diff";
import type { Preview } from "@/lib/backup/restore";

type Stage = (text: string, fileName: string) => Promise<{ ok: true; counts: string } | { ok: false; errors: string[] }>;

export function Restore({ preview, stage }: { preview: (text: string) => Promise<Preview>; stage: Stage }) {
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [shown, setShown] = useState<Preview | null>(null);
  const [staged, setStaged] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [pending, start] = useTransition();

  const choose = (f: File | undefined) => {
    setShown(null);
    setStaged(null);
    setErrors([]);
    setFile(null);
    if (!f) return;
    if (f.size > 200 * 1024) return setErrors([`${f.name} is larger than 200 KiB: this is not a Switchyard configuration.`]);
    start(async () => {
      const text = await f.text();
      setFile({ name: f.name, text });
      const p = await preview(text);
      if (p.ok) setShown(p);
      else setErrors(p.errors);
    });
  };

  return (
    <div className="space-y-4">
      <div>
        <label htmlFor="restore-file" className="block text-sm font-medium">
          Configuration file
        </label>
        <input
          id="restore-file"
          type="file"
          accept="application/json,.json"
          onChange={(e) => choose(e.target.files?.[0])}
          className="mt-1 block text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-900 file:px-3 file:py-1.5 file:text-white dark:file:bg-slate-100 dark:file:text-slate-900"
        />
      </div>
      {pending && <p className="text-sm text-slate-500">Reading…</p>}
      {errors.length > 0 && (
        <div
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"
        >
          <p className="font-medium">{file ? `${file.name} cannot be staged` : "This file cannot be staged"}; nothing was changed:</p>
          <ul className="mt-1 list-disc pl-5">
            {errors.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      {staged && (
        <p role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950/40">
          Staged {file?.name} ({staged}). Nothing changes on the gateway until you apply:{" "}
          <Link href="/" className="font-medium underline">
            review and apply on the dashboard
          </Link>
          .
        </p>
      )}
      {shown?.ok && !staged && file && (
        <section aria-labelledby="restore-diff" className="space-y-3">
          <h3 id="restore-diff" className="font-semibold">
            What {file.name} changes in the staged configuration
          </h3>
          <p className="text-sm text-slate-600 dark:text-slate-400">The file holds {shown.counts}.</p>
          {shown.changes.length === 0 ? (
            <p className="text-sm">
              It is the same configuration as the staged one{shown.before === shown.after ? "" : " (the file differs only in form or in health settings)"}.
            </p>
          ) : (
            <ul aria-label="Changes" className="list-disc space-y-1 pl-5 text-sm">
              {shown.changes.map((c, i) => (
                <li key={i}>
                  <span className="font-medium">
                    {c.kind} {c.name}
                  </span>{" "}
                  {c.op}
                  {c.details.length ? `: ${c.details.join("; ")}` : ""}
                </li>
              ))}
            </ul>
          )}
          <LineDiff before={shown.before} after={shown.after} label="The staged configuration against the file" />
          <button
            type="button"
            disabled={pending}
            className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-60"
            onClick={() =>
              start(async () => {
                const r = await stage(file.text, file.name);
                if (r.ok) setStaged(r.counts);
                else setErrors(r.errors);
              })
            }
          >
            Stage this configuration
          </button>
        </section>
      )}
    </div>
  );
}
