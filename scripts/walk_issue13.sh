#!/usr/bin/env bash
# Replays issue 13's points 1 (问责), 2 (考核) and 5 (督查) against a server on a fresh demo
# ledger: a 问责 recorded and named in the next bulletin, an approved 减分 changing the ranking,
# an inspection finding turned into a problem, and some refusals.
#   bash scripts/walk_issue13.sh target/release/taizhang   (needs curl and jq)
set -euo pipefail
BIN="${1:?binary}"; PORT=18097; URL="http://127.0.0.1:$PORT"
W="$(mktemp -d)"; DB="sqlite://$W/demo.db?mode=rwc"
"$BIN" demo --database-url "$DB" > "$W/demo.txt" 2>/dev/null
pw() { sed -n "s/^ *account $1 \/ password \([^ ]*\) .*/\1/p" "$W/demo.txt"; }
RUST_LOG=warn "$BIN" serve --database-url "$DB" --bind "127.0.0.1:$PORT" > "$W/server.log" 2>&1 &
PID=$!; trap 'kill $PID; rm -rf "$W"' EXIT
for _ in $(seq 1 100); do curl -fs "$URL/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
gql() { local t="$1"; shift; curl -s "$URL/graphql" -H 'Content-Type: application/json' ${t:+-H "Authorization: Bearer $t"} -d "$1"; }
# gql TOKEN QUERY VARIABLES-JSON
gqv() { gql "$1" "$(jq -nc --arg q "$2" --argjson v "$3" '{query:$q,variables:$v}')"; }
login() { gqv "" 'mutation($u:String!,$p:String!){login(input:{username:$u,password:$p}){token}}' "$(jq -nc --arg u "$1" --arg p "$2" '{u:$u,p:$p}')" | jq -r .data.login.token; }
DUCHA=$(login ducha "$(pw ducha)"); JIWEI=$(login jiwei "$(pw jiwei)"); ADMIN=$(login admin "$(pw admin)")
C=$(gqv "$DUCHA" '{ campaigns { nodes { id } } }' '{}' | jq -r '.data.campaigns.nodes[0].id')
TODAY=$(TZ=Asia/Shanghai date +%F); MONTH=$(TZ=Asia/Shanghai date +%Y-%m)
if [ "$(TZ=Asia/Shanghai date +%-d)" -le 15 ]; then FROM="$MONTH-01"; TO="$MONTH-15"; else FROM="$MONTH-16"; TO=$(TZ=Asia/Shanghai date -d "$MONTH-01 +1 month -1 day" +%F); fi

echo "--- 1. 问责: the demo's cases, as the 纪委 reads them"
gqv "$JIWEI" 'query($c:ID!){accountabilities(filter:{campaignId:$c}){nodes{kind subjectUnit{name} subjectPerson{name} documentNumber decidedOn inForce viewerCanRevoke}}}' "{\"c\":\"$C\"}" \
  | jq -c '.data.accountabilities.nodes[]'
M=$(gqv "$DUCHA" 'query($c:ID!){measures(first:1, filter:{campaignId:$c, overdue:true}, orderBy:DEADLINE_ASC){nodes{id title leadUnit{id name}}}}' "{\"c\":\"$C\"}" | jq -c '.data.measures.nodes[0]')
echo "the most overdue measure: $(jq -c '{title, lead: .leadUnit.name}' <<<"$M")"
CASE=$(jq -nc --arg c "$C" --arg u "$(jq -r .leadUnit.id <<<"$M")" --arg m "$(jq -r .id <<<"$M")" --arg d "$TODAY" \
  '{i:{campaignId:$c, kind:"TALK", subjectUnitId:$u, measureId:$m, facts:"整改措施逾期，经督办仍未完成，约谈单位主要负责人", decidingBody:"中共青山县纪律检查委员会", documentNumber:"青纪发〔2026〕30号", decidedOn:$d}}')
echo "an ADMIN may not record 问责:"
gqv "$ADMIN" 'mutation($i:RecordAccountabilityInput!){recordAccountability(input:$i){accountability{id}}}' "$CASE" | jq -c '.errors[0] | {code: .extensions.code, message}'
echo "a 一票否决 of a person is refused at its field:"
gqv "$JIWEI" 'mutation($i:RecordAccountabilityInput!){recordAccountability(input:$i){accountability{id}}}' \
  "$(jq -c --arg p "$(gqv "$JIWEI" '{people(first:1){nodes{id}}}' '{}' | jq -r '.data.people.nodes[0].id')" '.i.kind="ONE_VOTE_VETO" | .i.subjectUnitId=null | .i.subjectPersonId=$p' <<<"$CASE")" \
  | jq -c '.errors[0] | {code: .extensions.code, field: .extensions.field, message}'
echo "the 纪委 records a 约谈 of the lead unit:"
gqv "$JIWEI" 'mutation($i:RecordAccountabilityInput!){recordAccountability(input:$i){accountability{kind subjectUnit{name} documentNumber recorderName inForce}}}' "$CASE" | jq -c .data
echo "the next bulletin ($FROM to $TO) names it in 六、问责情况:"
gqv "$DUCHA" 'mutation($i:GenerateBulletinInput!){generateBulletin(input:$i){bulletin{title issueNumber markdown}}}' \
  "$(jq -nc --arg c "$C" --arg f "$FROM" --arg t "$TO" '{i:{campaignId:$c, period:{from:$f, to:$t}}}')" \
  | jq -r '.data.generateBulletin.bulletin | "\(.title) 第\(.issueNumber)期", (.markdown | split("## ")[] | select(startswith("六、问责情况")) | split("\n") | map(select(length > 0)) | .[])'

echo "--- 2. 考核: an approved 减分 changes the ranking"
RANK='query($c:ID!){unitRanking(campaignId:$c){rows{category rank unit{id name} computedScore adjustment score vetoed}}}'
gqv "$DUCHA" "$RANK" "{\"c\":\"$C\"}" | jq -r '.data.unitRanking.rows[] | select(.category == "乡镇") | "\(.category)\t\(.rank)\t\(.unit.name)\t\(.computedScore)\t\(.adjustment)\t\(.score)"'
TOP=$(gqv "$DUCHA" "$RANK" "{\"c\":\"$C\"}" | jq -r '[.data.unitRanking.rows[] | select(.category == "乡镇")][0].unit.id')
ITEM=$(jq -nc --arg c "$C" --arg u "$TOP" '{i:{campaignId:$c, unitId:$u, kind:"DEDUCTION", points:25, item:"半月报迟报两次", basis:"《整改落实工作考核办法》第十二条", evidence:"督查组半月报登记簿"}}')
echo "points out of range are refused at their field:"
gqv "$DUCHA" 'mutation($i:ProposeScoreAdjustmentInput!){proposeScoreAdjustment(input:$i){scoreAdjustment{id}}}' "$(jq -c '.i.points=100.5' <<<"$ITEM")" | jq -c '.errors[0] | {code: .extensions.code, field: .extensions.field}'
P=$(gqv "$DUCHA" 'mutation($i:ProposeScoreAdjustmentInput!){proposeScoreAdjustment(input:$i){scoreAdjustment{id version status signedPoints unit{name}}}}' "$ITEM" | jq -c .data.proposeScoreAdjustment.scoreAdjustment)
echo "proposed by the 督查组: $P"
DEC=$(jq -nc --arg i "$(jq -r .id <<<"$P")" '{i:{id:$i, expectedVersion:1, approve:true, note:"经考核领导小组审定"}}')
echo "the proposer may not decide it:"
gqv "$DUCHA" 'mutation($i:DecideScoreAdjustmentInput!){decideScoreAdjustment(input:$i){scoreAdjustment{status}}}' "$DEC" | jq -c '.errors[0] | {code: .extensions.code, message}'
echo "the 组织部 approves it:"
gqv "$ADMIN" 'mutation($i:DecideScoreAdjustmentInput!){decideScoreAdjustment(input:$i){scoreAdjustment{status deciderName}}}' "$DEC" | jq -c .data
gqv "$DUCHA" "$RANK" "{\"c\":\"$C\"}" | jq -r '.data.unitRanking.rows[] | select(.category == "乡镇") | "\(.category)\t\(.rank)\t\(.unit.name)\t\(.computedScore)\t\(.adjustment)\t\(.score)"'

echo "--- 5. 督查: the demo's 暗访 and a new 明察 whose finding becomes a problem"
gqv "$DUCHA" '{inspections{nodes{title mode startsOn groupUnit{name} members{name} visitedUnits{name} findings{code source}}}}' '{}' | jq -c '.data.inspections.nodes[]'
G=$(gqv "$DUCHA" '{units(first:100, filter:{search:"督查组"}){nodes{id kind}}}' '{}' | jq -r '[.data.units.nodes[] | select(.kind == "INSPECTION_GROUP")][0].id')
MEMBERS=$(gqv "$DUCHA" 'query($u:ID!){people(filter:{unitId:$u}){nodes{id}}}' "{\"u\":\"$G\"}" | jq -c '[.data.people.nodes[].id]')
V=$(gqv "$DUCHA" '{units(first:100, filter:{search:"QS-JYJ"}){nodes{id shortCode}}}' '{}' | jq -r '[.data.units.nodes[] | select(.shortCode == "QS-JYJ")][0].id')
INSP=$(jq -nc --arg c "$C" --arg g "$G" --argjson m "$MEMBERS" --arg v "$V" --arg d "$TODAY" \
  '{i:{campaignId:$c, groupUnitId:$g, mode:"OPEN", title:"教育系统整改落实明察", plan:"听取汇报、查阅台账、走访学校", startsOn:$d, endsOn:$d, memberIds:$m, visitedUnitIds:[$v]}}')
I=$(gqv "$DUCHA" 'mutation($i:RecordInspectionInput!){recordInspection(input:$i){inspection{id mode title members{name} visitedUnits{name}}}}' "$INSP" | jq -c .data.recordInspection.inspection)
echo "recorded: $I"
FIND=$(jq -nc --arg i "$(jq -r .id <<<"$I")" --arg c "$C" --arg v "$V" --arg d "$TODAY" \
  '{i:{inspectionId:$i, problem:{campaignId:$c, code:"DC-10", title:"学校食堂食品留样制度落实不到位", category:"民生实事", source:"SUPERVISION", foundOn:$d, responsibilityLevel:"LEADERSHIP_TEAM", severity:"HIGH", rectificationKind:"IMMEDIATE", leadUnitId:$v}}}')
echo "a 暗访 source for a 明察 finding is refused at its field:"
gqv "$DUCHA" 'mutation($i:RecordInspectionFindingInput!){recordInspectionFinding(input:$i){problem{id}}}' "$(jq -c '.i.problem.source="UNANNOUNCED_VISIT"' <<<"$FIND")" | jq -c '.errors[0] | {code: .extensions.code, field: .extensions.field, message}'
HEAD0=$(gqv "$DUCHA" '{auditHead{seq}}' '{}' | jq .data.auditHead.seq)
gqv "$DUCHA" 'mutation($i:RecordInspectionFindingInput!){recordInspectionFinding(input:$i){problem{code title source status leadUnit{name}} inspection{findings{code}}}}' "$FIND" | jq -c .data
HEAD1=$(gqv "$DUCHA" '{auditHead{seq}}' '{}' | jq .data.auditHead.seq)
echo "audit events written by the finding: $((HEAD1 - HEAD0)) (problem.create and inspection.add_finding, one transaction)"
gqv "$DUCHA" '{verifyAudit{ok checkedEvents}}' '{}' | jq -c .data
