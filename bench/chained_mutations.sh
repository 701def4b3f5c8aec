#!/usr/bin/env bash
# Chained mutations per second: createPerson over GraphQL (each one appends one event to the
# hash-chained audit trail), 16 concurrent clients, on SQLite and on PostgreSQL, RUNS runs
# each, in one invocation. See bench/README.md.
#
#   bash bench/chained_mutations.sh
#
# Settings (environment): BENCH_ENGINES="sqlite postgres", BENCH_RUNS=3, BENCH_DURATION=10
# (seconds per wrk run), BENCH_DRAIN=2 (seconds at the end of each run with no new requests,
# so every mutation sent is answered), BENCH_THREADS=2, BENCH_CONNECTIONS=16,
# BENCH_WRK_TIMEOUT=30s (slower answers count as errors and miss the percentiles),
# BENCH_RUST_LOG=warn (server log filter), BENCH_SKIP_BUILD=1 (use the release binary as is),
# BENCH_PG_HOST/BENCH_PG_PORT/BENCH_PG_USER (127.0.0.1/5432/postgres), BENCH_OUT (where the raw
# outputs go; default bench/results/<UTC time>), BENCH_SQLITE_PORT=18091,
# BENCH_POSTGRES_PORT=18092. Any TAIZHANG_* variable is passed to the server as usual
# (for example TAIZHANG_DB_MAX_CONNECTIONS or TAIZHANG_WORKERS).
#
# Exit status: 0 when every run had no errors, every mutation sent was answered, the audit
# chain grew by exactly the number of successful mutations, and `taizhang audit verify`
# passed on every database; 1 otherwise (all figures are printed either way).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"

ENGINES="${BENCH_ENGINES:-sqlite postgres}"
RUNS="${BENCH_RUNS:-3}"
DURATION="${BENCH_DURATION:-10}"
DRAIN="${BENCH_DRAIN:-2}"
THREADS="${BENCH_THREADS:-2}"
# wrk leaves responses slower than its --timeout (2 s by default) out of the latency histogram
# and counts them as timeouts; the server may legitimately wait up to its 30 s busy timeout.
WRK_TIMEOUT="${BENCH_WRK_TIMEOUT:-30s}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
PG_HOST="${BENCH_PG_HOST:-127.0.0.1}"
PG_PORT="${BENCH_PG_PORT:-5432}"
PG_USER="${BENCH_PG_USER:-postgres}"
SQLITE_PORT="${BENCH_SQLITE_PORT:-18091}"
POSTGRES_PORT="${BENCH_POSTGRES_PORT:-18092}"
SERVER_LOG_FILTER="${BENCH_RUST_LOG:-warn}"
OUT="${BENCH_OUT:-$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)}"
LUA="$ROOT/bench/create_person.lua"
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/taizhang"
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac

export CARGO_TERM_COLOR=never

say() { echo "==> [$(date -u +%H:%M:%S)] $*"; }
fail() {
    echo "FAIL: $*" >&2
    FAILED=1
}
FAILED=0

# --- tools -------------------------------------------------------------------------------------
need_packages=()
command -v wrk >/dev/null 2>&1 || need_packages+=(wrk)
command -v curl >/dev/null 2>&1 || need_packages+=(curl)
command -v jq >/dev/null 2>&1 || need_packages+=(jq)
case " $ENGINES " in
    *" postgres "*) command -v psql >/dev/null 2>&1 || need_packages+=(postgresql-client) ;;
esac
if [ "${#need_packages[@]}" -gt 0 ]; then
    say "installing from Debian: ${need_packages[*]}"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -q
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_packages[@]}"
fi

# --- state and clean-up -------------------------------------------------------------------------
SERVER_PID=""
PG_DB=""
WORK_DIR="$(mktemp -d /tmp/taizhang-bench.XXXXXX)"

stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}

drop_pg_db() {
    if [ -n "$PG_DB" ]; then
        psql -w -X -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres \
            -c "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null 2>&1 \
            || echo "warning: could not drop database $PG_DB" >&2
        PG_DB=""
    fi
}

cleanup() {
    stop_server
    drop_pg_db
    rm -rf "$WORK_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- helpers -------------------------------------------------------------------------------------
gql() { # gql URL JSON-BODY -> response body on stdout, as the bench administrator once logged in
    local auth=()
    [ -n "${TOKEN:-}" ] && auth=(-H "authorization: Bearer $TOKEN")
    curl -sS --max-time 30 -H 'content-type: application/json' "${auth[@]}" --data-binary "$2" "$1"
}

audit_head_seq() {
    local body
    body="$(gql "$1" '{"query":"{ auditHead { seq } }"}')"
    jq -er '.data.auditHead.seq' <<<"$body" || {
        echo "auditHead failed: $body" >&2
        return 1
    }
}

median() { # numbers on stdin -> median
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit }
        if (NR % 2) printf "%.2f\n", v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

field() { # field NAME LINE -> value of NAME=value in a BENCH_RESULT line
    tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1 == k { print $2 }'
}

# Another build or test on the same two cores lowers the figures: note it beside the run.
others_busy() {
    local names
    names="$(pgrep -x 'rustc|cargo|cc1|ld|cargo-nextest' -l 2>/dev/null | awk '{ print $2 }' | sort -u | tr '\n' ' ')"
    [ -n "$names" ] && echo "$names"
}
WARNINGS=()

port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# --- build ---------------------------------------------------------------------------------------
if [ "${BENCH_SKIP_BUILD:-0}" != "1" ]; then
    say "cargo build --release"
    cargo build --release
fi
[ -x "$BIN" ] || { echo "no release binary at $BIN" >&2; exit 1; }
mkdir -p "$OUT"

say "machine: $(nproc) cores; $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2); binary $BIN"
say "load: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --timeout $WRK_TIMEOUT (new requests for $((DURATION - DRAIN)) s, then ${DRAIN} s to drain), $RUNS runs per engine"
say "raw outputs in $OUT"

RESULTS="$OUT/results.tsv"
printf 'engine\trun\trps\tp50_ms\tp99_ms\tsent\tok\tnon2xx\tgql_errors\tsocket_errors\tchain_delta\tchain_ok\n' >"$RESULTS"

# --- one engine ----------------------------------------------------------------------------------
bench_engine() {
    local engine="$1" port url
    case "$engine" in
        sqlite)
            port="$SQLITE_PORT"
            url="sqlite://$WORK_DIR/bench.db?mode=rwc"
            ;;
        postgres)
            port="$POSTGRES_PORT"
            if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
                fail "PostgreSQL does not answer on $PG_HOST:$PG_PORT (bash .ci/run with CI_STEPS=a starts it)"
                return
            fi
            PG_DB="taizhang_bench_$(date -u +%Y%m%d%H%M%S)_$RANDOM"
            psql -w -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres \
                -c "CREATE DATABASE \"$PG_DB\""
            url="postgres://$PG_USER@$PG_HOST:$PG_PORT/$PG_DB"
            ;;
        *)
            fail "unknown engine $engine"
            return
            ;;
    esac
    local base="http://127.0.0.1:$port"
    if ! port_free "$port"; then
        fail "127.0.0.1:$port is already in use"
        drop_pg_db
        return
    fi

    # Writes need an account: a whole-tree administrator, made the way an operator makes the first.
    local password
    password="bench-$(date +%s%N)-password"
    if ! printf '%s\n' "$password" | RUST_LOG=warn "$BIN" account create --admin --username bench \
        --display-name 压测管理员 --database-url "$url" >"$OUT/account-$engine.log" 2>&1; then
        fail "$engine: taizhang account create failed (log: $OUT/account-$engine.log)"
        drop_pg_db
        return
    fi

    say "$engine: starting $BIN serve --database-url $url --bind 127.0.0.1:$port"
    RUST_LOG="$SERVER_LOG_FILTER" "$BIN" serve --database-url "$url" --bind "127.0.0.1:$port" \
        >"$OUT/server-$engine.log" 2>&1 &
    SERVER_PID=$!
    local up=0
    for _ in $(seq 1 300); do
        if curl -fsS --max-time 2 "$base/healthz" >/dev/null 2>&1; then
            up=1
            break
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.2
    done
    if [ "$up" != 1 ]; then
        fail "$engine: the server did not answer /healthz (log: $OUT/server-$engine.log)"
        tail -n 20 "$OUT/server-$engine.log" >&2 || true
        stop_server
        drop_pg_db
        return
    fi

    local body unit_id
    TOKEN=""
    body="$(gql "$base/graphql" "{\"query\":\"mutation(\$p:String!){login(input:{username:\\\"bench\\\",password:\$p}){token}}\",\"variables\":{\"p\":\"$password\"}}")"
    if ! TOKEN="$(jq -er '.data.login.token' <<<"$body")"; then
        fail "$engine: login failed: $body"
        stop_server
        drop_pg_db
        return
    fi
    export TOKEN
    body="$(gql "$base/graphql" '{"query":"mutation($i:CreateUnitInput!){createUnit(input:$i){unit{id}}}","variables":{"i":{"name":"压测单位","shortCode":"BENCH","kind":"DEPARTMENT"}}}')"
    if ! unit_id="$(jq -er '.data.createUnit.unit.id' <<<"$body")"; then
        fail "$engine: createUnit failed: $body"
        stop_server
        drop_pg_db
        return
    fi
    echo "unit $unit_id"

    local head_start head_before head_after run line
    head_start="$(audit_head_seq "$base/graphql")"
    local total_ok=0
    for run in $(seq 1 "$RUNS"); do
        head_before="$(audit_head_seq "$base/graphql")"
        local busy_before busy_after
        busy_before="$(others_busy || true)"
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout "$WRK_TIMEOUT" --latency -s "$LUA" "$base/graphql" \
            -- "$unit_id" "$((DURATION - DRAIN))" >"$OUT/wrk-$engine-$run.txt" 2>&1 || {
            fail "$engine run $run: wrk failed"
            cat "$OUT/wrk-$engine-$run.txt" >&2
        }
        head_after="$(audit_head_seq "$base/graphql")"
        busy_after="$(others_busy || true)"
        if [ -n "$busy_before$busy_after" ]; then
            busy_after="$(tr ' ' '\n' <<<"$busy_before $busy_after" | sed '/^$/d' | sort -u | paste -sd ' ')"
            WARNINGS+=("$engine run $run: other processes were running ($busy_after): its figures are low")
        fi
        line="$(grep '^BENCH_RESULT ' "$OUT/wrk-$engine-$run.txt" || true)"
        if [ -z "$line" ]; then
            fail "$engine run $run: no BENCH_RESULT line"
            continue
        fi
        local sent ok non2xx gqlerr socket_errors rps p50 p99 delta chain_ok
        sent="$(field sent "$line")"
        ok="$(field ok "$line")"
        non2xx="$(field non2xx "$line")"
        gqlerr="$(field gql_errors "$line")"
        socket_errors=$(($(field connect_errors "$line") + $(field read_errors "$line") + $(field write_errors "$line") + $(field timeouts "$line")))
        rps="$(field rps "$line")"
        p50="$(field p50_ms "$line")"
        p99="$(field p99_ms "$line")"
        delta=$((head_after - head_before))
        total_ok=$((total_ok + ok))
        chain_ok=yes
        if [ "$delta" -ne "$ok" ]; then
            chain_ok=no
            fail "$engine run $run: the audit chain grew by $delta, but $ok mutations succeeded"
        fi
        if [ "$((non2xx + gqlerr + socket_errors))" -ne 0 ]; then
            fail "$engine run $run: $non2xx non-2xx, $gqlerr responses with errors, $socket_errors socket errors"
        fi
        if [ "$sent" -ne "$((ok + non2xx + gqlerr))" ]; then
            fail "$engine run $run: $sent requests sent but $((ok + non2xx + gqlerr)) answered before wrk stopped"
        fi
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$engine" "$run" "$rps" "$p50" "$p99" \
            "$sent" "$ok" "$non2xx" "$gqlerr" "$socket_errors" "$delta" "$chain_ok" >>"$RESULTS"
        printf '%s run %s: %s req/s, p50 %s ms, p99 %s ms, %s ok of %s sent, chain +%s (%s)\n' \
            "$engine" "$run" "$rps" "$p50" "$p99" "$ok" "$sent" "$delta" "$chain_ok"
    done
    local head_end
    head_end="$(audit_head_seq "$base/graphql")"
    stop_server

    local verify_out verify_rc=0
    verify_out="$(RUST_LOG=warn "$BIN" audit verify --database-url "$url" 2>&1)" || verify_rc=$?
    echo "$verify_out" | tee "$OUT/verify-$engine.txt"
    local verified_events
    verified_events="$(sed -n 's/^audit trail intact: \([0-9]*\) events, head seq \([0-9]*\) .*/\1 \2/p' <<<"$verify_out")"
    {
        printf '%s: audit verify exit %s; head seq before the runs %s, after %s (+%s); successful mutations %s\n' \
            "$engine" "$verify_rc" "$head_start" "$head_end" "$((head_end - head_start))" "$total_ok"
    } | tee -a "$OUT/summary.txt"
    if [ "$verify_rc" -ne 0 ]; then
        fail "$engine: taizhang audit verify exited $verify_rc"
    elif [ "${verified_events#* }" != "$head_end" ] || [ "${verified_events% *}" != "$head_end" ]; then
        fail "$engine: audit verify reports '$verified_events' (events, head seq), the server's head was $head_end"
    fi
    if [ "$((head_end - head_start))" -ne "$total_ok" ]; then
        fail "$engine: the chain grew by $((head_end - head_start)) over all runs, $total_ok mutations succeeded"
    fi
    drop_pg_db
}

for engine in $ENGINES; do
    bench_engine "$engine"
done

# --- report --------------------------------------------------------------------------------------
echo
echo "Chained mutations (createPerson + one audit event each), $CONNECTIONS clients, $THREADS wrk threads, $(nproc) cores"
echo
awk -F'\t' '
    BEGIN { fmt = "%-9s %3s %9s %8s %8s %7s %7s %6s %6s %7s %5s\n"
            printf fmt, "engine", "run", "req/s", "p50 ms", "p99 ms", "ok", "non-2xx", "errors", "socket", "chain+", "match" }
    NR > 1 { printf fmt, $1, $2, $3, $4, $5, $7, $8, $9, $10, $11, $12 }' "$RESULTS" | tee "$OUT/table.txt"
echo
declare -A MEDIAN
for engine in $ENGINES; do
    MEDIAN[$engine]="$(awk -F'\t' -v e="$engine" 'NR > 1 && $1 == e { print $3 }' "$RESULTS" | median)"
    p50m="$(awk -F'\t' -v e="$engine" 'NR > 1 && $1 == e { print $4 }' "$RESULTS" | median)"
    p99m="$(awk -F'\t' -v e="$engine" 'NR > 1 && $1 == e { print $5 }' "$RESULTS" | median)"
    printf 'median %-8s %10s req/s   (medians of the runs: p50 %s ms, p99 %s ms)\n' \
        "$engine" "${MEDIAN[$engine]}" "$p50m" "$p99m" | tee -a "$OUT/summary.txt"
done
if [ -n "${MEDIAN[sqlite]:-}" ] && [ -n "${MEDIAN[postgres]:-}" ]; then
    awk -v s="${MEDIAN[sqlite]}" -v p="${MEDIAN[postgres]}" \
        'BEGIN { if (p > 0) printf "SQLite/PostgreSQL ratio of medians: %.2f\n", s / p; else print "SQLite/PostgreSQL ratio: n/a" }' \
        | tee -a "$OUT/summary.txt"
fi
for w in "${WARNINGS[@]}"; do
    echo "WARNING: $w" | tee -a "$OUT/summary.txt"
done
echo
if [ "$FAILED" -ne 0 ]; then
    echo "RESULT: some checks FAILED (see above); raw outputs in $OUT"
    exit 1
fi
echo "RESULT: all checks passed (no errors, every mutation answered, chain length matched, audit verify ok); raw outputs in $OUT"
