#!/usr/bin/env bash
# The PostgreSQL setup of docs/operations.md, end to end: an owner role migrates, the grants
# come from `taizhang db grants`, the server and the demo run as the app role, the close-out
# walk passes, the trail verifies, and the app role cannot UPDATE, DELETE or TRUNCATE the
# trail nor disable its triggers.
#   bash scripts/pg_app_role.sh target/debug/taizhang   (needs psql, curl, jq; PostgreSQL on
#   127.0.0.1:5432 with trust auth for local TCP, as .ci/run sets it up)
set -euo pipefail
BIN="$(realpath "${1:?binary}")"
HOST=127.0.0.1; PORT=5432; DB=taizhang_roles_check
OWNER=taizhang_owner_check; APP=taizhang_app_check
# Passwords, so that the roles log in whether the server trusts local TCP or asks for one.
OWNER_PW="owner-$RANDOM$RANDOM"; APP_PW="app-$RANDOM$RANDOM"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
su_sql() { psql -w -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PORT" -U postgres "$@"; }
cleanup() {
    su_sql -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
    su_sql -d postgres -c "DROP ROLE IF EXISTS $APP" >/dev/null 2>&1 || true
    su_sql -d postgres -c "DROP ROLE IF EXISTS $OWNER" >/dev/null 2>&1 || true
}
cleanup
trap cleanup EXIT
su_sql -d postgres -c "CREATE ROLE $OWNER LOGIN PASSWORD '$OWNER_PW'" -c "CREATE ROLE $APP LOGIN PASSWORD '$APP_PW'" \
    -c "CREATE DATABASE $DB OWNER $OWNER"
su_sql -d "$DB" -c "REVOKE CREATE ON SCHEMA public FROM PUBLIC" -c "ALTER SCHEMA public OWNER TO $OWNER"
OWNER_URL="postgres://$OWNER:$OWNER_PW@$HOST:$PORT/$DB"; APP_URL="postgres://$APP:$APP_PW@$HOST:$PORT/$DB"
export RUST_LOG=warn
"$BIN" migrate --database-url "$OWNER_URL"
"$BIN" db grants --role "$APP" --database-url "$OWNER_URL" > "${TMPDIR:-/tmp}/taizhang-grants.sql"
echo "grants:"; sed 's/^/  /' "${TMPDIR:-/tmp}/taizhang-grants.sql"
PGPASSWORD="$OWNER_PW" psql -w -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PORT" -U "$OWNER" -d "$DB" -f "${TMPDIR:-/tmp}/taizhang-grants.sql"

echo "--- the close-out walk, demo and server as $APP:"
WALK="$(WALK_DATABASE_URL="$APP_URL" bash scripts/walk_close_out.sh "$BIN")"
echo "$WALK"
grep -q '"code":"GATE_NOT_MET"' <<<"$WALK" || { echo "FAIL: the gate did not refuse the empty submission"; exit 1; }
grep -q '"status":"CLOSED"' <<<"$WALK" || { echo "FAIL: the 督查组 could not close the measure"; exit 1; }
"$BIN" audit verify --database-url "$APP_URL"

echo "--- what $APP may not do to the trail:"
app_sql() { PGPASSWORD="$APP_PW" psql -w -X -q -h "$HOST" -p "$PORT" -U "$APP" -d "$DB" -c "$1" 2>&1 || true; }
for sql in "UPDATE audit_event SET actor_name = 'x' WHERE seq = 1" "DELETE FROM audit_event WHERE seq = 1" \
           "TRUNCATE audit_event" "ALTER TABLE audit_event DISABLE TRIGGER USER"; do
    out="$(app_sql "$sql")"
    echo "$sql → $out"
    grep -Eq 'permission denied|must be owner' <<<"$out" || { echo "FAIL: $APP could run: $sql"; exit 1; }
done
echo "pg_app_role: ok"
