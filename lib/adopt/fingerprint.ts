// What the admin saw on the import page, as a digest: staging refuses when the gateway
// (and so the proposal) changed between reading the page and pressing the button.
import { createHash } from "node:crypto";
import type { Adoption } from "./types";

export const adoptionFingerprint = (a: Adoption) =>
  createHash("sha256")
    .update(JSON.stringify({ config: a.config, takeover: a.takeover, kept: a.kept }))
    .digest("hex");
