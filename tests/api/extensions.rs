use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_engines;

const REQUEST: &str = "mutation($i: RequestDeadlineExtensionInput!) { requestDeadlineExtension(input: $i) { extension { id status previousDeadline requestedDeadline } measure { version deadline originalDeadline extensionCount } } }";
const DECIDE: &str = "mutation($i: DecideDeadlineExtensionInput!) { decideDeadlineExtension(input: $i) { extension { status deciderName decisionComment } measure { version deadline originalDeadline extensionCount } } }";

async fn supervisor_token(app: &TestApp) -> String {
    app.account("ducha", "县委督查组", Some(("SUPERVISOR", None)), None)
        .await
}

async fn a_later_deadline_needs_approval_and_the_original_stays(app: TestApp) {
    let f = app.fixture().await;
    let supervisor = supervisor_token(&app).await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let m = app.create_measure(&f, &problem, &f.water, &[], "2026-07-10").await;
    let id = m["id"].as_str().unwrap();
    let err = app
        .err(
            REQUEST,
            json!({"i": {"id": id, "expectedVersion": 1, "newDeadline": "2026-08-31", "reason": " "}}),
        )
        .await;
    assert_eq!(err.field.as_deref(), Some("reason"));
    let err = app
        .err(
            REQUEST,
            json!({"i": {"id": id, "expectedVersion": 1, "newDeadline": "2026-05-01", "reason": "x"}}),
        )
        .await;
    assert_eq!(err.field.as_deref(), Some("newDeadline"), "not before the found date");
    let asked = app
        .ok(
            REQUEST,
            json!({"i": {"id": id, "expectedVersion": 1, "newDeadline": "2026-08-31", "reason": "汛期施工受限"}}),
        )
        .await;
    let ext = &asked["requestDeadlineExtension"];
    assert_eq!(ext["extension"]["status"], "PENDING");
    assert_eq!(
        ext["measure"]["deadline"], "2026-07-10",
        "only an approved extension moves the deadline"
    );
    let ext_id = ext["extension"]["id"].as_str().unwrap();
    let again = app
        .err(
            REQUEST,
            json!({"i": {"id": id, "expectedVersion": 1, "newDeadline": "2026-09-30", "reason": "再延"}}),
        )
        .await;
    assert_eq!(again.field.as_deref(), Some("measureId"));
    let own = app
        .err(DECIDE, json!({"i": {"id": ext_id, "decision": "APPROVE"}}))
        .await;
    assert_eq!(own.code, "FORBIDDEN", "the requester cannot approve its own request");
    let (_, approved) = app
        .post_as(
            &supervisor,
            DECIDE,
            json!({"i": {"id": ext_id, "decision": "APPROVE", "comment": "同意延期，不得再延"}}),
        )
        .await;
    let d = &approved["data"]["decideDeadlineExtension"];
    assert_eq!(
        d["extension"],
        json!({"status": "APPROVED", "deciderName": "县委督查组", "decisionComment": "同意延期，不得再延"})
    );
    assert_eq!(
        d["measure"],
        json!({"version": 2, "deadline": "2026-08-31", "originalDeadline": "2026-07-10", "extensionCount": 1})
    );
    let (_, twice) = app
        .post_as(&supervisor, DECIDE, json!({"i": {"id": ext_id, "decision": "REJECT"}}))
        .await;
    assert_eq!(twice["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    // Earlier takes effect at once (只能提前): no approval, no extension counted.
    let earlier = app
        .ok(
            REQUEST,
            json!({"i": {"id": id, "expectedVersion": 2, "newDeadline": "2026-08-15", "reason": "提前完成"}}),
        )
        .await;
    let e = &earlier["requestDeadlineExtension"];
    assert_eq!(e["extension"]["status"], "APPROVED");
    assert_eq!(
        e["measure"],
        json!({"version": 3, "deadline": "2026-08-15", "originalDeadline": "2026-07-10", "extensionCount": 1})
    );
    let history = app
        .ok("query($id: ID!) { node(id: $id) { ... on Measure { extensions { status } history(first: 1) { edges { node { action reason before after } } } } } }", json!({"id": id}))
        .await;
    let event = &history["node"]["history"]["edges"][0]["node"];
    assert_eq!(event["action"], "measure.change_deadline");
    assert_eq!(event["reason"], "提前完成");
    assert_eq!(
        (
            event["before"]["deadline"].as_str(),
            event["after"]["deadline"].as_str()
        ),
        (Some("2026-08-31"), Some("2026-08-15"))
    );
    assert_eq!(history["node"]["extensions"].as_array().unwrap().len(), 2);
    let v = app.ok("{ verifyAudit { ok } }", json!({})).await;
    assert_eq!(v["verifyAudit"]["ok"], true);
}

async fn a_rejected_request_changes_no_deadline(app: TestApp) {
    let f = app.fixture().await;
    let supervisor = supervisor_token(&app).await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let m = app.create_measure(&f, &problem, &f.water, &[], "2026-07-10").await;
    let id = m["id"].as_str().unwrap();
    let asked = app
        .ok(
            REQUEST,
            json!({"i": {"id": id, "expectedVersion": 1, "newDeadline": "2026-12-31", "reason": "资金未到位"}}),
        )
        .await;
    let ext_id = asked["requestDeadlineExtension"]["extension"]["id"].as_str().unwrap();
    let (_, rejected) = app
        .post_as(
            &supervisor,
            DECIDE,
            json!({"i": {"id": ext_id, "decision": "REJECT", "comment": "理由不充分"}}),
        )
        .await;
    let d = &rejected["data"]["decideDeadlineExtension"];
    assert_eq!(d["extension"]["status"], "REJECTED");
    assert_eq!(
        d["measure"],
        json!({"version": 1, "deadline": "2026-07-10", "originalDeadline": "2026-07-10", "extensionCount": 0})
    );
}

async fn countdown_and_overdue_days_follow_the_fixed_clock(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let late = app.create_measure(&f, &problem, &f.water, &[], "2026-06-20").await;
    let ten = app.create_measure(&f, &problem, &f.water, &[], "2026-07-10").await;
    let eleven = app.create_measure(&f, &problem, &f.water, &[], "2026-07-11").await;
    let q = "query($f: MeasureFilter) { measures(filter: $f) { edges { node { id deadline overdue daysOverdue daysRemaining } } } }";
    let all = app.ok(q, json!({"f": {}})).await;
    let nodes: Vec<_> = all["measures"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    assert_eq!(
        (nodes[0]["daysOverdue"].as_i64(), nodes[0]["daysRemaining"].as_i64()),
        (Some(10), Some(-10))
    );
    assert_eq!(
        (nodes[1]["daysOverdue"].as_i64(), nodes[1]["daysRemaining"].as_i64()),
        (None, Some(10))
    );
    let due = app.ok(q, json!({"f": {"dueWithinDays": 10}})).await;
    let ids: Vec<&str> = due["measures"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [ten["id"].as_str().unwrap()],
        "today..today+10, not the overdue one, not day 11"
    );
    let err = app.err(q, json!({"f": {"dueWithinDays": -1}})).await;
    assert_eq!(err.field.as_deref(), Some("filter.dueWithinDays"));
    let _ = (late, eleven);
}

on_both_engines!(
    a_later_deadline_needs_approval_and_the_original_stays,
    a_rejected_request_changes_no_deadline,
    countdown_and_overdue_days_follow_the_fixed_clock,
);
