#!/usr/bin/env bash
# hold-100k.sh — runs Profiles/hold-100k.yaml on this machine: 8 `estbench serve` processes on
# 127.0.0.1:18441-18448 sharing one CA directory, 8 client shards started together, a sample every
# 5 s of the connections the servers hold (ss) and of every process's RSS, then the merge.
#
#   Profiles/hold-100k.sh [OUT [--set path=value ...]]     (OUT: /tmp/hold-100k; run from the repository)
#
# Environment: ESTBENCH (default .build/release/estbench), START_IN (default 60s: the shards make
# their devices first, then start together). Extra arguments go to every shard, e.g. a smaller try:
# `Profiles/hold-100k.sh /tmp/hold-8k --set devices.count=8000 --set load.closed.devices=8000`.
# OUT gets ca/ (the shared CA), serve-PORT.log and .json (each server's counts), shards/ and
# merged/ (results), samples.csv (time, held, client and server RSS) and summary.txt.
set -euo pipefail

out=${1:-/tmp/hold-100k}
shift $(( $# > 0 ? 1 : 0 ))
estbench=${ESTBENCH:-.build/release/estbench}
start_in=${START_IN:-60s}
ports=$(seq 18441 18448)
shards=8

[ -x "$estbench" ] || { echo "hold-100k.sh: $estbench not found: swift build -c release (or set ESTBENCH)" >&2; exit 2; }
[ -e "$out" ] && { echo "hold-100k.sh: $out exists; give a new folder" >&2; exit 2; }
mkdir -p "$out/shards"
# Every process holds about 12,500 sockets: raise the soft open-file limit to the hard one.
ulimit -n "$(ulimit -Hn)"

server_pids=() shard_pids=()
stop_all() { kill "${shard_pids[@]}" "${server_pids[@]}" 2>/dev/null || true; }
trap stop_all EXIT

# The servers share one CA: the first creates it in $out/ca, the others load it (--ca-dir locks it).
for port in $ports; do
    "$estbench" serve --threads 1 --listen "127.0.0.1:$port" --ca-dir "$out/ca" --max-connections 19000 \
        --idle-timeout 900000 --duration 1200 --stats-json "$out/serve-$port.json" > "$out/serve-$port.log" 2>&1 &
    server_pids+=($!)
done
n=0
for port in $ports; do
    until grep -q "^estbench serve: https://" "$out/serve-$port.log"; do
        kill -0 "${server_pids[$n]}" 2>/dev/null || { cat "$out/serve-$port.log" >&2; exit 3; }
        sleep 0.2
    done
    n=$((n + 1))
done

for i in $(seq 0 $((shards - 1))); do
    "$estbench" run Profiles/hold-100k.yaml --shard "$i/$shards" --start-in "$start_in" --threads 1 \
        --set target.caBundle="$out/ca/cacerts.pem" --results "$out/shards" "$@" > "$out/shard-$i.log" 2>&1 &
    shard_pids+=($!)
done

rss_kib() { local total=0 pid kib; for pid in "$@"; do
    kib=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0); total=$((total + ${kib:-0})); done; echo "$total"; }
any_alive() { local pid; for pid in "$@"; do kill -0 "$pid" 2>/dev/null && return 0; done; return 1; }
cpu_ticks() { local total=0 pid; for pid in "$@"; do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0))); done; echo "$total"; }

# Held connections: server-side sockets established on the 8 ports (client sockets use ephemeral ports).
echo "seconds,held,client_rss_kib,server_rss_kib" > "$out/samples.csv"
began=$(date +%s)
while any_alive "${shard_pids[@]}"; do
    held=$(ss -Htn state established '( sport >= :18441 and sport <= :18448 )' | wc -l)
    echo "$(( $(date +%s) - began )),$held,$(rss_kib "${shard_pids[@]}"),$(rss_kib "${server_pids[@]}")" >> "$out/samples.csv"
    sleep 5
done
status=0
for pid in "${shard_pids[@]}"; do wait "$pid" || status=$?; done
server_cpu=$(cpu_ticks "${server_pids[@]}")
kill -TERM "${server_pids[@]}"
for pid in "${server_pids[@]}"; do wait "$pid" || true; done
server_pids=() shard_pids=()
"$estbench" merge "$out/shards" --out "$out/merged" > "$out/merge.log" 2>&1 || status=$?

{
    echo "shards exit status: $status (last non-zero)"
    awk -F, 'NR > 1 { if ($2 > most) { most = $2; from = $1; n = 0; rss = $3; srss = $4 } if ($2 == most) { n++; to = $1 } }
        END { printf "most connections held at once: %d, in %d samples from second %d to %d; then client RSS %d KiB, servers %d KiB\n", most, n, from, to, rss, srss }' "$out/samples.csv"
    echo "servers' CPU: $(awk -v t="$server_cpu" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f s", t / hz }')"
    grep -h "stopped" "$out"/serve-*.log
    grep -h "^tls:" "$out/merge.log"
} | tee "$out/summary.txt"
exit "$status"
