import { Kernel } from "../../kernel/kernel.js";
import { runHostConformance } from "../host.case.js";
import { SimHost } from "./sim-host.js";

runHostConformance("sim", async () => {
  const k = new Kernel({ seed: 3 });
  // A node is a namespace of its own, as on the real side.
  const node = k.newNetns("kt-node");
  return { host: new SimHost(k, node), prefix: "kt-", cleanup: async () => {} };
});
