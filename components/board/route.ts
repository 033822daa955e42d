// A policy host's card: where its new connections go now, from the applied config's route
// (with every ISP up) and the monitor's move, if it made one. Pure.
import type { HealthSnapshot } from "@/lib/health/view-types";
import type { CardInfo } from "./host-card";
import type { BoardRoute } from "./types";

type Move = HealthSnapshot["moves"][number];

export const UNREACHABLE = "unreachable (no ISP of its policy is up)";

/** "ISP1", or "ISP1 or ISP2 (balanced 2:1)". */
export function routeWords(isps: { name: string; weight?: number }[], sticky = false): string {
  if (isps.length === 1) return isps[0].name;
  const weights = isps.every((i) => i.weight) ? ` ${isps.map((i) => i.weight).join(":")}` : "";
  return `${isps.map((i) => i.name).join(" or ")} (balanced${weights}${sticky ? ", sticky" : ""})`;
}

export function policyCard(route: BoardRoute, move: Move | undefined): Pick<CardInfo, "failover" | "unreachable" | "goes" | "expectedIsps"> {
  if (move) {
    if (move.to === "unreachable") return { unreachable: UNREACHABLE, expectedIsps: [] };
    const to = move.to.split("+").map((name) => ({ name, weight: route.isps.find((i) => i.name === name)?.weight }));
    const words = routeWords(to);
    return { failover: move.because ? `${words}, ${move.because}` : words, expectedIsps: to.map((i) => i.name) };
  }
  if (route.unreachable) return { unreachable: UNREACHABLE, expectedIsps: [] };
  return { goes: `${routeWords(route.isps, route.sticky)}${route.because ? `, ${route.because}` : ""}`, expectedIsps: route.isps.map((i) => i.name) };
}
