// The lab's gateway namespace as the engine targets it (lib/engine/target.ts) and the lab builds it
// (lib/lab/topology.ts): one name, defined on the core's side. Pure: the lab topology and the
// validation of a lab prefix import it, and they run in the browser too.
export const gatewayNamespace = (prefix: string) => `${prefix}-gw`;
