//! A measure's `allowedActions` against what the mutations then do. For every action, on a
//! fresh measure in each status, each account of the tree (by role and place, the least
//! privileged first) reads the field and then tries the mutation with valid input: the field
//! says allowed exactly when the mutation succeeds, and a refusal carries the code the
//! mutation answers. A success changes the measure, and the next account reads it afresh.

use serde_json::{json, Value};

use crate::helpers::{attach_report, complete, step, version, Fixture, TestApp};
use crate::on_both_engines;

const ACTIONS: [&str; 14] = [
    "START",
    "REPORT_PROGRESS",
    "SUBMIT",
    "VERIFY_PASS",
    "VERIFY_REJECT",
    "REOPEN",
    "DECLARE_LONG_TERM",
    "CANCEL",
    "REQUEST_EXTENSION",
    "DECIDE_EXTENSION",
    "UPLOAD_EVIDENCE",
    "UPDATE",
    "DISCLOSE",
    "ISSUE_SUPERVISION",
];

/// The statuses a sample measure is brought to (READY: in progress with its gate met).
const STATES: [&str; 7] = [
    "PENDING",
    "IN_PROGRESS",
    "READY",
    "SUBMITTED",
    "CLOSED",
    "LONG_TERM",
    "CANCELLED",
];

const ALLOWED: &str = "query($id: ID!) { node(id: $id) { ... on Measure {
    allowedActions { action label mutation allowed code reason field } } } }";

struct Viewer {
    name: &'static str,
    token: String,
}

/// The accounts, the least privileged first: the responsible person (no role, personal scope),
/// a VIEWER and the liaison (EDITOR) of the lead unit, the department's own leadership
/// (SUPERVISOR on it, the measure's 责任领导), the county 督查组 and an administrator (both on
/// the whole tree).
async fn viewers(app: &TestApp, f: &Fixture) -> Vec<Viewer> {
    let person = Some(f.person.as_str());
    let leader = Some(f.leader.as_str());
    let water = Some(f.water.as_str());
    let division = Some(f.water_division.as_str());
    vec![
        Viewer {
            name: "责任人",
            token: app.account("liming", "李明", None, person).await,
        },
        Viewer {
            name: "查阅",
            token: app.account("chayue", "查阅员", Some(("VIEWER", water)), None).await,
        },
        Viewer {
            name: "联络员",
            token: app.account("lianluo", "联络员", Some(("EDITOR", division)), None).await,
        },
        Viewer {
            name: "本单位领导",
            token: app
                .account("wangjg", "王建国", Some(("SUPERVISOR", water)), leader)
                .await,
        },
        Viewer {
            name: "督查组",
            token: app
                .account("ducha", "县委督查组", Some(("SUPERVISOR", None)), None)
                .await,
        },
        Viewer {
            name: "管理员",
            token: app.account("guanli", "管理员", Some(("ADMIN", None)), None).await,
        },
    ]
}

/// A problem disclosed to the public, so that its measures' disclosure can change.
async fn public_problem(app: &TestApp, f: &Fixture) -> String {
    let input = json!({
        "campaignId": f.campaign, "code": "AA-001", "title": "农村饮水安全问题",
        "category": "民生实事", "source": "FORUM", "foundOn": "2026-05-10",
        "responsibilityLevel": "LEADERSHIP_TEAM", "severity": "HIGH", "disclosure": "PUBLIC",
        "rectificationKind": "WITHIN_DEADLINE", "leadUnitId": f.water_division
    });
    app.ok(crate::helpers::CREATE_PROBLEM, json!({"i": input})).await["createProblem"]["problem"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A fresh measure brought to `state` as root (closed by `closer`), with an extension request
/// waiting when the sample is about deciding one.
async fn sample(app: &TestApp, f: &Fixture, problem: &str, state: &str, closer: &str, action: &str) -> String {
    let m = app
        .create_measure(f, problem, &f.water_division, &[], "2026-12-31")
        .await;
    let id = m["id"].as_str().unwrap().to_owned();
    let transition = |mutation: &'static str, input_type: &'static str, extra: Value| {
        let id = id.clone();
        async move {
            let mut input = json!({"id": id, "expectedVersion": version(app, &id).await});
            input
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            step(app, None, mutation, input_type, input).await;
        }
    };
    let reason = json!({"reason": "经研究决定"});
    match state {
        "PENDING" => {}
        "IN_PROGRESS" => transition("startMeasure", "MeasureTransitionInput", json!({})).await,
        "LONG_TERM" => transition("declareLongTerm", "MeasureReasonInput", reason).await,
        "CANCELLED" => transition("cancelMeasure", "MeasureReasonInput", reason).await,
        _ => {
            transition("startMeasure", "MeasureTransitionInput", json!({})).await;
            complete(app, &id).await;
            if state != "READY" {
                transition("submitMeasure", "MeasureTransitionInput", json!({})).await;
            }
            if state == "CLOSED" {
                let input = json!({"id": id, "expectedVersion": version(app, &id).await, "result": "PASS"});
                step(app, Some(closer), "verifyMeasure", "VerifyMeasureInput", input).await;
            }
        }
    }
    let open = !matches!(state, "CLOSED" | "CANCELLED");
    if action == "DECIDE_EXTENSION" && open {
        let q =
            "mutation($i: RequestDeadlineExtensionInput!) { requestDeadlineExtension(input: $i) { extension { id } } }";
        let input = json!({"id": id, "expectedVersion": version(app, &id).await,
                           "newDeadline": "2027-03-31", "reason": "汛期施工受阻"});
        app.ok(q, json!({"i": input})).await;
    }
    id
}

/// The viewer's permission for `action` on measure `id`, or None when the measure is hidden.
async fn permission(app: &TestApp, token: &str, id: &str, action: &str) -> Option<Value> {
    let data = app.ok_as(token, ALLOWED, json!({"id": id})).await;
    let list = data["node"]["allowedActions"].as_array()?.clone();
    assert_eq!(list.len(), ACTIONS.len(), "every action is listed: {list:?}");
    list.into_iter().find(|p| p["action"] == action)
}

/// The pending extension request of measure `id` (read as root).
async fn pending_request(app: &TestApp, id: &str) -> Option<String> {
    let q = "query($id: ID!) { node(id: $id) { ... on Measure { extensions { id status } } } }";
    let data = app.ok(q, json!({"id": id})).await;
    data["node"]["extensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["status"] == "PENDING")
        .map(|e| e["id"].as_str().unwrap().to_owned())
}

/// Tries `action` on measure `id` as the bearer of `token` with valid input: None on success,
/// the error's code otherwise.
async fn attempt(app: &TestApp, token: &str, id: &str, action: &str, lead: &str) -> Option<String> {
    let v = version(app, id).await;
    let base = json!({"id": id, "expectedVersion": v});
    let with = |extra: Value| {
        let mut input = base.clone();
        input
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        input
    };
    let (mutation, input_type, input) = match action {
        "START" => ("startMeasure", "MeasureTransitionInput", base.clone()),
        "REPORT_PROGRESS" => (
            "reportProgress",
            "ReportProgressInput",
            with(json!({"percent": 100, "text": "已完成全部管网维修", "reason": "按实际完成情况填报"})),
        ),
        "SUBMIT" => ("submitMeasure", "MeasureTransitionInput", base.clone()),
        "VERIFY_PASS" => (
            "verifyMeasure",
            "VerifyMeasureInput",
            with(json!({"result": "PASS", "comment": "同意销号"})),
        ),
        "VERIFY_REJECT" => (
            "verifyMeasure",
            "VerifyMeasureInput",
            with(json!({"result": "REJECT", "reason": "佐证不足"})),
        ),
        "REOPEN" => (
            "reopenMeasure",
            "ReopenMeasureInput",
            with(json!({"reason": "回头看发现反弹", "newDeadline": "2027-06-30"})),
        ),
        "DECLARE_LONG_TERM" => (
            "declareLongTerm",
            "MeasureReasonInput",
            with(json!({"reason": "需长期坚持"})),
        ),
        "CANCEL" => (
            "cancelMeasure",
            "MeasureReasonInput",
            with(json!({"reason": "并入其他措施"})),
        ),
        "REQUEST_EXTENSION" => (
            "requestDeadlineExtension",
            "RequestDeadlineExtensionInput",
            with(json!({"newDeadline": "2027-04-30", "reason": "汛期施工受阻"})),
        ),
        "DECIDE_EXTENSION" => {
            let request = pending_request(app, id).await?;
            let q = "mutation($i: DecideDeadlineExtensionInput!) { decideDeadlineExtension(input: $i) { extension { id } } }";
            let input = json!({"id": request, "decision": "APPROVE", "comment": "同意"});
            return outcome(&app.post_as(token, q, json!({"i": input})).await.1);
        }
        "UPLOAD_EVIDENCE" => {
            let q = "mutation($i: UploadEvidenceInput!) { uploadEvidence(input: $i) { evidence { id } } }";
            let vars = json!({"i": {"measureId": id, "file": null, "description": "现场照片"}});
            let file = ("现场照片.jpg", "image/jpeg", &b"\xff\xd8\xff photo"[..]);
            return outcome(&app.post_file(Some(token), q, vars, "variables.i.file", file).await.1);
        }
        "UPDATE" => (
            "updateMeasure",
            "UpdateMeasureInput",
            with(json!({"title": format!("完成饮水工程维修（第{v}稿）")})),
        ),
        "DISCLOSE" => {
            let q = "query($id: ID!) { node(id: $id) { ... on Measure { disclosure } } }";
            let now = app.ok(q, json!({"id": id})).await["node"]["disclosure"].clone();
            let next = if now == "SYSTEM" { "INTERNAL" } else { "SYSTEM" };
            ("updateMeasure", "UpdateMeasureInput", with(json!({"disclosure": next})))
        }
        _ => {
            let q = "mutation($i: IssueSupervisionInput!) { issueSupervision(input: $i) { supervisionAction { id } } }";
            let input = json!({"kind": "NOTICE", "targetUnitId": lead, "measureId": id, "content": "请加快整改进度"});
            return outcome(&app.post_as(token, q, json!({"i": input})).await.1);
        }
    };
    let q = format!("mutation($i: {input_type}!) {{ {mutation}(input: $i) {{ __typename }} }}");
    outcome(&app.post_as(token, &q, json!({"i": input})).await.1)
}

fn outcome(body: &Value) -> Option<String> {
    let error = body["errors"].get(0)?;
    Some(error["extensions"]["code"].as_str().unwrap_or("no code").to_owned())
}

/// (allowed, refused) counts per action, so that the test shows it saw both sides of each.
type Tally = std::collections::BTreeMap<&'static str, (usize, usize)>;

async fn check_action(
    app: &TestApp,
    f: &Fixture,
    viewers: &[Viewer],
    problem: &str,
    action: &'static str,
    tally: &mut Tally,
) {
    for state in STATES {
        let id = sample(app, f, problem, state, &viewers[4].token, action).await;
        for viewer in viewers {
            let Some(p) = permission(app, &viewer.token, &id, action).await else {
                continue;
            };
            let what = format!("{action} on a {state} measure as {}: {p}", viewer.name);
            assert!(p["label"].as_str().is_some_and(|l| !l.is_empty()), "{what}");
            let result = if action == "DECIDE_EXTENSION" && pending_request(app, &id).await.is_none() {
                // Nothing waits for a decision: there is no request the mutation could name.
                Some(p["code"].as_str().unwrap_or("none").to_owned())
            } else {
                attempt(app, &viewer.token, &id, action, &f.water_division).await
            };
            let entry = tally.entry(action).or_default();
            match result {
                None => {
                    assert_eq!(p["allowed"], true, "the mutation succeeded: {what}");
                    assert!(p["code"].is_null() && p["reason"].is_null(), "{what}");
                    entry.0 += 1;
                }
                Some(code) => {
                    assert_eq!(p["allowed"], false, "the mutation answered {code}: {what}");
                    assert_eq!(p["code"], code.as_str(), "{what}");
                    assert!(p["reason"].as_str().is_some_and(|r| !r.is_empty()), "{what}");
                    entry.1 += 1;
                }
            }
        }
    }
}

async fn allowed_actions_agree_with_what_the_mutations_do(app: TestApp) {
    let f = app.fixture().await;
    let viewers = viewers(&app, &f).await;
    let problem = public_problem(&app, &f).await;
    let mut tally = Tally::new();
    for action in ACTIONS {
        check_action(&app, &f, &viewers, &problem, action, &mut tally).await;
    }
    for action in ACTIONS {
        let (allowed, refused) = tally.get(action).copied().unwrap_or_default();
        assert!(
            allowed > 0 && refused > 0,
            "{action}: allowed {allowed}, refused {refused} times"
        );
    }
}

async fn refusals_name_the_rule_and_the_field(app: TestApp) {
    let f = app.fixture().await;
    let viewers = viewers(&app, &f).await;
    let problem = public_problem(&app, &f).await;
    let id = sample(&app, &f, &problem, "IN_PROGRESS", &viewers[4].token, "SUBMIT").await;
    let liaison = &viewers[2].token;
    let submit = permission(&app, liaison, &id, "SUBMIT").await.unwrap();
    assert_eq!(submit["code"], "GATE_NOT_MET", "{submit}");
    assert_eq!(submit["field"], "progressPercent", "{submit}");
    let unmet =
        "query($id: ID!) { node(id: $id) { ... on Measure { allowedActions { action unmet { field message } } } } }";
    let data = app.ok_as(liaison, unmet, json!({"id": id})).await;
    let list = data["node"]["allowedActions"].as_array().unwrap();
    let gate = &list.iter().find(|p| p["action"] == "SUBMIT").unwrap()["unmet"];
    let fields: Vec<&str> = gate
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["progressPercent", "evidence"], "both conditions: {gate}");
    assert_eq!(
        list.iter().find(|p| p["action"] == "START").unwrap()["unmet"],
        json!([])
    );
    assert_eq!(submit["label"], "提交验收");
    assert_eq!(submit["mutation"], "submitMeasure");
    // The gate met, the liaison may submit; the department's own leadership may not verify.
    complete(&app, &id).await;
    attach_report(&app, liaison, &id).await;
    assert_eq!(permission(&app, liaison, &id, "SUBMIT").await.unwrap()["allowed"], true);
    assert_eq!(attempt(&app, liaison, &id, "SUBMIT", &f.water_division).await, None);
    let own = permission(&app, &viewers[3].token, &id, "VERIFY_PASS").await.unwrap();
    assert_eq!(own["code"], "FORBIDDEN", "{own}");
    assert!(own["reason"].as_str().unwrap().contains("责任领导"), "{own}");
    let ducha = permission(&app, &viewers[4].token, &id, "VERIFY_PASS").await.unwrap();
    assert_eq!(ducha["allowed"], true, "{ducha}");
    // The public reads this measure (its problem is disclosed) and may do nothing to it.
    let anonymous = app.ok_anonymous(ALLOWED, json!({"id": id})).await;
    let refused = anonymous["node"]["allowedActions"].as_array().unwrap();
    assert_eq!(refused.len(), ACTIONS.len());
    for p in refused {
        assert_eq!(p["allowed"], false, "{p}");
        if p["action"] != "DECIDE_EXTENSION" {
            assert_eq!(p["code"], "UNAUTHENTICATED", "{p}");
        }
    }
}

async fn labels_name_every_value_of_the_enums_they_list(app: TestApp) {
    let data = app
        .ok_anonymous("{ labels { name values { value label } } }", json!({}))
        .await;
    let labels = data["labels"].as_array().unwrap();
    let schema = app
        .ok_anonymous("{ __schema { types { name kind enumValues { name } } } }", json!({}))
        .await;
    for e in labels {
        let name = e["name"].as_str().unwrap();
        let ty = schema["__schema"]["types"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name)
            .unwrap_or_else(|| panic!("{name} is not a type of the schema"));
        let mut served: Vec<&str> = ty["enumValues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["name"].as_str().unwrap())
            .collect();
        let mut labelled: Vec<&str> = e["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["value"].as_str().unwrap())
            .collect();
        served.sort_unstable();
        labelled.sort_unstable();
        assert_eq!(served, labelled, "{name}");
        for v in e["values"].as_array().unwrap() {
            let label = v["label"].as_str().unwrap();
            assert!(!label.is_empty() && !label.is_ascii(), "{name}.{}: {label}", v["value"]);
        }
    }
    let names: Vec<&str> = labels.iter().map(|e| e["name"].as_str().unwrap()).collect();
    for needed in [
        "MeasureStatus",
        "ProblemStatus",
        "Severity",
        "ProblemSource",
        "Role",
        "MeasureAction",
        "UnitKind",
    ] {
        assert!(names.contains(&needed), "{needed} has labels: {names:?}");
    }
    let statuses = app
        .ok_anonymous(
            "{ labels(names: [\"MeasureStatus\"]) { name values { value label } } }",
            json!({}),
        )
        .await;
    let values = &statuses["labels"][0]["values"];
    assert_eq!(statuses["labels"].as_array().unwrap().len(), 1);
    let by_value = |v: &str| values.as_array().unwrap().iter().find(|x| x["value"] == v).unwrap()["label"].clone();
    assert_eq!(by_value("PENDING"), "待启动");
    assert_eq!(by_value("SUBMITTED"), "待验收");
    assert_eq!(by_value("CLOSED"), "已销号");
    assert_eq!(by_value("CANCELLED"), "已撤销");
}

on_both_engines!(
    allowed_actions_agree_with_what_the_mutations_do,
    refusals_name_the_rule_and_the_field,
    labels_name_every_value_of_the_enums_they_list,
);
