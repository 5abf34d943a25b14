/**
 * The host conformance suite on the real kernel: a node namespace of the
 * test's own (never the machine's), removed afterwards with everything in it.
 */
import { execFileSync } from "node:child_process";
import { runHostConformance } from "../../src/host/host.case.js";
import { LinuxHost } from "../../src/host/linux/linux-host.js";
import { kernelAvailable } from "../../src/oracle/index.js";

const avail = kernelAvailable();
const prefix = `kt${process.pid}-`;

function removeAll(): void {
  const out = execFileSync("ip", ["netns", "list"], { encoding: "utf8" });
  for (const line of out.split("\n")) {
    const name = line.split(" ")[0] ?? "";
    if (name.startsWith(prefix)) execFileSync("ip", ["netns", "del", name]);
  }
}

runHostConformance(
  "linux",
  async () => {
    removeAll();
    const node = `${prefix}node`;
    execFileSync("ip", ["netns", "add", node]);
    return { host: new LinuxHost(node), prefix: `${prefix}p-`, cleanup: async () => removeAll() };
  },
  { skip: !avail.ok },
);
