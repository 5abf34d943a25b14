/**
 * @module kernel/errno
 * Kernel results are data, not exceptions: a user mistake comes back as an
 * errno, optionally with the netlink extack message the kernel attaches
 * (iproute2 prints "Error: <extack>." when there is one, and
 * "RTNETLINK answers: <strerror>" when there is not).
 */
export type Errno =
  | "EPERM"
  | "ENOENT"
  | "ESRCH"
  | "EEXIST"
  | "ENODEV"
  | "EINVAL"
  | "ENETUNREACH"
  | "EHOSTUNREACH"
  | "EACCES"
  | "EADDRNOTAVAIL"
  | "EADDRINUSE"
  | "EOPNOTSUPP"
  | "EBUSY"
  | "ECONNREFUSED"
  | "ENOBUFS"
  | "ELOOP"
  | "ERANGE"
  | "ENOTSUP"
  | "EAFNOSUPPORT"
  | "ENETDOWN";

export const STRERROR: Record<Errno, string> = {
  EPERM: "Operation not permitted",
  ENOENT: "No such file or directory",
  ESRCH: "No such process",
  EEXIST: "File exists",
  ENODEV: "No such device",
  EINVAL: "Invalid argument",
  ENETUNREACH: "Network is unreachable",
  EHOSTUNREACH: "No route to host",
  EACCES: "Permission denied",
  EADDRNOTAVAIL: "Cannot assign requested address",
  EADDRINUSE: "Address already in use",
  EOPNOTSUPP: "Operation not supported",
  EBUSY: "Device or resource busy",
  ECONNREFUSED: "Connection refused",
  ENOBUFS: "No buffer space available",
  ELOOP: "Too many levels of symbolic links",
  ERANGE: "Numerical result out of range",
  ENOTSUP: "Operation not supported",
  EAFNOSUPPORT: "Address family not supported by protocol",
  ENETDOWN: "Network is down",
};

export interface KErr {
  readonly errno: Errno;
  /** Netlink extended ack message, when the kernel gives one. */
  readonly extack?: string;
}

export type KResult<T = void> = { ok: true; value: T } | { ok: false; err: KErr };

export function ok<T>(value: T): KResult<T> {
  return { ok: true, value };
}

export function okVoid(): KResult<void> {
  return { ok: true, value: undefined };
}

export function fail<T = never>(errno: Errno, extack?: string): KResult<T> {
  return { ok: false, err: extack === undefined ? { errno } : { errno, extack } };
}
