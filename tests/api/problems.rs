use serde_json::json;

use crate::helpers::{TestApp, CREATE_PROBLEM};
use crate::on_both_engines;

const UPDATE_PROBLEM: &str =
    "mutation($i: UpdateProblemInput!) { updateProblem(input: $i) { problem { version code title foundOn severity } } }";

fn problem_input(campaign: &str, unit: &str, code: &str) -> serde_json::Value {
    json!({
        "campaignId": campaign, "code": code, "title": "办事效率低、审批环节多", "category": "机关作风建设",
        "source": "OPINION_FORM", "foundOn": "2026-05-20", "responsibilityLevel": "LEADERSHIP_TEAM",
        "severity": "MEDIUM", "rectificationKind": "IMMEDIATE", "leadUnitId": unit
    })
}

async fn bad_problem_input_is_refused_with_the_field(app: TestApp) {
    let f = app.fixture().await;
    app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let before = app.head_seq().await;
    let mut future = problem_input(&f.campaign, &f.water, "A-002");
    future["foundOn"] = json!("2026-07-01");
    let mut long_title = problem_input(&f.campaign, &f.water, "A-003");
    long_title["title"] = json!("长".repeat(201));
    let mut no_category = problem_input(&f.campaign, &f.water, "A-004");
    no_category["category"] = json!("");
    let cases = [
        (problem_input(&f.campaign, &f.water, "A-001"), "code"),
        (problem_input(&f.campaign, &f.water, "A 5"), "code"),
        (
            problem_input(&uuid::Uuid::now_v7().to_string(), &f.water, "A-005"),
            "campaignId",
        ),
        (
            problem_input(&f.campaign, &uuid::Uuid::now_v7().to_string(), "A-005"),
            "leadUnitId",
        ),
        (future, "foundOn"),
        (long_title, "title"),
        (no_category, "category"),
    ];
    for (input, field) in cases {
        let err = app.err(CREATE_PROBLEM, json!({"i": input})).await;
        assert_eq!(
            (err.code.as_str(), err.field.as_deref()),
            ("BAD_USER_INPUT", Some(field)),
            "{input}: {err:?}"
        );
    }
    assert_eq!(app.head_seq().await, before);
    // The same code in another campaign is fine.
    let other = app
        .ok(
            "mutation { createCampaign(input: {name: \"第二批\", startsOn: \"2026-05-01\"}) { campaign { id } } }",
            json!({}),
        )
        .await["createCampaign"]["campaign"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.ok(CREATE_PROBLEM, json!({"i": problem_input(&other, &f.water, "A-001")}))
        .await;
}

async fn problems_are_updated_with_versions_and_keep_found_date_before_deadlines(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    app.create_measure(&f, &problem, &f.water, &[], "2026-06-10").await;
    let err = app
        .err(
            UPDATE_PROBLEM,
            json!({"i": {"id": problem, "expectedVersion": 1, "foundOn": "2026-06-15"}}),
        )
        .await;
    assert_eq!(err.field.as_deref(), Some("foundOn"));
    let ok = app
        .ok(UPDATE_PROBLEM, json!({"i": {"id": problem, "expectedVersion": 1, "foundOn": "2026-06-01", "severity": "LOW", "code": "B-1"}}))
        .await;
    let p = &ok["updateProblem"]["problem"];
    assert_eq!(
        (p["version"].as_i64(), p["foundOn"].as_str(), p["code"].as_str()),
        (Some(2), Some("2026-06-01"), Some("B-1"))
    );
    let stale = app
        .err(
            UPDATE_PROBLEM,
            json!({"i": {"id": problem, "expectedVersion": 1, "title": "x"}}),
        )
        .await;
    assert_eq!(stale.code, "CONFLICT");
    let archived = app
        .ok("mutation($id: ID!) { archiveProblem(input: {id: $id, expectedVersion: 2, reason: \"重复录入\"}) { problem { archived } } }", json!({"id": problem}))
        .await;
    assert_eq!(archived["archiveProblem"]["problem"]["archived"], true);
    let err = app
        .err(
            "mutation($p: ID!, $u: ID!) { createMeasure(input: {problemId: $p, title: \"x\", leadUnitId: $u, deadline: \"2026-07-01\"}) { measure { id } } }",
            json!({"p": problem, "u": f.water}),
        )
        .await;
    assert_eq!(err.field.as_deref(), Some("problemId"));
}

async fn problems_are_filtered_by_unit_status_overdue_and_text(app: TestApp) {
    let f = app.fixture().await;
    let open = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let overdue = app.create_problem(&f, "A-002", &f.water_division, "HIGH").await;
    let later = app.create_problem(&f, "A-003", &f.education, "LOW").await;
    app.create_measure(&f, &overdue, &f.water_division, &[], "2026-06-20")
        .await;
    app.create_measure(&f, &later, &f.education, &[], "2026-08-01").await;
    let q = "query($f: ProblemFilter) { problems(filter: $f) { totalCount edges { node { code status overdue } } } }";
    let codes = |data: serde_json::Value| -> Vec<String> {
        data["problems"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(codes(app.ok(q, json!({"f": {"leadUnitId": f.water}})).await), ["A-001"]);
    assert_eq!(
        codes(
            app.ok(q, json!({"f": {"leadUnitId": f.water, "includeSubunits": true}}))
                .await
        ),
        ["A-001", "A-002"]
    );
    assert_eq!(codes(app.ok(q, json!({"f": {"status": "OPEN"}})).await), ["A-001"]);
    assert_eq!(
        codes(app.ok(q, json!({"f": {"status": "IN_PROGRESS"}})).await),
        ["A-002", "A-003"]
    );
    assert_eq!(
        codes(app.ok(q, json!({"f": {"status": "RECTIFIED"}})).await),
        Vec::<String>::new()
    );
    assert_eq!(codes(app.ok(q, json!({"f": {"overdue": true}})).await), ["A-002"]);
    assert_eq!(
        codes(app.ok(q, json!({"f": {"overdue": false}})).await),
        ["A-001", "A-003"]
    );
    assert_eq!(codes(app.ok(q, json!({"f": {"severity": "LOW"}})).await), ["A-003"]);
    assert_eq!(
        codes(
            app.ok(q, json!({"f": {"category": "民生实事", "campaignId": f.campaign}}))
                .await
        )
        .len(),
        3
    );
    assert_eq!(codes(app.ok(q, json!({"f": {"search": "a-002"}})).await), ["A-002"]);
    assert_eq!(
        codes(app.ok(q, json!({"f": {"search": "100%"}})).await),
        Vec::<String>::new()
    );
    let statuses = app.ok(q, json!({"f": {"search": "A-00"}})).await;
    let nodes: Vec<_> = statuses["problems"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    assert_eq!(nodes[0]["status"], "OPEN");
    assert_eq!(
        (nodes[1]["status"].as_str(), nodes[1]["overdue"].as_bool()),
        (Some("IN_PROGRESS"), Some(true))
    );
    assert_eq!(nodes[2]["overdue"], false);
    let _ = open;
}

async fn a_problem_repeats_only_an_earlier_one(app: TestApp) {
    let f = app.fixture().await;
    let old = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let mut input = problem_input(&f.campaign, &f.water, "A-002");
    input["repeatsProblemId"] = json!(old);
    let new = app.ok(CREATE_PROBLEM, json!({"i": input})).await["createProblem"]["problem"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let set = "mutation($i: UpdateProblemInput!) { updateProblem(input: $i) { problem { id } } }";
    let cycle = app
        .err(
            set,
            json!({"i": {"id": old, "expectedVersion": 1, "repeatsProblemId": new}}),
        )
        .await;
    assert_eq!(cycle.field.as_deref(), Some("repeatsProblemId"), "{cycle:?}");
    let itself = app
        .err(
            set,
            json!({"i": {"id": old, "expectedVersion": 1, "repeatsProblemId": old}}),
        )
        .await;
    assert_eq!(itself.field.as_deref(), Some("repeatsProblemId"));
    let mut found_earlier = problem_input(&f.campaign, &f.water, "A-003");
    found_earlier["foundOn"] = json!("2026-05-01");
    found_earlier["repeatsProblemId"] = json!(old);
    let err = app.err(CREATE_PROBLEM, json!({"i": found_earlier})).await;
    assert_eq!(
        err.field.as_deref(),
        Some("repeatsProblemId"),
        "found before the problem it would repeat"
    );
    let data = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Problem { repeats { code } } } }",
            json!({"id": new}),
        )
        .await;
    assert_eq!(data["node"]["repeats"]["code"], "A-001");
}

on_both_engines!(
    bad_problem_input_is_refused_with_the_field,
    problems_are_updated_with_versions_and_keep_found_date_before_deadlines,
    problems_are_filtered_by_unit_status_overdue_and_text,
    a_problem_repeats_only_an_earlier_one,
);
