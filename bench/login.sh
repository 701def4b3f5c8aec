#!/usr/bin/env bash
# Writes while strangers guess passwords (issue 12, point 5): the p99 of createPerson alone, and
# while 8 attackers send failing logins, each from its own loopback address and username so
# that the login limits (5 failures a minute per username and per address) do not stop the
# hashing. SQLite, and PostgreSQL when it answers.
#
#   bash bench/login.sh                                       # builds target/release/taizhang
#   BENCH_BINARY=/path/to/other/taizhang bash bench/login.sh  # the same against another build
#
# Settings: BENCH_BINARY, BENCH_ENGINES="sqlite postgres", BENCH_SECONDS=10, BENCH_PORT=18094,
# BENCH_PG_URL=postgres://postgres@127.0.0.1:5432 (databases are created and dropped).
# Needs curl, jq, wrk, psql (for PostgreSQL). Raw outputs go to bench/results/login-<UTC time>/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
ENGINES="${BENCH_ENGINES:-sqlite postgres}"
SECONDS_RUN="${BENCH_SECONDS:-10}"
PORT="${BENCH_PORT:-18094}"
PG="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
OUT="${BENCH_OUT:-$ROOT/bench/results/login-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
URL="http://127.0.0.1:$PORT/graphql"

if [ -n "${BENCH_BINARY:-}" ]; then
    BIN="$BENCH_BINARY"
else
    cargo build --release
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/taizhang"
fi
WORK="$(mktemp -d /tmp/taizhang-login.XXXXXX)"
SERVER_PID=""
PG_DB=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    jobs -p | xargs -r kill 2>/dev/null || true
    [ -n "$PG_DB" ] && psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

gql() { curl -s "$URL" -H 'Content-Type: application/json' "$@"; }
p99() { awk '/BENCH_RESULT/ { for (i = 1; i <= NF; i++) if ($i ~ /^p99_ms=/) { sub("p99_ms=", "", $i); print $i } }' "$1"; }
ok() { awk '/BENCH_RESULT/ { for (i = 1; i <= NF; i++) if ($i ~ /^ok=/) { sub("ok=", "", $i); print $i } }' "$1"; }

# One attacker: failing logins, each from a new loopback address (127.1.<n>.<k>) and username.
attacker() {
    local n="$1" k=0 end=$((SECONDS + SECONDS_RUN))
    while [ "$SECONDS" -lt "$end" ]; do
        k=$((k + 1))
        curl -s -o /dev/null --max-time 30 --interface "127.1.$n.$((k % 250 + 1))" "$URL" \
            -H 'Content-Type: application/json' \
            -d "{\"query\":\"mutation { login(input: {username: \\\"guess$n-$k\\\", password: \\\"not-the-password-$k\\\"}) { token } }\"}" || true
    done
}

echo "binary: $BIN"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at start"
for engine in $ENGINES; do
    case "$engine" in
        sqlite) db="sqlite://$WORK/bench.db?mode=rwc" ;;
        postgres)
            if ! psql "$PG/postgres" -qAtc 'SELECT 1' >/dev/null 2>&1; then
                echo "$engine: no server at $PG, skipped"
                continue
            fi
            PG_DB="taizhang_login_bench_$$"
            psql "$PG/postgres" -qc "CREATE DATABASE \"$PG_DB\"" >/dev/null
            db="$PG/$PG_DB"
            ;;
    esac
    password="bench-password-$RANDOM$RANDOM"
    printf '%s\n' "$password" | RUST_LOG=warn "$BIN" account create --admin --username bench \
        --display-name 压测管理员 --database-url "$db" >"$OUT/account-$engine.log" 2>&1
    RUST_LOG=warn "$BIN" serve --database-url "$db" --bind "127.0.0.1:$PORT" >"$OUT/server-$engine.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
    TOKEN="$(gql -d "$(jq -nc --arg p "$password" '{query: "mutation($p: String!) { login(input: {username: \"bench\", password: $p}) { token } }", variables: {p: $p}}')" | jq -r '.data.login.token')"
    export TOKEN
    unit="$(gql -H "Authorization: Bearer $TOKEN" -d '{"query":"mutation { createUnit(input: {name: \"压测单位\", shortCode: \"bench\", kind: DEPARTMENT}) { unit { id } } }"}' | jq -r '.data.createUnit.unit.id')"
    run() {
        wrk -t1 -c4 -d"${SECONDS_RUN}s" --timeout 30s -s bench/create_person.lua "$URL" -- "$unit" $((SECONDS_RUN - 2)) >"$OUT/$engine-$1.txt"
    }
    run quiet
    attackers=()
    for n in 1 2 3 4 5 6 7 8; do
        attacker "$n" &
        attackers+=($!)
    done
    run attacked
    for pid in "${attackers[@]}"; do wait "$pid" 2>/dev/null || true; done
    echo "$engine: createPerson p99 $(p99 "$OUT/$engine-quiet.txt") ms ($(ok "$OUT/$engine-quiet.txt") ok) alone, $(p99 "$OUT/$engine-attacked.txt") ms ($(ok "$OUT/$engine-attacked.txt") ok) with 8 login attackers"
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the end"
echo "raw outputs in $OUT"
