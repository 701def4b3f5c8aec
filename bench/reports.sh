#!/usr/bin/env bash
# Report timings on a large ledger (issue 5): builds BENCH_MEASURES measures (default 10 000,
# about 11 audit events each: ~110 000 events) through the domain services into a fresh
# database per engine, then times ledgerStats and unitRanking now and as of the end of loading,
# BENCH_RUNS times each (default 5), and prints the medians and the peak memory of the whole run.
#
#   bash bench/reports.sh
#
# Settings: BENCH_ENGINES="sqlite postgres", BENCH_MEASURES=10000, BENCH_RUNS=5,
# BENCH_PG_HOST/BENCH_PG_PORT/BENCH_PG_USER (127.0.0.1/5432/postgres), BENCH_SKIP_BUILD=1.
# Raw outputs go to bench/results/reports-<UTC time>/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
ENGINES="${BENCH_ENGINES:-sqlite postgres}"
PG_HOST="${BENCH_PG_HOST:-127.0.0.1}"
PG_PORT="${BENCH_PG_PORT:-5432}"
PG_USER="${BENCH_PG_USER:-postgres}"
OUT="${BENCH_OUT:-$ROOT/bench/results/reports-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
export BENCH_MEASURES="${BENCH_MEASURES:-10000}" BENCH_RUNS="${BENCH_RUNS:-5}"

need=()
[ -x /usr/bin/time ] || need+=(time)
case " $ENGINES " in *" postgres "*) command -v psql >/dev/null 2>&1 || need+=(postgresql-client) ;; esac
if [ "${#need[@]}" -gt 0 ]; then
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -q
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi

if [ "${BENCH_SKIP_BUILD:-0}" != "1" ]; then
    cargo build --release --example report_bench
fi
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/report_bench"
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac

for engine in $ENGINES; do
    case "$engine" in
        sqlite)
            db="$(mktemp -u /tmp/taizhang-report-bench.XXXXXX).db"
            url="sqlite://$db?mode=rwc"
            ;;
        postgres)
            name="taizhang_report_bench_$(date -u +%Y%m%d%H%M%S)_$$"
            psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "CREATE DATABASE \"$name\"" >/dev/null
            url="postgres://$PG_USER@$PG_HOST:$PG_PORT/$name"
            ;;
        *) echo "unknown engine $engine" >&2; exit 2 ;;
    esac
    echo "==> $engine: $BENCH_MEASURES measures, $BENCH_RUNS runs"
    status=0
    /usr/bin/time -v "$BIN" "$url" >"$OUT/$engine.txt" 2>"$OUT/$engine.time.txt" || status=$?
    cat "$OUT/$engine.txt"
    grep -E "Maximum resident set size|Elapsed \(wall clock\)" "$OUT/$engine.time.txt" | sed 's/^\s*/    /'
    case "$engine" in
        sqlite) rm -f "$db" "$db-wal" "$db-shm" ;;
        postgres) psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null ;;
    esac
    [ "$status" -eq 0 ] || { echo "FAIL: $engine (exit $status; see $OUT)" >&2; exit 1; }
done
echo "raw outputs in $OUT"
