/**
 * @module proxy/shared-rules
 * Rules both proxier modes write word for word (each mode's proxier.go has
 * its own copy): the masquerade chains and the KUBE-FORWARD accepts.
 */
import { kubeForwardChain, kubeMarkMasqChain, kubePostroutingChain } from "./iptables/chain-names.js";

/**
 * KUBE-POSTROUTING and KUBE-MARK-MASQ: unmarked packets return, marked ones lose the mark (so a
 * packet that re-traverses the stack is not masqueraded twice) and are masqueraded.
 */
export function masqueradeRules(mark: string, randomFully: boolean): string[][] {
  return [
    ["-A", kubePostroutingChain, "-m", "mark", "!", "--mark", `${mark}/${mark}`, "-j", "RETURN"],
    ["-A", kubePostroutingChain, "-j", "MARK", "--xor-mark", mark],
    [
      "-A",
      kubePostroutingChain,
      "-m",
      "comment",
      "--comment",
      `"kubernetes service traffic requiring SNAT"`,
      "-j",
      "MASQUERADE",
      ...(randomFully ? ["--random-fully"] : []),
    ],
    ["-A", kubeMarkMasqChain, "-j", "MARK", "--or-mark", mark],
  ];
}

/** The KUBE-FORWARD accepts: traffic marked for masquerading, and replies of connections let in. */
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
