//! Milestones (时间节点): a step not done by its due date makes the measure (and its problem)
//! overdue; a LONG_TERM measure is judged by its milestones alone.

use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_engines;

const ADD: &str = "mutation($i: AddMilestoneInput!) { addMilestone(input: $i) { milestone { id version title dueOn doneOn overdue } } }";
const COMPLETE: &str =
    "mutation($i: CompleteMilestoneInput!) { completeMilestone(input: $i) { milestone { version doneOn overdue } } }";
const STATE: &str = "query($id: ID!) { node(id: $id) { ... on Measure { status overdue daysOverdue workingDaysOverdue milestones { title overdue } problem { overdue } } } }";

async fn a_missed_milestone_makes_the_measure_overdue_until_it_is_done(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let m = app.create_measure(&f, &problem, &f.water, &[], "2026-07-31").await;
    let id = m["id"].as_str().unwrap();
    let first = app
        .ok(
            ADD,
            json!({"i": {"measureId": id, "title": "完成管网排查", "dueOn": "2026-06-20"}}),
        )
        .await["addMilestone"]["milestone"]
        .clone();
    assert_eq!(
        (first["overdue"].as_bool(), first["version"].as_i64()),
        (Some(true), Some(1))
    );
    app.ok(
        ADD,
        json!({"i": {"measureId": id, "title": "完成维修施工", "dueOn": "2026-07-25"}}),
    )
    .await;
    // Today is Tuesday 30 June 2026: ten calendar days, seven working days after 20 June (a
    // Saturday in the 端午 weekend — no calendar loaded here, so plain weeks).
    let state = app.ok(STATE, json!({"id": id})).await;
    assert_eq!(
        state["node"],
        json!({"status": "PENDING", "overdue": true, "daysOverdue": 10, "workingDaysOverdue": 7,
               "milestones": [{"title": "完成管网排查", "overdue": true}, {"title": "完成维修施工", "overdue": false}],
               "problem": {"overdue": true}})
    );
    let listed =
        "{ measures(filter: {overdue: true}) { totalCount } problems(filter: {overdue: true}) { totalCount } }";
    let counts = app.ok(listed, json!({})).await;
    assert_eq!(
        (
            counts["measures"]["totalCount"].as_i64(),
            counts["problems"]["totalCount"].as_i64()
        ),
        (Some(1), Some(1))
    );
    let done = app
        .ok(
            COMPLETE,
            json!({"i": {"id": first["id"], "expectedVersion": 1, "doneOn": "2026-06-28"}}),
        )
        .await;
    assert_eq!(
        done["completeMilestone"]["milestone"],
        json!({"version": 2, "doneOn": "2026-06-28", "overdue": false})
    );
    let state = app.ok(STATE, json!({"id": id})).await;
    assert_eq!(
        (
            state["node"]["overdue"].as_bool(),
            state["node"]["daysOverdue"].as_i64()
        ),
        (Some(false), None)
    );
    let counts = app.ok(listed, json!({})).await;
    assert_eq!(counts["measures"]["totalCount"], 0);
    // Both changes are in the milestone's history.
    let history = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Milestone { history { nodes { action } } } } }",
            json!({"id": first["id"]}),
        )
        .await;
    assert_eq!(
        history["node"]["history"]["nodes"],
        json!([{"action": "milestone.complete"}, {"action": "milestone.create"}])
    );
}

async fn a_long_term_measure_is_judged_by_its_milestones(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-002", &f.water, "HIGH").await;
    let m = app.create_measure(&f, &problem, &f.water, &[], "2026-06-15").await;
    let id = m["id"].as_str().unwrap();
    let declare = "mutation($i: MeasureReasonInput!) { declareLongTerm(input: $i) { measure { status } } }";
    app.ok(
        declare,
        json!({"i": {"id": id, "expectedVersion": 1, "reason": "水源工程需跨年度建设，已向群众说明"}}),
    )
    .await;
    // Past its deadline, but LONG_TERM: not overdue while its steps are on time.
    let state = app.ok(STATE, json!({"id": id})).await;
    assert_eq!(
        (state["node"]["status"].as_str(), state["node"]["overdue"].as_bool()),
        (Some("LONG_TERM"), Some(false))
    );
    // Its steps may run past the old deadline.
    app.ok(
        ADD,
        json!({"i": {"measureId": id, "title": "完成水源地选址", "dueOn": "2026-09-30"}}),
    )
    .await;
    app.clock.advance(chrono::Duration::days(95)); // 3 October 2026
    let state = app.ok(STATE, json!({"id": id})).await;
    assert_eq!(
        (
            state["node"]["overdue"].as_bool(),
            state["node"]["daysOverdue"].as_i64()
        ),
        (Some(true), Some(3))
    );
}

async fn milestone_input_is_checked(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-003", &f.water, "HIGH").await;
    let m = app.create_measure(&f, &problem, &f.water, &[], "2026-07-31").await;
    let id = m["id"].as_str().unwrap();
    let head = app.head_seq().await;
    let cases = [
        (json!({"measureId": id, "title": "x", "dueOn": "2026-08-01"}), "dueOn"),
        (json!({"measureId": id, "title": " ", "dueOn": "2026-07-01"}), "title"),
        (
            json!({"measureId": problem, "title": "x", "dueOn": "2026-07-01"}),
            "measureId",
        ),
    ];
    for (input, field) in cases {
        let err = app.err(ADD, json!({"i": input})).await;
        assert_eq!(
            (err.code.as_str(), err.field.as_deref()),
            ("BAD_USER_INPUT", Some(field)),
            "{err:?}"
        );
    }
    assert_eq!(app.head_seq().await, head, "nothing written");
    let step = app
        .ok(
            ADD,
            json!({"i": {"measureId": id, "title": "完成排查", "dueOn": "2026-07-10"}}),
        )
        .await["addMilestone"]["milestone"]["id"]
        .clone();
    let future = app
        .err(
            COMPLETE,
            json!({"i": {"id": step, "expectedVersion": 1, "doneOn": "2026-07-01"}}),
        )
        .await;
    assert_eq!(future.field.as_deref(), Some("doneOn"));
    let stale = app
        .err(COMPLETE, json!({"i": {"id": step, "expectedVersion": 7}}))
        .await;
    assert_eq!(stale.code, "CONFLICT");
    app.ok(COMPLETE, json!({"i": {"id": step, "expectedVersion": 1}})).await;
    let twice = app
        .err(COMPLETE, json!({"i": {"id": step, "expectedVersion": 2}}))
        .await;
    assert_eq!(twice.field.as_deref(), Some("id"));
    let other = app
        .account("jyj", "县教育局联络员", Some(("EDITOR", Some(&f.education))), None)
        .await;
    let refused = app
        .err_as(
            &other,
            ADD,
            json!({"i": {"measureId": id, "title": "越权", "dueOn": "2026-07-01"}}),
        )
        .await;
    assert_eq!(refused.code, "FORBIDDEN");
}

on_both_engines!(
    a_missed_milestone_makes_the_measure_overdue_until_it_is_done,
    a_long_term_measure_is_judged_by_its_milestones,
    milestone_input_is_checked,
);
