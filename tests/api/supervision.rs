use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_engines;

const ISSUE: &str = "mutation($i: IssueSupervisionInput!) { issueSupervision(input: $i) { supervisionAction { id kind open responseOverdue responseDue targetUnit { name } problem { code } measure { id } receipt { id role acknowledgedAt } } } }";
const ACKNOWLEDGE: &str = "mutation($i: AcknowledgeAssignmentInput!) { acknowledgeAssignment(input: $i) { receipt { id role acknowledgedAt acknowledgerName late } } }";
const RESPOND: &str = "mutation($i: RespondToSupervisionInput!) { respondToSupervision(input: $i) { supervisionAction { open response responderName respondedAt } } }";

async fn a_supervisor_presses_a_unit_and_the_unit_answers(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let measure = app.create_measure(&f, &problem, &f.water, &[], "2026-07-10").await;
    let mid = measure["id"].as_str().unwrap();
    let issued = app
        .ok(ISSUE, json!({"i": {"kind": "NOTICE", "targetUnitId": f.water, "measureId": mid, "content": "限期完成饮水工程维修，逾期将点名批评", "responseDue": "2026-07-05"}}))
        .await;
    let action = &issued["issueSupervision"]["supervisionAction"];
    assert_eq!(
        action["problem"]["code"], "A-001",
        "the problem is taken from the measure"
    );
    assert_eq!(
        (action["open"].as_bool(), action["responseOverdue"].as_bool()),
        (Some(true), Some(false))
    );
    let id = action["id"].as_str().unwrap();
    // The division's liaison may not answer for the department; the department's may.
    let division = app
        .account(
            "nongshui",
            "农村水利股联络员",
            Some(("EDITOR", Some(&f.water_division))),
            None,
        )
        .await;
    let refused = app
        .err_as(&division, RESPOND, json!({"i": {"id": id, "response": "代为答复"}}))
        .await;
    assert_eq!(refused.code, "FORBIDDEN", "{refused:?}");
    let liaison = app
        .account("slj", "县水利局联络员", Some(("EDITOR", Some(&f.water))), None)
        .await;
    // Signed for (签收) before it is answered, and only by the unit it is addressed to.
    let receipt = &action["receipt"];
    assert_eq!(
        (receipt["role"].as_str(), receipt["acknowledgedAt"].is_null()),
        (Some("SUPERVISION"), true)
    );
    let early = app
        .err_as(&liaison, RESPOND, json!({"i": {"id": id, "response": "先答复"}}))
        .await;
    assert_eq!(
        (early.code.as_str(), early.field.as_deref()),
        ("BAD_USER_INPUT", Some("id")),
        "{early:?}"
    );
    let sign = json!({"i": {"id": receipt["id"], "expectedVersion": 1, "note": "已收到"}});
    let not_theirs = app.err_as(&division, ACKNOWLEDGE, sign.clone()).await;
    assert_eq!(not_theirs.code, "FORBIDDEN", "{not_theirs:?}");
    let signed = app.ok_as(&liaison, ACKNOWLEDGE, sign).await;
    assert_eq!(
        signed["acknowledgeAssignment"]["receipt"]["acknowledgerName"],
        "县水利局联络员"
    );
    let answered = app
        .ok_as(
            &liaison,
            RESPOND,
            json!({"i": {"id": id, "response": "已制定整改方案，7月10日前完成"}}),
        )
        .await;
    let a = &answered["respondToSupervision"]["supervisionAction"];
    assert_eq!(
        (a["open"].as_bool(), a["responderName"].as_str()),
        (Some(false), Some("县水利局联络员"))
    );
    let again = app.err(RESPOND, json!({"i": {"id": id, "response": "再答一次"}})).await;
    assert_eq!(
        (again.code.as_str(), again.field.as_deref()),
        ("BAD_USER_INPUT", Some("id"))
    );
    let history = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on SupervisionAction { history { edges { node { action } } } } } }",
            json!({"id": id}),
        )
        .await;
    let actions: Vec<&str> = history["node"]["history"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["supervision.respond", "supervision.issue"]);
}

async fn bad_supervision_input_is_refused(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let other = app.create_problem(&f, "A-002", &f.water, "HIGH").await;
    let measure = app.create_measure(&f, &problem, &f.water, &[], "2026-07-10").await;
    let before = app.head_seq().await;
    let base = json!({"kind": "TALK", "targetUnitId": f.water, "content": "约谈主要负责人"});
    let with = |key: &str, value: serde_json::Value| {
        let mut i = base.clone();
        i[key] = value;
        i
    };
    let mut mismatched = with("measureId", measure["id"].clone());
    mismatched["problemId"] = json!(other);
    for (input, field) in [
        (with("content", json!(" ")), "content"),
        (with("responseDue", json!("2026-06-29")), "responseDue"),
        (with("targetUnitId", json!(uuid::Uuid::now_v7())), "targetUnitId"),
        (with("measureId", json!(uuid::Uuid::now_v7())), "measureId"),
        (with("problemId", json!(uuid::Uuid::now_v7())), "problemId"),
        (mismatched, "problemId"),
    ] {
        let err = app.err(ISSUE, json!({"i": input})).await;
        assert_eq!(
            (err.code.as_str(), err.field.as_deref()),
            ("BAD_USER_INPUT", Some(field)),
            "{input}: {err:?}"
        );
    }
    assert_eq!(app.head_seq().await, before);
    let missing = app
        .err(RESPOND, json!({"i": {"id": uuid::Uuid::now_v7(), "response": "x"}}))
        .await;
    assert_eq!(missing.code, "NOT_FOUND");
}

async fn supervision_is_listed_by_unit_kind_and_overdue_response_and_counted(app: TestApp) {
    let f = app.fixture().await;
    let issue = |unit: &str, kind: &str, due: &str| json!({"i": {"kind": kind, "targetUnitId": unit, "content": "督办事项", "responseDue": due}});
    let a = app.ok(ISSUE, issue(&f.water_division, "NOTICE", "2026-07-01")).await;
    app.ok(ISSUE, issue(&f.water_division, "NAMED_CRITICISM", "2026-07-03"))
        .await;
    app.ok(ISSUE, issue(&f.education, "NOTICE", "2026-07-20")).await;
    let first = a["issueSupervision"]["supervisionAction"]["id"].as_str().unwrap();
    let receipt = &a["issueSupervision"]["supervisionAction"]["receipt"]["id"];
    app.ok(ACKNOWLEDGE, json!({"i": {"id": receipt, "expectedVersion": 1}}))
        .await;
    app.ok(RESPOND, json!({"i": {"id": first, "response": "已整改"}})).await;
    app.clock.advance(chrono::Duration::days(4)); // today 2026-07-04
    let q = "query($f: SupervisionFilter) { supervisionActions(filter: $f) { totalCount } }";
    let count = |data: serde_json::Value| data["supervisionActions"]["totalCount"].as_i64().unwrap();
    assert_eq!(
        count(
            app.ok(q, json!({"f": {"unitId": f.water, "includeSubunits": true}}))
                .await
        ),
        2
    );
    assert_eq!(count(app.ok(q, json!({"f": {"unitId": f.water}})).await), 0);
    assert_eq!(count(app.ok(q, json!({"f": {"kind": "NOTICE"}})).await), 2);
    assert_eq!(count(app.ok(q, json!({"f": {"open": true}})).await), 2);
    assert_eq!(
        count(app.ok(q, json!({"f": {"responseOverdue": true}})).await),
        1,
        "only the unanswered one past 07-03"
    );
    let counts = app
        .ok("{ supervisionCounts { unit { name } kind total open } }", json!({}))
        .await;
    let rows = counts["supervisionCounts"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let division: i64 = rows
        .iter()
        .filter(|r| r["unit"]["name"] == "农村水利股")
        .map(|r| r["total"].as_i64().unwrap())
        .sum();
    let division_open: i64 = rows
        .iter()
        .filter(|r| r["unit"]["name"] == "农村水利股")
        .map(|r| r["open"].as_i64().unwrap())
        .sum();
    assert_eq!((division, division_open), (2, 1));
}

/// 我发出的: `issuedByMe` lists what the logged-in account issued, and nothing of another's.
async fn a_supervisor_lists_what_it_issued(app: TestApp) {
    let f = app.fixture().await;
    let ducha = app
        .account("ducha", "县委督查组", Some(("SUPERVISOR", None)), None)
        .await;
    let other = app
        .account("zuzhibu", "县委组织部", Some(("SUPERVISOR", None)), None)
        .await;
    let input = |content: &str| json!({"i": {"kind": "NOTICE", "targetUnitId": f.water, "content": content}});
    app.ok_as(&ducha, ISSUE, input("请于本周内报送整改进展")).await;
    app.ok_as(&ducha, ISSUE, input("请说明逾期原因")).await;
    app.ok_as(&other, ISSUE, input("请落实分管领导责任")).await;
    let mine = "{ supervisionActions(filter: {issuedByMe: true}) { totalCount nodes { content issuerName } } }";
    let data = app.ok_as(&ducha, mine, json!({})).await;
    assert_eq!(data["supervisionActions"]["totalCount"], 2, "{data}");
    for n in data["supervisionActions"]["nodes"].as_array().unwrap() {
        assert_eq!(n["issuerName"], "县委督查组");
    }
    let data = app.ok_as(&other, mine, json!({})).await;
    assert_eq!(data["supervisionActions"]["totalCount"], 1, "{data}");
    let all = app
        .ok_as(&ducha, "{ supervisionActions { totalCount } }", json!({}))
        .await;
    assert_eq!(all["supervisionActions"]["totalCount"], 3);
}

on_both_engines!(
    a_supervisor_lists_what_it_issued,
    a_supervisor_presses_a_unit_and_the_unit_answers,
    bad_supervision_input_is_refused,
    supervision_is_listed_by_unit_kind_and_overdue_response_and_counted,
);
