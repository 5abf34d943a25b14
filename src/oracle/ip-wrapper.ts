/**
 * @module oracle/ip-wrapper
 * Pinning what the kernel would pick at random: on the real side `ip` is a
 * wrapper that gives every veth, dummy or vxlan created without an explicit
 * `address` the next MAC of a sequence (02:4b:54:00:00:01, …); the model,
 * run by the oracle, numbers its MACs the same way. Bridges keep their
 * kernel-chosen MAC, since a user-set one would stop them following their
 * lowest port. With this, both sides show the same MACs and the same
 * MAC-dependent orders (which port a bridge takes its address from).
 */
import { SEQUENTIAL_MAC_PREFIX } from "../net/mac.js";

/** The wrapper script; REAL_IP is the path of the real binary. */
export function ipWrapperScript(realIp: string, counterFile: string): string {
  return `#!/bin/bash
# kubetwin oracle: pins random MACs of new links so the model can match them.
real=${JSON.stringify(realIp)}
counter=${JSON.stringify(counterFile)}
next_mac() {
  local n=0
  [ -f "$counter" ] && n=$(cat "$counter")
  n=$((n + 1))
  echo "$n" > "$counter"
  printf '${SEQUENTIAL_MAC_PREFIX}:%02x:%02x:%02x' $(((n >> 16) & 255)) $(((n >> 8) & 255)) $((n & 255))
}
# iplink_parse takes any abbreviation of "address" for it ("ip link add a …" is not a link named a),
# where a keyword may stand: not as the value of another keyword ("netns a").
is_addr() { case "$1" in a|ad|add|addr|addre|addres|address) return 0;; esac; return 1; }
# has_addr FROM TO ARGS…: whether ARGS[FROM..TO) give an address, keywords' values skipped.
has_addr() {
  local from=$1 to=$2; shift 2
  local v=("$@") j=$from
  while [ $j -lt $to ]; do
    if is_addr "\${v[j]}"; then return 0; fi
    case "\${v[j]}" in
      name|index|link|mtu|txqueuelen|txqlen|qlen|netns|group|alias|master|numtxqueues|numrxqueues|broadcast|brd|dev) j=$((j + 2)) ;;
      *) j=$((j + 1)) ;;
    esac
  done
  return 1
}
args=("$@")
n=\${#args[@]}
i=0
while [ $i -lt $n ]; do
  case "\${args[i]}" in
    -n|-netns|--netns|-f|-family) i=$((i + 2)) ;;
    -*) i=$((i + 1)) ;;
    *) break ;;
  esac
done
obj=\${args[i]:-}
verb=\${args[i+1]:-}
if [ -n "$obj" ] && [ -n "$verb" ] && [[ link == "$obj"* ]] && [[ add == "$verb"* ]]; then
  t=-1
  for ((j = i + 2; j < n; j++)); do
    if [ "\${args[j]}" = type ]; then t=$j; break; fi
  done
  if [ $t -ge 0 ]; then
    kind=\${args[t+1]:-}
    case "$kind" in
      veth|dummy|vxlan)
        have=0
        has_addr $((i + 2)) $t "\${args[@]}" && have=1
        out=("\${args[@]:0:t}")
        [ $have = 0 ] && out+=(address "$(next_mac)")
        rest=("\${args[@]:t}")
        if [ "$kind" = veth ]; then
          p=-1
          for ((j = 2; j < \${#rest[@]}; j++)); do [ "\${rest[j]}" = peer ] && p=$j; done
          if [ $p -lt 0 ]; then
            rest+=(peer address "$(next_mac)")
          else
            ph=0
            has_addr $((p + 1)) \${#rest[@]} "\${rest[@]}" && ph=1
            [ $ph = 0 ] && rest+=(address "$(next_mac)")
          fi
        fi
        exec "$real" "\${out[@]}" "\${rest[@]}"
        ;;
    esac
  fi
fi
exec "$real" "$@"
`;
}
