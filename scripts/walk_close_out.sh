#!/usr/bin/env bash
# Replays issue 10's close-out steps (points 1-3) against a server on a fresh demo ledger:
#   bash scripts/walk_close_out.sh target/release/taizhang   (needs curl and jq)
# WALK_DATABASE_URL=postgres://… walks an empty database of yours instead of a fresh SQLite file.
set -euo pipefail
BIN="${1:?binary}"; PORT=18095; URL="http://127.0.0.1:$PORT"
W="$(mktemp -d)"; DB="${WALK_DATABASE_URL:-sqlite://$W/demo.db?mode=rwc}"
"$BIN" demo --database-url "$DB" > "$W/demo.txt" 2>/dev/null
pw() { sed -n "s/^ *account $1 \/ password \([^ ]*\) .*/\1/p" "$W/demo.txt"; }
RUST_LOG=warn "$BIN" serve --database-url "$DB" --bind "127.0.0.1:$PORT" > "$W/server.log" 2>&1 &
PID=$!; trap 'kill $PID; rm -rf "$W"' EXIT
for _ in $(seq 1 100); do curl -fs "$URL/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
gql() { local t="$1"; shift; curl -s "$URL/graphql" -H 'Content-Type: application/json' ${t:+-H "Authorization: Bearer $t"} -d "$1"; }
login() { gql "" "$(jq -nc --arg u "$1" --arg p "$2" '{query:"mutation($u:String!,$p:String!){login(input:{username:$u,password:$p}){token}}",variables:{u:$u,p:$p}}')" | jq -r .data.login.token; }
ADMIN=$(login admin "$(pw admin)"); SHUILI=$(login shuili "$(pw shuili)")
# 李红梅 (县水利局副局长) gets an account with SUPERVISOR on 县水利局, as in the issue's walk.
LI=$(gql "$ADMIN" '{"query":"{ people(filter:{search:\"李红梅\"}) { nodes { id } } units(filter:{search:\"QS-SLJ\"}) { nodes { id shortCode } } }"}')
PERSON=$(jq -r '.data.people.nodes[0].id' <<<"$LI"); UNIT=$(jq -r '.data.units.nodes[] | select(.shortCode=="QS-SLJ") | .id' <<<"$LI")
ACC=$(gql "$ADMIN" "$(jq -nc --arg p "$PERSON" '{query:"mutation($p:ID!){createAccount(input:{username:\"lihm\",displayName:\"李红梅\",personId:$p,password:\"Lihongmei-2026!\"}){account{id}}}",variables:{p:$p}}')" | jq -r .data.createAccount.account.id)
gql "$ADMIN" "$(jq -nc --arg a "$ACC" --arg u "$UNIT" '{query:"mutation($a:ID!,$u:ID!){grantRole(input:{accountId:$a,role:SUPERVISOR,unitId:$u}){grant{role}}}",variables:{a:$a,u:$u}}')" >/dev/null
LIHM=$(login lihm 'Lihongmei-2026!')
# A measure she leads, still open: one IN_PROGRESS measure of 县水利局 with 李红梅 as 责任领导.
M=$(gql "$ADMIN" "$(jq -nc --arg p "$PERSON" '{query:"query($p:ID!){measures(first:50, filter:{responsibleLeaderId:$p, status:[IN_PROGRESS, PENDING]}){nodes{id version status progressPercent title}}}",variables:{p:$p}}')" | jq -c '.data.measures.nodes[0]')
ID=$(jq -r .id <<<"$M"); V=$(jq -r .version <<<"$M")
echo "measure: $M"
echo "--- 1. submit at $(jq -r .progressPercent <<<"$M")% with no evidence (shuili, EDITOR of 县水利局):"
[ "$(jq -r .status <<<"$M")" = PENDING ] && V=$(gql "$SHUILI" "$(jq -nc --arg i "$ID" --argjson v "$V" '{query:"mutation($i:ID!,$v:Int!){startMeasure(input:{id:$i,expectedVersion:$v}){measure{version}}}",variables:{i:$i,v:$v}}')" | jq .data.startMeasure.measure.version)
HEAD0=$(gql "$ADMIN" '{"query":"{ auditHead { seq } }"}' | jq .data.auditHead.seq)
gql "$SHUILI" "$(jq -nc --arg i "$ID" --argjson v "$V" '{query:"mutation($i:ID!,$v:Int!){submitMeasure(input:{id:$i,expectedVersion:$v}){measure{status}}}",variables:{i:$i,v:$v}}')" | jq -c '.errors[0] | {code: .extensions.code, unmet: [.extensions.unmet[].field], message}'
echo "audit head before/after: $HEAD0 / $(gql "$ADMIN" '{"query":"{ auditHead { seq } }"}' | jq .data.auditHead.seq)"
echo "--- 2. report 100 %, attach the report, submit (shuili):"
V=$(gql "$SHUILI" "$(jq -nc --arg i "$ID" --argjson v "$V" '{query:"mutation($i:ID!,$v:Int!){reportProgress(input:{id:$i,expectedVersion:$v,percent:100,text:\"整改完成\"}){measure{version}}}",variables:{i:$i,v:$v}}')" | jq .data.reportProgress.measure.version)
printf '整改完成情况报告' > "$W/report.txt"
curl -s "$URL/graphql" -H "Authorization: Bearer $SHUILI" -F operations="$(jq -nc --arg i "$ID" '{query:"mutation($i:UploadEvidenceInput!){uploadEvidence(input:$i){evidence{fileName}}}",variables:{i:{measureId:$i,file:null}}}')" -F map='{"0":["variables.i.file"]}' -F 0=@"$W/report.txt" | jq -c .data
OUT=$(gql "$SHUILI" "$(jq -nc --arg i "$ID" --argjson v "$V" '{query:"mutation($i:ID!,$v:Int!){submitMeasure(input:{id:$i,expectedVersion:$v}){measure{version status}}}",variables:{i:$i,v:$v}}')"); echo "$OUT"; V=$(jq .data.submitMeasure.measure.version <<<"$OUT")
echo "--- 3. 李红梅 (责任领导, SUPERVISOR on 县水利局) verifies PASS:"
HEAD0=$(gql "$ADMIN" '{"query":"{ auditHead { seq } }"}' | jq .data.auditHead.seq)
gql "$LIHM" "$(jq -nc --arg i "$ID" --argjson v "$V" '{query:"mutation($i:ID!,$v:Int!){verifyMeasure(input:{id:$i,expectedVersion:$v,result:PASS}){measure{status}}}",variables:{i:$i,v:$v}}')" | jq -c '.errors[0] | {code: .extensions.code, message}'
echo "audit head before/after: $HEAD0 / $(gql "$ADMIN" '{"query":"{ auditHead { seq } }"}' | jq .data.auditHead.seq)"
echo "--- 4. the 督查组 (ducha) verifies PASS:"
DUCHA=$(login ducha "$(pw ducha)")
gql "$DUCHA" "$(jq -nc --arg i "$ID" --argjson v "$V" '{query:"mutation($i:ID!,$v:Int!){verifyMeasure(input:{id:$i,expectedVersion:$v,result:PASS,comment:\"经核查整改到位\"}){measure{status} verification{verifierName}}}",variables:{i:$i,v:$v}}')" | jq -c .data
echo "--- 5. 五到位: a measure without leader, person and criteria (shuili):"
P=$(gql "$SHUILI" "$(jq -nc --arg u "$UNIT" '{query:"query($u:ID!){problems(first:1, filter:{leadUnitId:$u}){nodes{id leadUnit{id}}}}",variables:{u:$u}}')" | jq -c '.data.problems.nodes[0]')
gql "$SHUILI" "$(jq -nc --arg p "$(jq -r .id <<<"$P")" --arg u "$(jq -r .leadUnit.id <<<"$P")" '{query:"mutation($p:ID!,$u:ID!){createMeasure(input:{problemId:$p,title:\"补充措施\",leadUnitId:$u,deadline:\"2027-03-31\"}){measure{id}}}",variables:{p:$p,u:$u}}')" | jq -c '.errors[0] | {code: .extensions.code, field: .extensions.field, message}'
