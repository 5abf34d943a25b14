/**
 * @module kernel/link/xmit
 * dev_queue_xmit and __netif_receive_skb: how a frame leaves a device and
 * arrives at the next one. A veth hands the frame to its peer, loopback to
 * itself, a bridge port to its bridge's rx_handler; the rest goes to the
 * protocol handlers (ARP, IPv4) with the packet type eth_type_trans gives it.
 * A vxlan device tunnels what it transmits (vxlan/vxlan-core.ts).
 */
import { describeFrame } from "../../net/describe.js";
import { BROADCAST_MAC, isMulticastMac } from "../../net/mac.js";
import { ETH_P_ARP, ETH_P_IP, type EthFrame, ethFrameLen } from "../../net/packet.js";
import { ipRcv } from "../ipv4/ip.js";
import { arpRcv } from "../neigh/arp.js";
import { skbSetL2 } from "../netfilter/skb.js";
import type { NetDevice } from "../types.js";
import { brDevXmit, brHandleFrame } from "./bridge/br-forward.js";
import { isRunning } from "./dev.js";
import { vxlanXmit } from "./vxlan/vxlan-core.js";

export type PacketType = "HOST" | "BROADCAST" | "MULTICAST" | "OTHERHOST";

export function devQueueXmit(dev: NetDevice, frame: EthFrame): void {
  const k = dev.ns.kernel;
  if (!dev.up) {
    dev.stats.txDropped++;
    if (k.trace) k.hop(dev.ns, "drop", `xmit on ${dev.name}: device down`, describeFrame(frame));
    return;
  }
  k.xmitCount++;
  // A tunnel counts what it manages to send itself (iptunnel_xmit_stats), after its FDB lookup.
  if (dev.kind === "vxlan") {
    vxlanXmit(dev, frame);
    return;
  }
  dev.stats.txPackets++;
  dev.stats.txBytes += ethFrameLen(frame);
  switch (dev.kind) {
    case "loopback":
      k.raise(() => netifReceive(dev, frame));
      return;
    case "veth": {
      const peer = dev.peer;
      if (!peer || !isRunning(dev)) {
        dev.stats.txDropped++;
        if (k.trace) k.hop(dev.ns, "drop", `veth ${dev.name}: peer is down`, describeFrame(frame));
        return;
      }
      if (k.trace)
        k.hop(dev.ns, "veth", `${dev.name} -> ${peer.name} (netns ${peer.ns.label})`, describeFrame(frame));
      k.raise(() => netifReceive(peer, frame));
      return;
    }
    case "bridge":
      brDevXmit(dev, frame);
      return;
    case "dummy":
      if (k.trace) k.hop(dev.ns, "xmit", `${dev.name}: dummy device discards`, describeFrame(frame));
      return;
  }
}

/** A frame arriving on a device whose driver counts it as received (veth, loopback, a bridge port). */
export function netifReceive(dev: NetDevice, frame: EthFrame): void {
  if (!dev.up) return;
  dev.stats.rxPackets++;
  dev.stats.rxBytes += ethFrameLen(frame);
  netifReceiveSkb(dev, frame);
}

/** __netif_receive_skb_core: a bridge port's frames go to the bridge; others to the protocols. */
export function netifReceiveSkb(dev: NetDevice, frame: EthFrame): void {
  if (!dev.up) return;
  if (dev.master?.bridge && dev.brport) {
    brHandleFrame(dev, frame);
    return;
  }
  deliverToProtocols(dev, frame, packetType(dev, frame));
}

export function packetType(dev: NetDevice, frame: EthFrame): PacketType {
  if (frame.dst === BROADCAST_MAC) return "BROADCAST";
  if (isMulticastMac(frame.dst)) return "MULTICAST";
  if (dev.kind === "loopback" || frame.dst === dev.mac) return "HOST";
  return "OTHERHOST";
}

export function deliverToProtocols(dev: NetDevice, frame: EthFrame, type: PacketType): void {
  if (type === "MULTICAST") dev.stats.multicast++;
  if (frame.type === ETH_P_ARP && frame.payload.kind === "arp") {
    arpRcv(dev, frame.payload, type);
  } else if (frame.type === ETH_P_IP && frame.payload.kind === "ipv4") {
    if (type !== "OTHERHOST") skbSetL2(frame.payload, dev.ns, frame.src, type);
    ipRcv(dev, frame.payload, type === "OTHERHOST");
  }
}
