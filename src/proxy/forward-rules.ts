/**
 * @module proxy/forward-rules
 * The KUBE-FORWARD rules both proxier modes end the filter table with (each
 * mode's proxier.go writes the same two): traffic kube-proxy marked for
 * masquerading is accepted, and so are replies of connections it let in.
 */
import { kubeForwardChain } from "./iptables/chain-names.js";

export function kubeForwardAcceptRules(mark: string): string[][] {
  return [
    [
      "-A",
      kubeForwardChain,
      "-m",
      "comment",
      "--comment",
      `"kubernetes forwarding rules"`,
      "-m",
      "mark",
      "--mark",
      `${mark}/${mark}`,
      "-j",
      "ACCEPT",
    ],
    [
      "-A",
      kubeForwardChain,
      "-m",
      "comment",
      "--comment",
      `"kubernetes forwarding conntrack rule"`,
      "-m",
      "conntrack",
      "--ctstate",
      "RELATED,ESTABLISHED",
      "-j",
      "ACCEPT",
    ],
  ];
}
