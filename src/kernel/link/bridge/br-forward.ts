/**
 * @module kernel/link/bridge/br-forward
 * net/bridge/br_input.c, br_forward.c and br_device.c: learning source
 * addresses into the FDB, delivering frames for the bridge's own addresses
 * up to the host, forwarding known unicast to its port, flooding broadcast,
 * multicast and unknown unicast, and the hairpin rule for the ingress port.
 */
import { describeFrame } from "../../../net/describe.js";
import { isMulticastMac } from "../../../net/mac.js";
import type { EthFrame } from "../../../net/packet.js";
import { bridgedDnatPort, brNfForward, brNfPreRouting } from "../../netfilter/br-netfilter.js";
import type { FdbEntry, NetDevice } from "../../types.js";
import { deliverToProtocols, devQueueXmit } from "../xmit.js";

/** br_fdb_find with has_expired: a learned entry older than ageing_time is gone (the gc timer's work, done lazily). */
export function fdbFind(br: NetDevice, mac: string): FdbEntry | undefined {
  const info = br.bridge!;
  const e = info.fdb.get(mac);
  if (e && e.kind === "learned" && br.ns.kernel.clock.now - e.updated >= info.ageingTime * 10) {
    info.fdb.delete(mac);
    return undefined;
  }
  return e;
}

/** br_fdb_update */
function learn(br: NetDevice, port: NetDevice, frame: EthFrame): void {
  if (!port.brport?.learning || isMulticastMac(frame.src)) return;
  if (port.brport.state !== "learning" && port.brport.state !== "forwarding") return;
  const info = br.bridge!;
  const now = br.ns.kernel.clock.now;
  const e = fdbFind(br, frame.src);
  if (e && e.kind !== "learned") return;
  if (e) {
    if (e.port !== port)
      if (br.ns.kernel.trace)
        br.ns.kernel.hop(
          br.ns,
          "bridge",
          `${br.name}: ${frame.src} moved to ${port.name}`,
          describeFrame(frame),
        );
    e.port = port;
    e.updated = now;
    return;
  }
  info.fdb.set(frame.src, { mac: frame.src, port, kind: "learned", updated: now, used: now });
  if (br.ns.kernel.trace)
    br.ns.kernel.hop(
      br.ns,
      "bridge",
      `${br.name}: learned ${frame.src} on ${port.name}`,
      describeFrame(frame),
    );
}

/** br_forward: frames received on a port (`from`) meet br_netfilter's FORWARD/POSTROUTING; the host's own do not. */
function forwardTo(to: NetDevice, frame: EthFrame, from: NetDevice | null): void {
  if (to.brport?.state !== "forwarding") return;
  const out = from ? brNfForward(to.master!, to, frame) : frame;
  if (out) devQueueXmit(to, out);
}

function flood(br: NetDevice, from: NetDevice | null, frame: EthFrame, unknownUnicast: boolean): void {
  for (const p of br.bridge!.ports) {
    if (p === from && !p.brport?.hairpin) continue;
    if (unknownUnicast && !p.brport?.flood) continue;
    forwardTo(p, frame, from);
  }
}

function passUp(br: NetDevice, frame: EthFrame): void {
  const type =
    frame.dst === "ff:ff:ff:ff:ff:ff" ? "BROADCAST" : isMulticastMac(frame.dst) ? "MULTICAST" : "HOST";
  br.stats.rxPackets++;
  deliverToProtocols(br, frame, type);
}

/** br_handle_frame + br_handle_frame_finish */
export function brHandleFrame(port: NetDevice, frame0: EthFrame): void {
  const br = port.master!;
  const k = br.ns.kernel;
  if (!br.up || port.brport?.state === "disabled") {
    if (k.trace) k.hop(br.ns, "drop", `${br.name}: port ${port.name} is disabled`, describeFrame(frame0));
    return;
  }
  // NF_BR_PRE_ROUTING runs before br_handle_frame_finish learns the source.
  const frame = brNfPreRouting(br, port, frame0);
  if (frame) brHandleFrameFinish(br, port, frame);
}

/** br_handle_frame_finish */
function brHandleFrameFinish(br: NetDevice, port: NetDevice, frame: EthFrame): void {
  const k = br.ns.kernel;
  learn(br, port, frame);
  if (isMulticastMac(frame.dst)) {
    if (k.trace)
      k.hop(
        br.ns,
        "bridge",
        `${br.name}: ${frame.dst === "ff:ff:ff:ff:ff:ff" ? "broadcast" : "multicast"} from ${port.name}: flood and deliver to host`,
        describeFrame(frame),
      );
    flood(br, port, frame, false);
    passUp(br, frame);
    return;
  }
  const dst = fdbFind(br, frame.dst);
  if (dst?.kind === "local" || frame.dst === br.mac) {
    if (k.trace)
      k.hop(br.ns, "bridge", `${br.name}: ${frame.dst} is local: deliver to host`, describeFrame(frame));
    passUp(br, frame);
    return;
  }
  if (dst) {
    dst.used = k.clock.now;
    if (dst.port === port && !port.brport?.hairpin) {
      if (k.trace)
        k.hop(
          br.ns,
          "drop",
          `${br.name}: ${frame.dst} is behind ingress port ${port.name} (hairpin off)`,
          describeFrame(frame),
        );
      return;
    }
    if (k.trace)
      k.hop(br.ns, "bridge", `${br.name}: fdb ${frame.dst} -> ${dst.port.name}`, describeFrame(frame));
    forwardTo(dst.port, frame, port);
    return;
  }
  if (k.trace) k.hop(br.ns, "bridge", `${br.name}: ${frame.dst} unknown: flood`, describeFrame(frame));
  flood(br, port, frame, true);
  if (br.promisc > 0) passUp(br, frame);
}

/** br_dev_xmit: the host sends through the bridge device. */
export function brDevXmit(br: NetDevice, frame: EthFrame): void {
  const k = br.ns.kernel;
  const dnatPort = bridgedDnatPort(br, frame);
  if (dnatPort) {
    brHandleFrameFinish(br, dnatPort, frame);
    return;
  }
  if (isMulticastMac(frame.dst)) {
    if (k.trace)
      k.hop(
        br.ns,
        "bridge",
        `${br.name}: host sends ${frame.dst === "ff:ff:ff:ff:ff:ff" ? "broadcast" : "multicast"}: flood`,
        describeFrame(frame),
      );
    flood(br, null, frame, false);
    return;
  }
  const dst = fdbFind(br, frame.dst);
  if (dst && dst.kind !== "local") {
    dst.used = k.clock.now;
    if (k.trace)
      k.hop(br.ns, "bridge", `${br.name}: fdb ${frame.dst} -> ${dst.port.name}`, describeFrame(frame));
    forwardTo(dst.port, frame, null);
    return;
  }
  if (k.trace) k.hop(br.ns, "bridge", `${br.name}: ${frame.dst} unknown: flood`, describeFrame(frame));
  flood(br, null, frame, true);
}
