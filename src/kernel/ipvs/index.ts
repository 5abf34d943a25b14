/**
 * @module kernel/ipvs
 * IPVS (net/netfilter/ipvs): virtual services and real servers
 * (ip-vs-ctl), schedulers (ip-vs-sched), the connection table (ip-vs-conn)
 * and the netfilter hooks that balance and translate (ip-vs-core).
 */
export * from "./ip-vs-conn.js";
export { type IpVsHook, ipVsHook } from "./ip-vs-core.js";
export * from "./ip-vs-ctl.js";
export { ipVsSchedule } from "./ip-vs-sched.js";
