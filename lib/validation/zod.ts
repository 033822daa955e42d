// The one zod import of the schemas. zod v4 compiles object parsers with `new Function` unless
// told not to, and finds out whether it may by trying `new Function("")` once: under the
// Content-Security-Policy (no 'unsafe-eval') every page with a form then logged a blocked
// `eval` (a securitypolicyviolation). jitless is set here, before any schema is built or
// parsed, in code that both the browser and the server load.
import { z } from "zod";

z.config({ jitless: true });

export { z };
