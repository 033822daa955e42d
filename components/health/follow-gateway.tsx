"use client";
// Every admin page follows the gateway by itself (rendered once, in the admin layout):
// - when anyone applies (another browser, the CLI, the monitor's failover) or an ISP changes
//   state, the page's server data is read again (router.refresh): host placement, verified
//   badges, the ISPs and Hosts lists, without a reload;
// - while an ISP is down the tab's title says so ("ISP2 down · Dashboard · Switchyard").
// It reads the shared health poller (GET /api/health/isps): no request of its own.
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { downIsps, followSignature as signature, titleWithHealth } from "@/lib/health/words";
import { useHealth } from "./use-health";

/**
 * Someone is typing in a form or dragging a host card: a refresh now would lose nothing, but could
 * move the page under them; it waits for the next reading.
 */
const busy = () => {
  const el = document.activeElement;
  const typing = el instanceof HTMLElement && el.closest("form") !== null && /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName);
  return typing || document.querySelector('[aria-roledescription="draggable"][aria-pressed="true"]') !== null;
};

/** initial: the signature of what the server rendered this page from, so a change before the first reading is not missed */
export function FollowGateway({ initial = null }: { initial?: string | null }) {
  const { snapshot } = useHealth();
  const router = useRouter();
  const path = usePathname();
  const seen = useRef<string | null>(initial);
  const prefix = useRef("");

  useEffect(() => {
    if (!snapshot) return;
    const sig = signature(snapshot);
    if (seen.current === null) seen.current = sig;
    else if (sig !== seen.current && !busy()) {
      seen.current = sig;
      router.refresh();
    }
  }, [snapshot, router]);

  // the page's own title (set by Next on navigation), with the down ISPs in front; checked again
  // at every reading, so a title Next sets after a navigation gets its prefix too
  useEffect(() => {
    const shown = document.title;
    const base = prefix.current && shown.startsWith(prefix.current) ? shown.slice(prefix.current.length) : shown;
    const next = titleWithHealth(base, snapshot ? downIsps(snapshot.isps) : []);
    prefix.current = next.slice(0, next.length - base.length);
    if (shown !== next) document.title = next;
  }, [snapshot, path]);

  return null;
}
