/**
 * @module kernel/socket/socket-table
 * The sockets of one namespace that the stack delivers to: ICMP echo
 * sockets (ping), UDP sockets, TCP listeners and connections. Userland
 * commands own them through callbacks; the stack finds them by tuple.
 */
import type { IPv4 } from "../../net/ip.js";
import type { Ipv4Packet } from "../../net/packet.js";
import type { NetDevice } from "../types.js";

export interface PingSocket {
  id: number;
  onPacket(p: Ipv4Packet, dev: NetDevice | null): void;
}

export interface UdpSocket {
  addr: IPv4;
  port: number;
  onDatagram(p: Ipv4Packet, data: string): void;
  onError?(p: Ipv4Packet): void;
  /** udp_sk(sk)->encap_rcv: a kernel tunnel socket consumes the datagram itself (vxlan_rcv). */
  encapRcv?(p: Ipv4Packet, dev: NetDevice): void;
}

export type TcpState =
  | "LISTEN"
  | "SYN_SENT"
  | "SYN_RECV"
  | "ESTABLISHED"
  | "FIN_WAIT"
  | "CLOSE_WAIT"
  | "LAST_ACK"
  | "CLOSED";

export interface TcpConn {
  state: TcpState;
  laddr: IPv4;
  lport: number;
  raddr: IPv4;
  rport: number;
  sndNxt: number;
  rcvNxt: number;
  onEvent(ev: TcpEvent): void;
}

export type TcpEvent =
  | { kind: "connected" }
  | { kind: "refused" }
  | { kind: "error"; icmpType: number; icmpCode: number; from: IPv4 }
  | { kind: "data"; data: string }
  | { kind: "closed" }
  | { kind: "accepted"; conn: TcpConn };

export interface TcpListener {
  addr: IPv4;
  port: number;
  backlog: number;
  onAccept(conn: TcpConn): void;
}

export class SocketTable {
  readonly ping = new Map<number, PingSocket>();
  readonly udp: UdpSocket[] = [];
  readonly tcpListeners: TcpListener[] = [];
  readonly tcpConns = new Map<string, TcpConn>();
  private nextEphemeral = 0;

  static connKey(laddr: IPv4, lport: number, raddr: IPv4, rport: number): string {
    return `${laddr}:${lport}>${raddr}:${rport}`;
  }

  udpLookup(addr: IPv4, port: number): UdpSocket | undefined {
    return (
      this.udp.find((s) => s.port === port && s.addr === addr) ??
      this.udp.find((s) => s.port === port && s.addr === 0)
    );
  }

  tcpListenerLookup(addr: IPv4, port: number): TcpListener | undefined {
    return (
      this.tcpListeners.find((s) => s.port === port && s.addr === addr) ??
      this.tcpListeners.find((s) => s.port === port && s.addr === 0)
    );
  }

  portInUse(proto: "tcp" | "udp", addr: IPv4, port: number): boolean {
    if (proto === "udp")
      return this.udp.some((s) => s.port === port && (s.addr === 0 || addr === 0 || s.addr === addr));
    return this.tcpListeners.some((s) => s.port === port && (s.addr === 0 || addr === 0 || s.addr === addr));
  }

  /** An ephemeral port from ip_local_port_range, walked in order from a per-namespace offset. */
  ephemeral(low: number, high: number, taken: (p: number) => boolean): number {
    const span = high - low + 1;
    for (let i = 0; i < span; i++) {
      const p = low + ((this.nextEphemeral + i) % span);
      if (!taken(p)) {
        this.nextEphemeral = (this.nextEphemeral + i + 2) % span;
        return p;
      }
    }
    return 0;
  }

  removeUdp(s: UdpSocket): void {
    const i = this.udp.indexOf(s);
    if (i >= 0) this.udp.splice(i, 1);
  }

  removeListener(s: TcpListener): void {
    const i = this.tcpListeners.indexOf(s);
    if (i >= 0) this.tcpListeners.splice(i, 1);
  }
}
