/**
 * @module cni/error
 * The spec's error result: a well-known code (1–99 reserved by the spec),
 * a message and details, printed on stdout with a non-zero exit status.
 */

/** Codes SPEC.md reserves ("Error" section). */
export const CNI_ERR = {
  INCOMPATIBLE_VERSION: 1,
  UNSUPPORTED_FIELD: 2,
  UNKNOWN_CONTAINER: 3,
  INVALID_ENV: 4,
  IO_FAILURE: 5,
  DECODING_FAILURE: 6,
  INVALID_CONFIG: 7,
  TRY_AGAIN_LATER: 11,
  INTERNAL: 999,
} as const;

/** Go's syscall.Errno texts (lower case), which plugins print in their messages. */
export const GO_ERRNO_TEXT: Readonly<Record<string, string>> = {
  EEXIST: "file exists",
  ENOENT: "no such file or directory",
  ENODEV: "no such device",
  ENETUNREACH: "network is unreachable",
  ESRCH: "no such process",
  EADDRNOTAVAIL: "cannot assign requested address",
  EACCES: "permission denied",
  ENOTDIR: "not a directory",
};

export class CniError extends Error {
  readonly code: number;
  readonly msg: string;
  readonly details: string;
  constructor(code: number, msg: string, details = "") {
    super(details ? `${msg}: ${details}` : msg);
    this.code = code;
    this.msg = msg;
    this.details = details;
  }

  /** The error object as plugins 1.1.1 print it (types.Error: details omitted when empty). */
  toJSON(): { code: number; msg: string; details?: string } {
    return { code: this.code, msg: this.msg, ...(this.details ? { details: this.details } : {}) };
  }
}
