/**
 * @module oracle/real
 * Runs a script with real bash and the real tools inside a fresh network
 * namespace and a private mount namespace (so /run/netns is a private
 * tmpfs): nothing it does reaches the machine's own network, and everything
 * it made disappears with the namespace when it ends. The whole run is its
 * own process group, killed on timeout or interruption.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ipWrapperScript } from "./ip-wrapper.js";

function realIpPath(): string {
  const r = spawnSync("sh", ["-c", "command -v ip"], {
    encoding: "utf8",
    env: { PATH: `/usr/sbin:/usr/bin:/sbin:/bin:${process.env.PATH ?? ""}` },
  });
  return r.stdout.trim() || "/usr/sbin/ip";
}

export interface RawRun {
  stdout: string;
  stderr: string;
  exitCode: number;
  timedOut: boolean;
}

export type KernelAvailability = { ok: true } | { ok: false; reason: string };

let cached: KernelAvailability | null = null;

/** Whether this process can make network namespaces (root and a working unshare). */
export function kernelAvailable(): KernelAvailability {
  if (cached) return cached;
  if (process.platform !== "linux")
    return (cached = { ok: false, reason: "the real kernel oracle needs Linux" });
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    return (cached = {
      ok: false,
      reason: "the real kernel oracle needs root (to create network namespaces)",
    });
  }
  const probe = spawnSync(
    "unshare",
    ["--net", "--mount", "--propagation", "private", "--pid", "--fork", "--mount-proc", "true"],
    {
      encoding: "utf8",
    },
  );
  if (probe.error || probe.status !== 0) {
    return (cached = {
      ok: false,
      reason: `cannot create network namespaces: ${probe.error?.message ?? probe.stderr.trim()}`,
    });
  }
  for (const tool of ["ip", "bridge"]) {
    const w = spawnSync("sh", ["-c", `command -v ${tool}`]);
    if (w.status !== 0)
      return (cached = { ok: false, reason: `${tool} is not installed (apt-get install iproute2)` });
  }
  return (cached = { ok: true });
}

const SETUP = [
  "set +e",
  "mkdir -p /run/netns",
  "mount -t tmpfs -o size=1m kubetwin-netns /run/netns || exit 97",
  "ip link set lo up",
  'cd "$KUBETWIN_WORKDIR" || exit 97',
].join("\n");

const live = new Set<number>();
function killAll(): void {
  for (const pid of live) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
}
let hooked = false;
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.once("exit", killAll);
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      killAll();
      process.exit(130);
    });
  }
}

export function runReal(script: string, timeoutMs = 120_000): Promise<RawRun> {
  hookExit();
  const dir = mkdtempSync(join(tmpdir(), "kubetwin-oracle-"));
  const file = join(dir, "script.sh");
  writeFileSync(file, script);
  const bin = join(dir, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "ip"), ipWrapperScript(realIpPath(), join(dir, ".kubetwin-macs")));
  chmodSync(join(bin, "ip"), 0o755);
  return new Promise((resolve) => {
    const child = spawn(
      "unshare",
      [
        "--net",
        "--mount",
        "--propagation",
        "private",
        // A PID namespace of its own (bash is its PID 1, /proc its own): a namespace named by PID
        // ("ip link set X netns 1") can only be one of the sandbox's, never the machine's.
        "--pid",
        "--fork",
        "--mount-proc",
        "bash",
        "-c",
        `${SETUP}\nexec bash "$KUBETWIN_SCRIPT"`,
      ],
      {
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          ...process.env,
          KUBETWIN_SCRIPT: file,
          KUBETWIN_WORKDIR: dir,
          LC_ALL: "C",
          PATH: `${bin}:/usr/sbin:/usr/bin:/sbin:/bin:${process.env.PATH ?? ""}`,
        },
      },
    );
    if (child.pid !== undefined) live.add(child.pid);
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          /* gone */
        }
      }
    }, timeoutMs);
    // When the script's shell ends, its background jobs (which may hold our pipes open) go with the group.
    child.on("exit", () => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          /* gone */
        }
      }
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      // Background jobs the script left (nc -l &) die with the group.
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          /* gone */
        }
        live.delete(child.pid);
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ stdout, stderr, exitCode: code ?? (signal ? 128 + 9 : 1), timedOut });
    });
  });
}
