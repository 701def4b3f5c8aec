#!/usr/bin/env bash
# Hostile requests (issue 12, points 1–3) against a release server on the demo ledger: how long
# each takes to be refused (or what it does to the server), and the p99 latency of a normal
# query with and without attackers.
#
#   bash bench/hostile.sh                               # builds target/release/taizhang
#   BENCH_BINARY=/path/to/old/taizhang bash bench/hostile.sh   # the same against another build
#
# Settings: BENCH_BINARY (skips the build), BENCH_PORT=18093, BENCH_RUNS=5 (medians),
# BENCH_MAX_TIME=60 (seconds curl waits for one hostile answer), BENCH_WRK_SECONDS=10.
# Needs curl, jq, python3 and wrk (installed from Debian's packages when missing).
# Raw outputs go to bench/results/hostile-<UTC time>/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
PORT="${BENCH_PORT:-18093}"
RUNS="${BENCH_RUNS:-5}"
MAX_TIME="${BENCH_MAX_TIME:-60}"
WRK_SECONDS="${BENCH_WRK_SECONDS:-10}"
OUT="${BENCH_OUT:-$ROOT/bench/results/hostile-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
URL="http://127.0.0.1:$PORT"

need=()
for tool in curl jq wrk python3; do command -v "$tool" >/dev/null 2>&1 || need+=("$tool"); done
if [ "${#need[@]}" -gt 0 ]; then
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -q
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi

if [ -n "${BENCH_BINARY:-}" ]; then
    BIN="$BENCH_BINARY"
else
    cargo build --release
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/taizhang"
fi

WORK="$(mktemp -d /tmp/taizhang-hostile.XXXXXX)"
DB="sqlite://$WORK/demo.db?mode=rwc"
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    jobs -p | xargs -r kill 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "binary: $BIN"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at start"
"$BIN" demo --database-url "$DB" >"$OUT/demo.txt" 2>&1
PASSWORD="$(sed -n 's/^ *account shuili \/ password \([^ ]*\) .*/\1/p' "$OUT/demo.txt")"
[ -n "$PASSWORD" ] || { echo "no password for shuili in the demo output" >&2; exit 1; }

start_server() {
    RUST_LOG=warn "$BIN" serve --database-url "$DB" --bind "127.0.0.1:$PORT" >>"$OUT/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        curl -fs "$URL/healthz" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "server did not start" >&2
    exit 1
}
start_server

gql() { curl -s "$URL/graphql" -H 'Content-Type: application/json' "$@"; }
TOKEN="$(gql -d "$(jq -nc --arg p "$PASSWORD" '{query: "mutation($p: String!) { login(input: {username: \"shuili\", password: $p}) { token } }", variables: {p: $p}}')" | jq -r '.data.login.token')"
CAMPAIGN="$(gql -H "Authorization: Bearer $TOKEN" -d '{"query":"{ campaigns(first: 1) { edges { node { id } } } }"}' | jq -r '.data.campaigns.edges[0].node.id')"
[ -n "$TOKEN" ] && [ "$CAMPAIGN" != "null" ] || { echo "cannot log in as shuili" >&2; exit 1; }

# The hostile bodies, one JSON file each.
python3 - "$WORK" "$CAMPAIGN" <<'PY'
import json, sys
work, campaign = sys.argv[1], sys.argv[2]
def write(name, query, variables=None):
    with open(f"{work}/{name}.json", "w") as f:
        json.dump({"query": query, "variables": variables or {}}, f)
def lst(n): return "[" * n + '"x"' + "]" * n
def obj(n): return "{a: " * n + "1" + "}" * n
for n in (1518, 100000):
    write(f"list-{n}", "{ units(filter: {search: %s}) { totalCount } }" % lst(n))
    write(f"default-{n}", "query($v: Int = %s) { __typename }" % lst(n))
    write(f"directive-{n}", "{ __typename @include(if: %s) }" % lst(n))
write("object-1518", "{ units(filter: %s) { totalCount } }" % obj(1518))
for levels in (20, 24, 26, 30):
    doc = "query { ...F0 }\n" + "".join(
        f"fragment F{i} on QueryRoot {{ ...F{i + 1} ...F{i + 1} }}\n" for i in range(levels)
    ) + f"fragment F{levels} on QueryRoot {{ __typename }}\n"
    write(f"spreads-{levels}", doc)
# Four spreads a level ending in a fragment that does not exist: no field at all (review).
doc = "query { ...F0 }\n" + "".join(
    f"fragment F{i} on QueryRoot {{ ...F{i + 1} ...F{i + 1} ...F{i + 1} ...F{i + 1} }}\n" for i in range(12)
) + "fragment F12 on QueryRoot { ...Missing }\n"
write("spreads-only-x4-12", doc)
# 5 000 fragments in a chain that no operation uses (review).
doc = "{ __typename }\n" + "".join(f"fragment F{i} on QueryRoot {{ ...F{i + 1} }}\n" for i in range(5000)) \
    + "fragment F5000 on QueryRoot { __typename }\n"
write("unused-chain-5000", doc)
trend = " ".join(
    f't{i}: trend(campaignId: $c, interval: DAY, from: "2026-10-01", to: "2026-11-30") {{ stats {{ total }} }}'
    for i in range(100))
write("trend-x100", "query($c: ID!) { %s }" % trend, {"c": campaign})
stats = " ".join(f's{i}: ledgerStats(asOf: "2026-11-15T00:00:00Z") {{ total }}' for i in range(100))
write("stats-asof-x100", "{ %s }" % stats)
ranking = " ".join(f'r{i}: unitRanking(campaignId: $c, asOf: "2026-11-15T00:00:00Z") {{ asOf }}' for i in range(100))
write("ranking-asof-x100", "query($c: ID!) { %s }" % ranking, {"c": campaign})
with open(f"{work}/normal.lua", "w") as f:
    f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
            'wrk.body = \'{"query":"{ auditHead { seq hash } units(first: 10) { totalCount edges { node { name } } } }"}\'\n')
PY

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else print a[int((NR + 1) / 2)]}'; }

# One hostile request: sets HIT_STATUS and HIT_SECONDS; when it takes the server down, says so
# in HIT_STATUS and starts the server again. Runs in this shell (never in a subshell), so that
# SERVER_PID follows the restarts.
hit() {
    local body="$1" auth=() result code
    [ "${2:-}" = "editor" ] && auth=(-H "Authorization: Bearer $TOKEN")
    result="$(curl -s -o "$OUT/last-body.txt" -w '%{http_code} %{time_total}' --max-time "$MAX_TIME" \
        "$URL/graphql" -H 'Content-Type: application/json' "${auth[@]}" --data-binary "@$WORK/$body.json" || true)"
    HIT_STATUS="${result%% *}"
    HIT_SECONDS="${result##* }"
    sleep 0.2
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        code=0
        wait "$SERVER_PID" 2>/dev/null || code=$?
        HIT_STATUS="aborted(exit-$code)"
        HIT_SECONDS="-"
        start_server
    elif [ "$HIT_STATUS" = 000 ]; then
        # Still working on it: stop that server so that the next figures start from idle.
        HIT_STATUS="gave-up"
        HIT_SECONDS=">$MAX_TIME"
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        start_server
    fi
}

# The same from a background attacker: no restarts, no shared state.
attack() {
    local body="$1" auth=()
    [ "${2:-}" = "editor" ] && auth=(-H "Authorization: Bearer $TOKEN")
    curl -s -o /dev/null --max-time "$MAX_TIME" "$URL/graphql" -H 'Content-Type: application/json' \
        "${auth[@]}" --data-binary "@$WORK/$body.json" || true
}

printf '\n%-20s %16s %11s %s\n' request status "median (s)" "first answer's message"
for body in list-1518 object-1518 default-1518 directive-1518 list-100000 default-100000 directive-100000 \
    spreads-20 spreads-24 spreads-26 spreads-30 spreads-only-x4-12 unused-chain-5000 trend-x100 stats-asof-x100 ranking-asof-x100; do
    who=""
    case "$body" in trend-*|stats-*|ranking-*) who=editor ;; esac
    times=()
    message=""
    for run in $(seq 1 "$RUNS"); do
        hit "$body" "$who"
        if [ "$run" = 1 ]; then
            message="$(jq -r '.errors[0].message // "(no error)"' "$OUT/last-body.txt" 2>/dev/null | tr -s '\n ' ' ' | head -c 90 || true)"
        fi
        times+=("$HIT_SECONDS")
        # A request that took the server down or ran past BENCH_MAX_TIME, or one slower than
        # 5 s, is not repeated.
        case "$HIT_STATUS" in aborted*|gave-up) message=""; break ;; esac
        awk -v s="$HIT_SECONDS" 'BEGIN { exit !(s > 5) }' && break
    done
    printf '%-20s %16s %11s %s\n' "$body" "$HIT_STATUS" "$(printf '%s\n' "${times[@]}" | median)" "$message"
    echo "$body $HIT_STATUS ${times[*]}" >>"$OUT/hostile.txt"
done

# wrk's p99 and how many requests it is of (none answered: no p99).
p99() {
    local answered
    answered="$(awk '/ requests in / {print $1}' "$1")"
    if [ "${answered:-0}" = 0 ]; then echo "none (0 requests answered)"; else echo "$(awk '/^ +99%/ {print $2}' "$1") of $answered requests"; fi
}
echo
echo "normal query, wrk -t1 -c4 -d${WRK_SECONDS}s --latency:"
wrk -t1 -c4 -d"${WRK_SECONDS}s" --timeout 60s --latency -s "$WORK/normal.lua" "$URL/graphql" >"$OUT/wrk-quiet.txt"
echo "  quiet:                      p99 $(p99 "$OUT/wrk-quiet.txt"), $(awk '/Requests\/sec/ {print $2}' "$OUT/wrk-quiet.txt") req/s"
for attack in spreads-24 trend-x100; do
    who=""
    [ "$attack" = trend-x100 ] && who=editor
    attackers=()
    for _ in 1 2 3 4; do
        (end=$((SECONDS + WRK_SECONDS)); while [ "$SECONDS" -lt "$end" ]; do attack "$attack" "$who"; done) &
        attackers+=($!)
    done
    wrk -t1 -c4 -d"${WRK_SECONDS}s" --timeout 60s --latency -s "$WORK/normal.lua" "$URL/graphql" >"$OUT/wrk-$attack.txt"
    for pid in "${attackers[@]}"; do wait "$pid" 2>/dev/null || true; done
    echo "  4 attackers sending $attack: p99 $(p99 "$OUT/wrk-$attack.txt"), $(awk '/Requests\/sec/ {print $2}' "$OUT/wrk-$attack.txt") req/s, $(grep -o 'timeout [0-9]*' "$OUT/wrk-$attack.txt" || echo 'no timeouts')"
done
echo
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the end"
echo "raw outputs in $OUT"
