// Drag and drop wiring for the board: ids, the keyboard jump between columns,
// collision detection, and what a screen reader hears.
import {
  pointerWithin,
  rectIntersection,
  type Announcements,
  type CollisionDetection,
  type KeyboardCoordinateGetter,
  type ScreenReaderInstructions,
  type UniqueIdentifier,
} from "@dnd-kit/core";
import type { BoardHost, Place } from "./types";
import { columnId } from "./columns";

export { columnId };
export const placeOfColumn = (id: UniqueIdentifier): Place => {
  const s = String(id);
  if (s.startsWith("pol:")) return { policy: s.slice(4) };
  return s.slice(4) ? { isp: s.slice(4) } : null;
};
export const samePlace = (a: Place, b: Place) => columnId(a) === columnId(b);
export const cardId = (hostId: number) => `host:${hostId}`;
export const hostIdOfCard = (id: UniqueIdentifier) => Number(String(id).slice(5));

const STEP: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

/**
 * Arrow keys jump from column to column in reading order (left to right, then the
 * next row: on a phone the columns stack and Down/Right both go to the next one).
 * The card is placed near the top of the target column, where it intersects it most.
 */
export function columnJumps(columnOf: (active: UniqueIdentifier) => UniqueIdentifier | undefined): KeyboardCoordinateGetter {
  return (event, { active, context }) => {
    const step = STEP[event.code];
    if (!step) return undefined;
    event.preventDefault();
    const { droppableRects, droppableContainers, collisionRect, over } = context;
    const cols = droppableContainers
      .getEnabled()
      .map((c) => ({ id: c.id, rect: droppableRects.get(c.id) }))
      .filter((c): c is { id: UniqueIdentifier; rect: NonNullable<typeof c.rect> } => Boolean(c.rect))
      .sort((a, b) => (Math.abs(a.rect.top - b.rect.top) > 8 ? a.rect.top - b.rect.top : a.rect.left - b.rect.left));
    const current = over?.id ?? columnOf(active);
    const at = cols.findIndex((c) => c.id === current);
    const next = cols[Math.min(cols.length - 1, Math.max(0, (at < 0 ? 0 : at) + step))];
    if (!next || !collisionRect) return undefined;
    return { x: next.rect.left + Math.max(0, (next.rect.width - collisionRect.width) / 2), y: next.rect.top + 56 };
  };
}

/** The pointer decides where it can; the keyboard (no pointer) by overlap. */
export const boardCollisions: CollisionDetection = (args) => {
  if (args.pointerCoordinates) {
    const hits = pointerWithin(args);
    if (hits.length) return hits;
  }
  return rectIntersection(args);
};

export const instructions: ScreenReaderInstructions = {
  draggable:
    "To move this host to another ISP or policy, press Space or Enter to pick it up, use the arrow keys to move between the columns, then press Space or Enter to drop it there, or Escape to cancel. The move is staged: nothing changes on the gateway until you apply.",
};

/** Sentences like "Picked up host laptop (192.168.1.101) from ISP2". */
export function announcements(
  hostOf: (id: UniqueIdentifier) => BoardHost | undefined,
  placeOf: (h: BoardHost) => Place,
  columnName: (place: Place) => string,
): Announcements {
  const name = (id: UniqueIdentifier) => hostOf(id)?.name ?? "the host";
  const from = (id: UniqueIdentifier) => {
    const h = hostOf(id);
    return columnName(h ? placeOf(h) : null);
  };
  // the first "over" is the card's own column: saying so would cut off "Picked up ..."
  let left = false;
  return {
    onDragStart: ({ active }) => {
      left = false;
      const h = hostOf(active.id);
      return h ? `Picked up host ${h.name} (${h.address}) from ${columnName(placeOf(h))}.` : undefined;
    },
    onDragOver: ({ active, over }) => {
      if (!over) return `${name(active.id)} is not over a column.`;
      const target = columnName(placeOfColumn(over.id));
      if (target === from(active.id)) return left ? `${name(active.id)} is back over ${target}, where it is now.` : undefined;
      left = true;
      return `${name(active.id)} is over ${target}. Drop to move it there.`;
    },
    onDragEnd: ({ active, over }) => {
      const target = over ? columnName(placeOfColumn(over.id)) : null;
      if (!target || target === from(active.id)) return `${name(active.id)} was dropped back on ${from(active.id)}. Nothing changed.`;
      return `${name(active.id)} moved to ${target} (staged, not applied yet).`;
    },
    onDragCancel: ({ active }) => `Moving ${name(active.id)} was cancelled. It stays on ${from(active.id)}.`,
  };
}
