#!/usr/bin/env bash
# Replays issue 10's points 6-10 and 12 against a server on a fresh demo ledger (point 11 has
# its own check, scripts/check_ledger_print.sh):
#   bash scripts/walk_practice.sh target/release/taizhang   (needs curl and jq)
set -euo pipefail
BIN="${1:?binary}"; PORT=18096; URL="http://127.0.0.1:$PORT"
W="$(mktemp -d)"; DB="sqlite://$W/demo.db?mode=rwc"
"$BIN" demo --database-url "$DB" > "$W/demo.txt" 2>/dev/null
pw() { sed -n "s/^ *account $1 \/ password \([^ ]*\) .*/\1/p" "$W/demo.txt"; }
RUST_LOG=warn "$BIN" serve --database-url "$DB" --bind "127.0.0.1:$PORT" > "$W/server.log" 2>&1 &
PID=$!; trap 'kill $PID; rm -rf "$W"' EXIT
for _ in $(seq 1 100); do curl -fs "$URL/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
gql() { local t="$1"; shift; curl -s "$URL/graphql" -H 'Content-Type: application/json' ${t:+-H "Authorization: Bearer $t"} -d "$1"; }
q() { jq -nc --arg q "$1" '{query:$q}'; }
login() { gql "" "$(jq -nc --arg u "$1" --arg p "$2" '{query:"mutation($u:String!,$p:String!){login(input:{username:$u,password:$p}){token}}",variables:{u:$u,p:$p}}')" | jq -r .data.login.token; }
DUCHA=$(login ducha "$(pw ducha)"); LIU=$(login liuzhiyuan "$(pw liuzhiyuan)")

echo "--- 6. public editions, without login: surveys and the bulletin"
gql "" "$(q '{ satisfactionSurveys { totalCount nodes { unit { name } rate belowThreshold note } } }')" | jq -c '.data.satisfactionSurveys | {totalCount, first: .nodes[0]}'
gql "" "$(q '{ bulletins { title issueNumber disclosure markdown } }')" | jq -r '.data.bulletins[0] | "\(.title) 第\(.issueNumber)期 \(.disclosure)", (.markdown | split("\n") | map(select(test("公开版|点单位|项整改措施逾期"))) | .[])'

echo "--- 7. personal scope: 刘志远 (an account with no role) and the measures he leads"
gql "$LIU" "$(q '{ measures(first: 100) { nodes { id version status title leadUnit { name } responsibleLeader { name } } } }')" \
  | jq -c '[.data.measures.nodes[] | select(.responsibleLeader.name == "刘志远") | {title, lead: .leadUnit.name, status}] | {count: length, measures: .}'
M=$(gql "$LIU" "$(q '{ measures(first: 100, filter: {status: [IN_PROGRESS]}) { nodes { id version leadUnit { shortCode } responsibleLeader { name } } } }')" \
  | jq -c '[.data.measures.nodes[] | select(.responsibleLeader.name == "刘志远" and .leadUnit.shortCode != "QS-XWB")][0]')
if [ "$M" != "null" ]; then
  gql "$LIU" "$(jq -nc --arg i "$(jq -r .id <<<"$M")" --argjson v "$(jq .version <<<"$M")" '{query:"mutation($i:ID!,$v:Int!){reportProgress(input:{id:$i,expectedVersion:$v,percent:80,text:\"已完成主体工作\"}){measure{progressPercent leadUnit{name}}}}",variables:{i:$i,v:$v}}')" | jq -c .
  gql "$LIU" "$(jq -nc --arg i "$(jq -r .id <<<"$M")" '{query:"mutation($i:ID!){submitMeasure(input:{id:$i,expectedVersion:99}){measure{status}}}",variables:{i:$i}}')" | jq -c '.errors[0] | {code: .extensions.code, message}'
fi

echo "--- 8. ranking by category, the campaign's weights, 排后约谈 issued"
C=$(gql "$DUCHA" "$(q '{ campaigns { nodes { id } } }')" | jq -r '.data.campaigns.nodes[0].id')
gql "$DUCHA" "$(jq -nc --arg c "$C" '{query:"query($c:ID!){unitRanking(campaignId:$c){rows{category rank rankedInCategory unit{name} score flaggedForTalk}}}",variables:{c:$c}}')" \
  | jq -r '.data.unitRanking.rows[] | "\(.category // "未分类")\t\(.rank)/\(.rankedInCategory)\t\(.unit.name)\t\(.score)\(if .flaggedForTalk then "\t排后约谈" else "" end)"'
gql "$DUCHA" "$(jq -nc --arg c "$C" '{query:"query($c:ID!){node(id:$c){... on Campaign{rankingWeightsSet rankingWeights{completion timeliness satisfaction overduePenalty supervisionPenalty relapsePenalty}}}}",variables:{c:$c}}')" | jq -c .data.node
gql "$DUCHA" "$(jq -nc --arg c "$C" '{query:"mutation($c:ID!){issueRankingTalks(input:{campaignId:$c}){supervisionActions{kind targetUnit{name} content}}}",variables:{c:$c}}')" \
  | jq -c '.data.issueRankingTalks.supervisionActions | {issued: length, first: .[0]}'

echo "--- 9. calendar coverage and approximate working days"
gql "" "$(q '{ calendarCoverage(fromYear: 2026, toYear: 2027) { year loaded holidays workdays } }')" | jq -c .data.calendarCoverage
gql "$DUCHA" "$(q '{ measures(first: 100, orderBy: DEADLINE_DESC) { nodes { deadline overdue workingDaysRemaining workingDaysOverdue workingDaysApproximate } } }')" \
  | jq -c '[.data.measures.nodes[] | select(.deadline >= "2027-01-01")] | {due2027: length, first: .[0]}'
gql "$DUCHA" "$(q '{ measures(first: 100, filter: {overdue: true}) { nodes { deadline daysOverdue workingDaysRemaining workingDaysOverdue milestones { dueOn doneOn } } } }')" \
  | jq -c '[.data.measures.nodes[] | select(.deadline > "2026-12-01")][0] | {byMilestone: ., note: "deadline ahead, a milestone missed"}'

echo "--- 10 and 12. the demo bulletin (full edition): 第N期, missed milestones, divisions with their department, the surveys of the period"
gql "$DUCHA" "$(q '{ bulletins { markdown } }')" | jq -r '.data.bulletins[0].markdown | split("\n") | map(select(test("^第|时间节点“|县水利局办公室|开展测评"))) | .[:6][]'
