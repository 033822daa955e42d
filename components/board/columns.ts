// The board's column ids, without @dnd-kit (the dashboard page counts hosts per column on the server).
import type { Place } from "./types";

/** Column ids: "col:ISP1" for an ISP, "pol:split" for a policy; the default's column is "col:". */
export const columnId = (place: Place) => (place === null ? "col:" : "policy" in place ? `pol:${place.policy}` : `col:${place.isp}`);
