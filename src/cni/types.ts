/**
 * @module cni/types
 * The CNI specification's data (SPEC.md, version 1.0.0): a network
 * configuration list, the per-plugin configuration the runtime derives from
 * it, the parameters a plugin is called with, and the result it returns.
 */

export const CNI_VERSION = "1.0.0";
/** The versions our plugins accept, as the reference plugins 1.1.1 list them for VERSION. */
export const SUPPORTED_VERSIONS = ["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0"];

export type CniCommand = "ADD" | "DEL" | "CHECK" | "VERSION";

/** One plugin's configuration as the runtime hands it over (name and cniVersion injected from the list). */
export interface NetConf {
  cniVersion: string;
  name: string;
  type: string;
  ipam?: { type?: string; [k: string]: unknown };
  dns?: CniDns;
  prevResult?: CniResult;
  runtimeConfig?: Record<string, unknown>;
  capabilities?: Record<string, boolean>;
  [k: string]: unknown;
}

/** A network configuration list, as in /etc/cni/net.d/*.conflist. */
export interface NetConfList {
  cniVersion: string;
  name: string;
  disableCheck?: boolean;
  plugins: Array<Omit<NetConf, "name" | "cniVersion">>;
}

/** What a plugin is called with: the CNI_* environment. */
export interface CniArgs {
  containerId: string;
  /** CNI_NETNS: the path of the sandbox's network namespace. */
  netns: string;
  ifName: string;
  /** CNI_ARGS: "K1=V1;K2=V2". */
  args?: string;
  path?: string;
}

export interface CniInterface {
  name: string;
  mac?: string;
  sandbox?: string;
}

export interface CniIp {
  address: string;
  gateway?: string;
  interface?: number;
}

export interface CniRoute {
  dst: string;
  gw?: string;
}

export interface CniDns {
  nameservers?: string[];
  domain?: string;
  search?: string[];
  options?: string[];
}

export interface CniResult {
  cniVersion: string;
  interfaces?: CniInterface[];
  ips?: CniIp[];
  routes?: CniRoute[];
  dns: CniDns;
}

/** The runtime's capability arguments (portMappings for portmap). */
export interface PortMapping {
  hostPort: number;
  containerPort: number;
  protocol: string;
  hostIP?: string;
}
