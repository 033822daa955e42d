"use client";
// Revoke a metrics token at once (after a confirm): a scraper using it gets 401 from then on.
import { useState, useTransition } from "react";

export function RevokeButton({ name, action }: { name: string; action: (name: string) => Promise<{ error?: string }> }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string>();
  return (
    <>
      <button
        type="button"
        disabled={pending}
        className="text-sm font-medium text-red-600 hover:underline disabled:opacity-60 dark:text-red-400"
        onClick={() => {
          if (confirm(`Revoke the token "${name}"? Scrapers using it are refused from now on.`)) start(async () => setError((await action(name)).error));
        }}
      >
        Revoke<span className="sr-only"> {name}</span>
      </button>
      {error && (
        <span role="alert" className="ml-2 text-sm text-red-600">
          {error}
        </span>
      )}
    </>
  );
}
