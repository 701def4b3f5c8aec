#!/usr/bin/env bash
# How many SQL statements one `node(id:)` costs, per type of object (issue 9, point 3), counted
# in PostgreSQL's own statement log on the demo ledger.
#
#   bash bench/node_statements.sh                              # builds target/release/taizhang
#   BENCH_BINARY=/path/to/old/taizhang bash bench/node_statements.sh   # another build
#
# Settings: BENCH_BINARY (skips the build), BENCH_PORT=18094,
# BENCH_PG=postgres://postgres@127.0.0.1:5432 (a superuser: it creates a database and sets
# log_statement on it), BENCH_PG_LOG=/var/log/postgresql/postgresql-15-main.log (where that
# server writes its log; it must be readable).
# Each count is the statements logged for one POST of `node(id:)` minus those of the same
# request asking only `__typename` (authentication: token, account, grants).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
PORT="${BENCH_PORT:-18094}"
PG="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
PG_LOG="${BENCH_PG_LOG:-/var/log/postgresql/postgresql-15-main.log}"
DBNAME="taizhang_nodebench"
URL="http://127.0.0.1:$PORT"
for tool in curl jq psql; do
    command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
[ -r "$PG_LOG" ] || { echo "cannot read $PG_LOG (set BENCH_PG_LOG)" >&2; exit 1; }

if [ -n "${BENCH_BINARY:-}" ]; then
    BIN="$BENCH_BINARY"
else
    cargo build --release
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/taizhang"
fi

WORK="$(mktemp -d /tmp/taizhang-node.XXXXXX)"
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    psql "$PG/postgres" -qAtc "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

psql "$PG/postgres" -qAtc "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)"
psql "$PG/postgres" -qAtc "CREATE DATABASE $DBNAME"
DB="$PG/$DBNAME"
echo "binary: $BIN"
"$BIN" demo --database-url "$DB" >"$WORK/demo.txt" 2>&1
PASSWORD="$(sed -n 's/^ *account admin \/ password \([^ ]*\) .*/\1/p' "$WORK/demo.txt")"
[ -n "$PASSWORD" ] || { echo "no password for admin in the demo output" >&2; cat "$WORK/demo.txt" >&2; exit 1; }
# Log every statement of this database only, from the server's connections on.
psql "$PG/postgres" -qAtc "ALTER DATABASE $DBNAME SET log_statement = 'all'"

RUST_LOG=warn "$BIN" serve --database-url "$DB" --bind "127.0.0.1:$PORT" --db-max-connections 2 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
    curl -fs "$URL/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done

gql() { curl -s "$URL/graphql" -H 'Content-Type: application/json' "$@"; }
TOKEN="$(gql -d "$(jq -nc --arg p "$PASSWORD" '{query: "mutation($p: String!) { login(input: {username: \"admin\", password: $p}) { token } }", variables: {p: $p}}')" | jq -r '.data.login.token')"
[ -n "$TOKEN" ] && [ "$TOKEN" != "null" ] || { echo "cannot log in as admin" >&2; exit 1; }
auth=(-H "Authorization: Bearer $TOKEN")
ids="$(gql "${auth[@]}" -d '{"query":"{ units(first: 1) { edges { node { id } } } measures(first: 50) { edges { node { id milestones { id } verifications { id } evidence { id } } } } supervisionActions(first: 1) { edges { node { id } } } }"}')"
pick() { jq -r "$1" <<<"$ids" | grep -v null | head -1; }
declare -A sample=(
    [Unit]="$(pick '.data.units.edges[0].node.id')"
    [Measure]="$(pick '.data.measures.edges[].node.id')"
    [Milestone]="$(pick '.data.measures.edges[].node.milestones[]?.id')"
    [Verification]="$(pick '.data.measures.edges[].node.verifications[]?.id')"
    [Evidence]="$(pick '.data.measures.edges[].node.evidence[]?.id')"
    [SupervisionAction]="$(pick '.data.supervisionActions.edges[0].node.id')"
)

# Statements logged while running one request.
statements() {
    local before after
    sleep 0.3
    before="$(wc -l <"$PG_LOG")"
    gql "${auth[@]}" -d "$1" >"$WORK/answer.json"
    sleep 0.5
    after="$(wc -l <"$PG_LOG")"
    tail -n "+$((before + 1))" "$PG_LOG" | head -n "$((after - before))" | grep -cE "$DBNAME LOG:  (statement|execute [^:]*):" || true
}
base="$(statements '{"query":"{ __typename }"}')"
echo "authentication alone: $base statements"
printf '%-18s %s\n' type "statements for node(id:)"
for type in Unit Measure Milestone Verification Evidence SupervisionAction; do
    id="${sample[$type]}"
    [ -n "$id" ] || { printf '%-18s %s\n' "$type" "(no sample in the demo)"; continue; }
    n="$(statements "$(jq -nc --arg id "$id" '{query: "query($id: ID!) { node(id: $id) { __typename id } }", variables: {id: $id}}')")"
    got="$(jq -r '.data.node.__typename // "null"' "$WORK/answer.json")"
    printf '%-18s %s (answered %s)\n' "$type" "$((n - base))" "$got"
done
