/**
 * @module shell/commands/curl
 * curl 7.88.1 (Debian 12) for plain HTTP over the model's TCP: the host
 * looked up as getaddrinfo does (/etc/hosts, then the pod's DNS), one
 * request, the response's body on stdout. Its messages, exit codes (6
 * could not resolve, 7 could not connect, 28 timeout, 22 with -f) and `-v`
 * trace are curl's; the progress meter is not drawn (see docs/fidelity.md).
 */
import { tcpClose, tcpConnect, tcpSend } from "../../kernel/ipv4/tcp.js";
import { formatIPv4, parseIPv4 } from "../../net/ip.js";
import type { CmdContext, CmdResult } from "../types.js";
import { resolveHost } from "./resolve.js";

interface CurlOpts {
  silent: boolean;
  showError: boolean;
  verbose: boolean;
  include: boolean;
  head: boolean;
  fail: boolean;
  output: string | null;
  writeOut: string | null;
  maxTime: number | null;
  connectTimeout: number | null;
  method: string | null;
  headers: string[];
  url: string | null;
}

/** CURL_DEFAULT_CONNECT_TIMEOUT. */
const DEFAULT_CONNECT_TIMEOUT_MS = 300_000;

const VALUE_OPTS = new Set([
  "-o",
  "--output",
  "-w",
  "--write-out",
  "-m",
  "--max-time",
  "--connect-timeout",
  "-X",
  "--request",
  "-H",
  "--header",
  "-A",
  "--user-agent",
  "-d",
  "--data",
  "--resolve",
  "--noproxy",
]);

function parseArgs(argv: string[]): CurlOpts | string {
  const o: CurlOpts = {
    silent: false,
    showError: false,
    verbose: false,
    include: false,
    head: false,
    fail: false,
    output: null,
    writeOut: null,
    maxTime: null,
    connectTimeout: null,
    method: null,
    headers: [],
    url: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (VALUE_OPTS.has(a)) {
      const v = argv[++i];
      if (v === undefined) return `curl: option ${a}: requires parameter`;
      if (a === "-o" || a === "--output") o.output = v;
      else if (a === "-w" || a === "--write-out") o.writeOut = v;
      else if (a === "-m" || a === "--max-time" || a === "--connect-timeout") {
        if (!/^\d+(\.\d+)?$/.test(v)) return `curl: option ${a}: expected a proper numerical parameter`;
        if (a === "--connect-timeout") o.connectTimeout = Number(v);
        else o.maxTime = Number(v);
      } else if (a === "-X" || a === "--request") o.method = v;
      else if (a === "-H" || a === "--header") o.headers.push(v);
      continue;
    }
    if (a.startsWith("--")) {
      const long: Record<string, keyof CurlOpts> = {
        "--silent": "silent",
        "--show-error": "showError",
        "--verbose": "verbose",
        "--include": "include",
        "--head": "head",
        "--fail": "fail",
      };
      const k = long[a];
      if (k) (o[k] as boolean) = true;
      else if (!["--location", "--insecure", "--ipv4", "--compressed", "--no-progress-meter"].includes(a))
        return `curl: option ${a}: is unknown`;
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (const c of a.slice(1)) {
        if (c === "s") o.silent = true;
        else if (c === "S") o.showError = true;
        else if (c === "v") o.verbose = true;
        else if (c === "i") o.include = true;
        else if (c === "I") o.head = true;
        else if (c === "f") o.fail = true;
        else if (!"Lk4".includes(c)) return `curl: option -${c}: is unknown`;
      }
      continue;
    }
    o.url ??= a;
  }
  return o;
}

interface Url {
  host: string;
  port: number;
  path: string;
  /** The Host header: the port only when it is not the scheme's. */
  hostHeader: string;
}

function parseUrl(raw: string): Url | { code: number; error: string } {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?([^/:?#]*)(?::(\d*))?([^?#]*)(\?[^#]*)?/.exec(raw);
  const scheme = (m?.[1] ?? "http").toLowerCase();
  if (scheme !== "http")
    return scheme === "https"
      ? {
          code: 1,
          error: 'kubetwin: https is not modelled (the model\'s servers speak plain HTTP); use "http://"',
        }
      : { code: 1, error: `Protocol "${scheme}" not supported or disabled in libcurl` };
  const host = m?.[2] ?? "";
  if (host === "") return { code: 3, error: "URL using bad/illegal format or missing URL" };
  const port = m?.[3] ? Number(m[3]) : 80;
  if (port > 65535) return { code: 3, error: "URL using bad/illegal format or missing URL" };
  const path = (m?.[4] || "/") + (m?.[5] ?? "");
  return { host, port, path, hostHeader: port === 80 ? host : `${host}:${port}` };
}

/** `-w`'s variables that make sense here, and its escapes. */
function writeOut(
  fmt: string,
  v: { code: number; size: number; url: string; ip: string; port: number },
): string {
  return fmt
    .replace(/%\{(\w+)\}/g, (all, k: string) => {
      switch (k) {
        case "http_code":
        case "response_code":
          return String(v.code).padStart(3, "0");
        case "size_download":
          return String(v.size);
        case "url_effective":
          return v.url;
        case "remote_ip":
          return v.ip;
        case "remote_port":
          return String(v.port);
        default:
          return all;
      }
    })
    .replace(/\\n/g, "\n")
    .replace(/\\t/g, "\t");
}

export async function curlCommand(argv: string[], ctx: CmdContext): Promise<CmdResult> {
  const o = parseArgs(argv);
  if (typeof o === "string")
    return {
      stdout: "",
      stderr: `${o}\ncurl: try 'curl --help' or 'curl --manual' for more information\n`,
      exitCode: 2,
    };
  if (o.url === null)
    return {
      stdout: "",
      stderr: "curl: try 'curl --help' or 'curl --manual' for more information\n",
      exitCode: 2,
    };
  let verbose = "";
  const v = (line: string): void => {
    if (o.verbose) verbose += `${line}\n`;
  };
  const fail = (code: number, msg: string): CmdResult => {
    if (o.verbose) v("* Closing connection 0");
    const shown = !o.silent || o.showError;
    return { stdout: "", stderr: `${verbose}${shown ? `curl: (${code}) ${msg}\n` : ""}`, exitCode: code };
  };
  const url = parseUrl(o.url);
  if ("error" in url)
    return {
      stdout: "",
      stderr: o.silent && !o.showError ? "" : `curl: (${url.code}) ${url.error}\n`,
      exitCode: url.code,
    };
  const k = ctx.kernel;
  const ns = ctx.ns;
  const started = k.clock.now;
  const literal = parseIPv4(url.host);
  let dst: number;
  if (literal !== null) dst = literal;
  else {
    const r = await resolveHost(ctx, url.host);
    if (r.addr === null) return fail(6, `Could not resolve host: ${url.host}`);
    dst = r.addr;
  }
  const ip = formatIPv4(dst);
  v(`*   Trying ${ip}:${url.port}...`);
  const connectLimit = (o.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_MS / 1000) * 1000;
  const totalLimit = o.maxTime !== null ? o.maxTime * 1000 : Number.POSITIVE_INFINITY;
  let state: "pending" | "connected" | "refused" | "unreachable" | "closed" = "pending";
  let why = "";
  let received = "";
  const res = tcpConnect(ns, dst, url.port, {}, (ev) => {
    if (ev.kind === "connected") state = "connected";
    else if (ev.kind === "refused") state = "refused";
    else if (ev.kind === "error") {
      state = "unreachable";
      why = ev.icmpType === 3 && ev.icmpCode === 0 ? "Network is unreachable" : "No route to host";
    } else if (ev.kind === "data") received += ev.data;
    else if (ev.kind === "closed") state = "closed";
  });
  const after = (): number => Math.round(k.clock.now - started);
  if (!res.ok) {
    v(
      `* Immediate connect fail for ${ip}: ${res.err.errno === "ENETUNREACH" ? "Network is unreachable" : "No route to host"}`,
    );
    v(`* Failed to connect to ${url.host} port ${url.port} after ${after()} ms: Couldn't connect to server`);
    return fail(
      7,
      `Failed to connect to ${url.host} port ${url.port} after ${after()} ms: Couldn't connect to server`,
    );
  }
  const conn = res.value;
  const connectDeadline = started + Math.min(connectLimit, totalLimit);
  if (!k.runUntil(() => state !== "pending", connectDeadline)) {
    tcpClose(ns, conn);
    if (totalLimit <= connectLimit) return fail(28, `Connection timed out after ${after()} milliseconds`);
    return fail(
      28,
      `Failed to connect to ${url.host} port ${url.port} after ${after()} ms: Timeout was reached`,
    );
  }
  const st = state as string;
  if (st !== "connected") {
    v(`* connect to ${ip} port ${url.port} failed: ${st === "refused" ? "Connection refused" : why}`);
    v(`* Failed to connect to ${url.host} port ${url.port} after ${after()} ms: Couldn't connect to server`);
    return fail(
      7,
      `Failed to connect to ${url.host} port ${url.port} after ${after()} ms: Couldn't connect to server`,
    );
  }
  v(`* Connected to ${url.host} (${ip}) port ${url.port} (#0)`);
  const method = o.method ?? (o.head ? "HEAD" : "GET");
  const request = [
    `${method} ${url.path} HTTP/1.1`,
    `Host: ${url.hostHeader}`,
    "User-Agent: curl/7.88.1",
    "Accept: */*",
    ...o.headers,
  ];
  for (const l of request) v(`> ${l}\r`);
  v(">\r");
  tcpSend(ns, conn, `${request.join("\r\n")}\r\n\r\n`);
  const replied = k.runUntil(
    () => (state as string) === "closed" || /\r\n\r\n/.test(received),
    Math.min(started + totalLimit, k.clock.now + 3_600_000),
  );
  // The server closes after its answer; give it the moment it needs.
  k.runUntil(() => (state as string) === "closed", Math.min(k.clock.now + 1000, started + totalLimit));
  tcpClose(ns, conn);
  if (!replied && received === "")
    return fail(28, `Operation timed out after ${after()} milliseconds with 0 bytes received`);
  const split = received.indexOf("\r\n\r\n");
  const head = split >= 0 ? received.slice(0, split + 2) : "";
  const body = split >= 0 ? received.slice(split + 4) : received;
  if (split < 0) return fail(1, "Received HTTP/0.9 when not allowed");
  const status = Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(head)?.[1] ?? 0);
  for (const l of head.split("\r\n").slice(0, -1)) v(`< ${l}\r`);
  v("<\r");
  if (!o.head && body.length > 0) v(`{ [${body.length} bytes data]`);
  v("* Closing connection 0");
  if (o.fail && status >= 400) {
    const shown = !o.silent || o.showError;
    return {
      stdout: "",
      stderr: `${verbose}${shown ? `curl: (22) The requested URL returned error: ${status}\n` : ""}`,
      exitCode: 22,
    };
  }
  let out = (o.include || o.head ? `${head}\r\n` : "") + (o.head ? "" : body);
  if (o.output !== null && o.output !== "-") {
    if (o.output !== "/dev/null")
      await ctx.fs?.writeFile(o.output.startsWith("/") ? o.output : `${ctx.cwd ?? "/"}/${o.output}`, out);
    out = "";
  }
  if (o.writeOut !== null)
    out += writeOut(o.writeOut, { code: status, size: body.length, url: o.url, ip, port: url.port });
  return { stdout: out, stderr: verbose, exitCode: 0 };
}
