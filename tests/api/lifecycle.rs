use serde_json::{json, Value};

use crate::helpers::{Fixture, TestApp};
use crate::on_both_engines;

const PAYLOAD: &str = "measure { id version status closedOn progressPercent } verification { result verifierName approvedSeq comment } progressReport { percent text }";

fn verb_query(mutation: &str, input_type: &str) -> String {
    format!("mutation($i: {input_type}!) {{ {mutation}(input: $i) {{ {PAYLOAD} }} }}")
}

/// Every verb a client can send, with the extra input it needs.
fn verbs() -> Vec<(&'static str, String, Value)> {
    vec![
        (
            "startMeasure",
            verb_query("startMeasure", "MeasureTransitionInput"),
            json!({}),
        ),
        (
            "reportProgress",
            verb_query("reportProgress", "ReportProgressInput"),
            // 100 %: the close-out gate needs it, and a later report may repeat it.
            json!({"percent": 100, "text": "全部完成"}),
        ),
        (
            "submitMeasure",
            verb_query("submitMeasure", "MeasureTransitionInput"),
            json!({}),
        ),
        (
            "verifyPass",
            verb_query("verifyMeasure", "VerifyMeasureInput"),
            json!({"result": "PASS"}),
        ),
        (
            "verifyReject",
            verb_query("verifyMeasure", "VerifyMeasureInput"),
            json!({"result": "REJECT", "reason": "佐证材料不全"}),
        ),
        (
            "reopenMeasure",
            verb_query("reopenMeasure", "ReopenMeasureInput"),
            json!({"reason": "回头看发现问题反弹", "newDeadline": "2026-09-30"}),
        ),
        (
            "declareLongTerm",
            verb_query("declareLongTerm", "MeasureReasonInput"),
            json!({"reason": "需跨年度建设，已向群众说明"}),
        ),
        (
            "cancelMeasure",
            verb_query("cancelMeasure", "MeasureReasonInput"),
            json!({"reason": "与A-002措施重复"}),
        ),
    ]
}

/// The transitions DESIGN §4 allows, written out independently of the server's table.
fn allowed(status: &str, verb: &str) -> Option<&'static str> {
    match (status, verb) {
        ("PENDING", "startMeasure") => Some("IN_PROGRESS"),
        ("PENDING" | "IN_PROGRESS", "reportProgress") => Some("IN_PROGRESS"),
        ("LONG_TERM", "reportProgress") => Some("LONG_TERM"),
        ("IN_PROGRESS" | "LONG_TERM", "submitMeasure") => Some("SUBMITTED"),
        ("SUBMITTED", "verifyPass") => Some("CLOSED"),
        ("SUBMITTED", "verifyReject") => Some("IN_PROGRESS"),
        ("CLOSED", "reopenMeasure") => Some("IN_PROGRESS"),
        ("PENDING" | "IN_PROGRESS", "declareLongTerm") => Some("LONG_TERM"),
        ("PENDING" | "IN_PROGRESS" | "SUBMITTED" | "LONG_TERM", "cancelMeasure") => Some("CANCELLED"),
        _ => None,
    }
}

struct Verifier {
    token: String,
}

async fn verifier(app: &TestApp, f: &Fixture) -> Verifier {
    let token = app
        .account("ducha", "县委督查组", Some(("SUPERVISOR", None)), Some(&f.teacher))
        .await;
    Verifier { token }
}

/// Sends a verb; verifications go with the verifier's token, everything else without one.
async fn send(app: &TestApp, v: &Verifier, name: &str, query: &str, extra: &Value, id: &str, version: i64) -> Value {
    let mut input = extra.clone();
    input["id"] = json!(id);
    input["expectedVersion"] = json!(version);
    if name.starts_with("verify") {
        app.post_as(&v.token, query, json!({"i": input})).await.1
    } else {
        app.post(query, json!({"i": input})).await
    }
}

/// A new measure brought to `status` through the verbs, with a completion report attached and,
/// once started, progress at 100 % (the close-out gate); returns (id, version).
async fn measure_in(app: &TestApp, f: &Fixture, v: &Verifier, problem: &str, status: &str) -> (String, i64) {
    let m = app.create_measure(f, problem, &f.water, &[], "2026-07-31").await;
    let id = m["id"].as_str().unwrap().to_owned();
    crate::helpers::attach_report(app, &app.root_token(), &id).await;
    let path: &[&str] = match status {
        "PENDING" => &[],
        "IN_PROGRESS" => &["startMeasure", "reportProgress"],
        "SUBMITTED" => &["startMeasure", "reportProgress", "submitMeasure"],
        "CLOSED" => &["startMeasure", "reportProgress", "submitMeasure", "verifyPass"],
        "LONG_TERM" => &["reportProgress", "declareLongTerm"],
        "CANCELLED" => &["cancelMeasure"],
        other => panic!("no path to {other}"),
    };
    let mut version = 1;
    let all = verbs();
    for step in path {
        let (name, query, extra) = all.iter().find(|(n, _, _)| n == step).unwrap();
        let body = send(app, v, name, query, extra, &id, version).await;
        assert!(body["errors"].is_null(), "{step}: {body}");
        version = body["data"].as_object().unwrap().values().next().unwrap()["measure"]["version"]
            .as_i64()
            .unwrap();
    }
    (id, version)
}

async fn every_verb_from_every_status_is_allowed_or_an_invalid_transition(app: TestApp) {
    let f = app.fixture().await;
    let v = verifier(&app, &f).await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    for status in [
        "PENDING",
        "IN_PROGRESS",
        "SUBMITTED",
        "CLOSED",
        "LONG_TERM",
        "CANCELLED",
    ] {
        for (name, query, extra) in verbs() {
            let (id, version) = measure_in(&app, &f, &v, &problem, status).await;
            let head_before = app.head_seq().await;
            let body = send(&app, &v, name, &query, &extra, &id, version).await;
            match allowed(status, name) {
                Some(target) => {
                    assert!(body["errors"].is_null(), "{name} from {status}: {body}");
                    let measure = &body["data"].as_object().unwrap().values().next().unwrap()["measure"];
                    assert_eq!(measure["status"], target, "{name} from {status}");
                    assert_eq!(measure["version"].as_i64(), Some(version + 1));
                    assert!(app.head_seq().await > head_before, "an accepted verb is audited");
                }
                None => {
                    let error = &body["errors"][0];
                    assert_eq!(
                        error["extensions"]["code"], "INVALID_TRANSITION",
                        "{name} from {status}: {body}"
                    );
                    let message = error["message"].as_str().unwrap();
                    assert!(message.contains(status), "names the current status: {message}");
                    assert!(message.contains("allowed"), "names the allowed verbs: {message}");
                    assert_eq!(app.head_seq().await, head_before, "a refused verb writes nothing");
                }
            }
        }
    }
    let v = app.ok("{ verifyAudit { ok } }", json!({})).await;
    assert_eq!(v["verifyAudit"]["ok"], true);
}

async fn a_verifier_is_neither_the_submitter_nor_the_responsible_person(app: TestApp) {
    let f = app.fixture().await;
    let v = verifier(&app, &f).await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let (id, version) = measure_in(&app, &f, &v, &problem, "SUBMITTED").await;
    let pass = verb_query("verifyMeasure", "VerifyMeasureInput");
    // The submitter may not verify its own submission.
    let own = app
        .err(
            &pass,
            json!({"i": {"id": id, "expectedVersion": version, "result": "PASS"}}),
        )
        .await;
    assert_eq!(own.code, "FORBIDDEN", "{own:?}");
    // While it waits for verification, its responsible people cannot change (else a
    // responsible person could hand the measure to someone else, verify it, and take it back).
    let set = "mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { version } } }";
    let frozen = app
        .err(
            set,
            json!({"i": {"id": id, "expectedVersion": version, "responsiblePersonId": f.teacher}}),
        )
        .await;
    assert_eq!(
        (frozen.code.as_str(), frozen.field.as_deref()),
        ("BAD_USER_INPUT", Some("responsiblePersonId"))
    );
    // The verifier's account belongs to 赵老师: on a measure 赵老师 is responsible for, refused.
    let other_problem = app.create_problem(&f, "A-002", &f.water, "MEDIUM").await;
    let (own_id, _) = measure_in(&app, &f, &v, &other_problem, "PENDING").await;
    app.ok(
        set,
        json!({"i": {"id": own_id, "expectedVersion": 1, "responsiblePersonId": f.teacher}}),
    )
    .await;
    let start = verb_query("startMeasure", "MeasureTransitionInput");
    let submit = verb_query("submitMeasure", "MeasureTransitionInput");
    app.ok(&start, json!({"i": {"id": own_id, "expectedVersion": 2}})).await;
    let report = verb_query("reportProgress", "ReportProgressInput");
    app.ok(
        &report,
        json!({"i": {"id": own_id, "expectedVersion": 3, "percent": 100, "text": "完成"}}),
    )
    .await;
    app.ok(&submit, json!({"i": {"id": own_id, "expectedVersion": 4}}))
        .await;
    let (_, body) = app
        .post_as(
            &v.token,
            &pass,
            json!({"i": {"id": own_id, "expectedVersion": 5, "result": "PASS"}}),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN", "{body}");
    let before = app.head_seq().await;
    let last_event = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Measure { history(first: 1) { nodes { seq } } } } }",
            json!({"id": id}),
        )
        .await["node"]["history"]["nodes"][0]["seq"]
        .as_i64();
    let (_, body) = app
        .post_as(
            &v.token,
            &pass,
            json!({"i": {"id": id, "expectedVersion": version, "result": "PASS", "comment": "整改到位，同意销号"}}),
        )
        .await;
    let payload = &body["data"]["verifyMeasure"];
    assert_eq!(payload["measure"]["status"], "CLOSED", "{body}");
    assert_eq!(payload["measure"]["closedOn"], crate::helpers::TODAY);
    assert_eq!(payload["measure"]["progressPercent"], 100);
    let verification = &payload["verification"];
    assert_eq!(
        (verification["result"].as_str(), verification["verifierName"].as_str()),
        (Some("PASS"), Some("县委督查组"))
    );
    assert_eq!(
        verification["approvedSeq"].as_i64(),
        last_event,
        "the verified state is the measure's last event"
    );
    assert_eq!(
        app.head_seq().await,
        before + 2,
        "one event for the measure, one for the verification"
    );
    let data = app
        .ok("query($id: ID!) { node(id: $id) { ... on Measure { problem { status } verifications { result } history(first: 2) { edges { node { action actor { displayName } } } } } } }", json!({"id": id}))
        .await;
    let n = &data["node"];
    assert_eq!(n["problem"]["status"], "RECTIFIED", "its only measure is closed");
    assert_eq!(n["verifications"][0]["result"], "PASS");
    assert_eq!(n["history"]["edges"][0]["node"]["action"], "measure.verify_pass");
    assert_eq!(n["history"]["edges"][0]["node"]["actor"]["displayName"], "县委督查组");
}

async fn reasons_are_required_and_progress_is_checked(app: TestApp) {
    let f = app.fixture().await;
    let v = verifier(&app, &f).await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let (id, version) = measure_in(&app, &f, &v, &problem, "SUBMITTED").await;
    let reject = verb_query("verifyMeasure", "VerifyMeasureInput");
    let (_, body) = app
        .post_as(
            &v.token,
            &reject,
            json!({"i": {"id": id, "expectedVersion": version, "result": "REJECT"}}),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"],
        json!({"code": "BAD_USER_INPUT", "field": "reason"})
    );
    for (verb, input_type) in [
        ("reopenMeasure", "ReopenMeasureInput"),
        ("declareLongTerm", "MeasureReasonInput"),
        ("cancelMeasure", "MeasureReasonInput"),
    ] {
        let err = app
            .err(
                &verb_query(verb, input_type),
                json!({"i": if verb == "reopenMeasure" {
                    json!({"id": id, "expectedVersion": version, "reason": "   ", "newDeadline": "2026-09-30"})
                } else {
                    json!({"id": id, "expectedVersion": version, "reason": "   "})
                }}),
            )
            .await;
        assert_eq!(
            (err.code.as_str(), err.field.as_deref()),
            ("BAD_USER_INPUT", Some("reason")),
            "{verb}"
        );
    }
    let (pending, version) = measure_in(&app, &f, &v, &problem, "PENDING").await;
    let report = verb_query("reportProgress", "ReportProgressInput");
    let ok = app
        .ok(
            &report,
            json!({"i": {"id": pending, "expectedVersion": version, "percent": 60, "text": "管网已更换六成"}}),
        )
        .await;
    assert_eq!(ok["reportProgress"]["measure"]["status"], "IN_PROGRESS");
    assert_eq!(
        ok["reportProgress"]["progressReport"],
        json!({"percent": 60, "text": "管网已更换六成"})
    );
    let err = app
        .err(
            &report,
            json!({"i": {"id": pending, "expectedVersion": 2, "percent": 40, "text": "返工"}}),
        )
        .await;
    assert_eq!(err.field.as_deref(), Some("reason"));
    let err = app
        .err(
            &report,
            json!({"i": {"id": pending, "expectedVersion": 2, "percent": 101, "text": "x"}}),
        )
        .await;
    assert_eq!(err.field.as_deref(), Some("percent"));
    let err = app
        .err(
            &report,
            json!({"i": {"id": pending, "expectedVersion": 2, "percent": 70, "text": ""}}),
        )
        .await;
    assert_eq!(err.field.as_deref(), Some("text"));
    let down = app
        .ok(&report, json!({"i": {"id": pending, "expectedVersion": 2, "percent": 40, "text": "部分管段返工", "reason": "验收发现渗漏"}}))
        .await;
    assert_eq!(down["reportProgress"]["measure"]["progressPercent"], 40);
    let reports = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Measure { progressReports { percent } } } }",
            json!({"id": pending}),
        )
        .await;
    assert_eq!(
        reports["node"]["progressReports"],
        json!([{"percent": 40}, {"percent": 60}]),
        "newest first"
    );
    let stale = app
        .err(
            &report,
            json!({"i": {"id": pending, "expectedVersion": 2, "percent": 90, "text": "x"}}),
        )
        .await;
    assert_eq!(stale.code, "CONFLICT");
}

/// Two supervisors verify the same submitted measure at once: one verification wins, the other
/// gets CONFLICT, and the chain stays valid.
async fn concurrent_verifications_end_in_one_consistent_state(app: TestApp) {
    let f = app.fixture().await;
    let first = verifier(&app, &f).await;
    let second = app
        .account("ducha2", "县纪委督查室", Some(("SUPERVISOR", None)), None)
        .await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let pass = verb_query("verifyMeasure", "VerifyMeasureInput");
    for _ in 0..3 {
        let (id, version) = measure_in(&app, &f, &first, &problem, "SUBMITTED").await;
        let input =
            |result: &str| json!({"i": {"id": id, "expectedVersion": version, "result": result, "reason": "材料不全"}});
        let ((_, a), (_, b)) = futures_util::future::join(
            app.post_as(&first.token, &pass, input("PASS")),
            app.post_as(&second, &pass, input("REJECT")),
        )
        .await;
        let winners = [&a, &b].iter().filter(|r| r["errors"].is_null()).count();
        assert_eq!(winners, 1, "{a} {b}");
        let loser = if a["errors"].is_null() { &b } else { &a };
        assert_eq!(loser["errors"][0]["extensions"]["code"], "CONFLICT", "{loser}");
        let state = app
            .ok(
                "query($id: ID!) { node(id: $id) { ... on Measure { version status verifications { result } } } }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(state["node"]["version"].as_i64(), Some(version + 1));
        assert_eq!(state["node"]["verifications"].as_array().unwrap().len(), 1);
    }
    let v = app.ok("{ verifyAudit { ok } }", json!({})).await;
    assert_eq!(v["verifyAudit"]["ok"], true);
}

on_both_engines!(
    every_verb_from_every_status_is_allowed_or_an_invalid_transition,
    a_verifier_is_neither_the_submitter_nor_the_responsible_person,
    reasons_are_required_and_progress_is_checked,
    concurrent_verifications_end_in_one_consistent_state,
);
