#!/usr/bin/env bash
# Prints the demo's Excel ledger (台账) the way an office does — LibreOffice, headless, to PDF —
# and checks the paper: the page count, the header on every page, page numbers in the footer,
# and that every row's text is on its row, neither clipped nor running over the rows below.
# scripts/check_ledger_print.py says exactly how. Not in CI (LibreOffice is large):
#   bash scripts/check_ledger_print.sh [path/to/taizhang]   (default: builds target/debug)
# Needs curl and jq; installs Debian's libreoffice-calc and poppler-utils when missing (root).
# KEEP=dir keeps the workbook, the PDF and page PNGs there.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null; then
    apt-get install -y libreoffice-calc poppler-utils >/dev/null
fi
if [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
    apt-get install -y fonts-wqy-microhei >/dev/null # LibreOffice needs a Chinese font
fi
BIN="${1:-}"
if [ -z "$BIN" ]; then
    cargo build -q --bin taizhang
    BIN="${CARGO_TARGET_DIR:-target}/debug/taizhang"
fi
PORT="${PORT:-18097}"; URL="http://127.0.0.1:$PORT"
W="${KEEP:-$(mktemp -d)}"; mkdir -p "$W"; DB="sqlite://$W/demo.db?mode=rwc"; rm -f "$W/demo.db"*
"$BIN" demo --database-url "$DB" > "$W/demo.txt" 2>/dev/null
RUST_LOG=warn "$BIN" serve --database-url "$DB" --bind "127.0.0.1:$PORT" > "$W/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
for _ in $(seq 1 100); do curl -fs "$URL/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
PW=$(sed -n 's/^ *account ducha \/ password \([^ ]*\) .*/\1/p' "$W/demo.txt")
TOKEN=$(curl -s "$URL/graphql" -H 'Content-Type: application/json' \
    -d "$(jq -nc --arg p "$PW" '{query:"mutation($p:String!){login(input:{username:\"ducha\",password:$p}){token}}",variables:{p:$p}}')" |
    jq -r .data.login.token)
CAMPAIGN=$(sed -n 's/^demo ledger loaded: campaign .* (\(.*\))$/\1/p' "$W/demo.txt")
curl -fs -H "Authorization: Bearer $TOKEN" "$URL/export/ledger.xlsx?campaignId=$CAMPAIGN" -o "$W/ledger.xlsx"
# A profile of its own, so a LibreOffice already running elsewhere is not disturbed.
soffice -env:UserInstallation="file://$W/lo-profile" --headless --convert-to pdf --outdir "$W" "$W/ledger.xlsx" >/dev/null 2>&1
python3 scripts/check_ledger_print.py "$W/ledger.xlsx" "$W/ledger.pdf" "$W"
