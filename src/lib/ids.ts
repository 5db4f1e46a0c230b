// Prefixed, URL-safe, unguessable ids (`wh_…`, `evt_…`, `msg_…`, `wf_…`).
export type IdPrefix = "wh" | "evt" | "msg" | "wf";

export const newId = (prefix: IdPrefix) => `${prefix}_${crypto.randomUUID().replaceAll("-", "")}`;
