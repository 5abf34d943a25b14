/**
 * @module dns/corefile/kind-default
 * The Corefile kind's clusters run: kubeadm installs it (kubernetes
 * cmd/kubeadm/app/phases/addons/dns/manifests.go, CoreDNSConfigMap) with
 * DNSDomain = cluster.local, so the cache skips the cluster's own answers.
 */

/** kubeadm's Corefile template rendered for a cluster domain. */
export function kubeadmCorefile(dnsDomain = "cluster.local"): string {
  return `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${dnsDomain} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success ${dnsDomain}
       disable denial ${dnsDomain}
    }
    loop
    reload
    loadbalance
}
`;
}

/** The Corefile of a default kind cluster. */
export const KIND_COREFILE: string = kubeadmCorefile();
