//! The overdue rule has a Rust form (the `overdue` field, reports) and an SQL form (the
//! `overdue` filter), both in `src/domain/ledger/overdue.rs`: on a ledger with a measure in
//! every situation, the two must pick the same measures and the same problems.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::helpers::{six_measures, step, TestApp};

const ADD: &str = "mutation($i: AddMilestoneInput!) { addMilestone(input: $i) { milestone { id version } } }";
const COMPLETE: &str = "mutation($i: CompleteMilestoneInput!) { completeMilestone(input: $i) { milestone { id } } }";

fn ids(list: &Value) -> BTreeSet<String> {
    list["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect()
}

fn flagged(list: &Value) -> BTreeSet<String> {
    list["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["overdue"] == true)
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn the_overdue_filter_and_the_overdue_field_agree(app: TestApp) {
    let f = app.fixture().await;
    let supervisor = app
        .account("ducha", "县委督查组", Some(("SUPERVISOR", None)), None)
        .await;
    // Closed on time, closed late, started and past due, long-term, cancelled, pending not due.
    let m = six_measures(&app, &f, &supervisor).await;
    // The long-term one misses a milestone; the not-yet-due one has a missed milestone that
    // was done after all; a measure past due is submitted and waits for verification.
    let missed = json!({"i": {"measureId": m[3], "title": "完成水源地选址", "dueOn": "2026-06-20"}});
    app.ok(ADD, missed).await;
    let done = app
        .ok(
            ADD,
            json!({"i": {"measureId": m[5], "title": "完成校舍排查", "dueOn": "2026-06-01"}}),
        )
        .await["addMilestone"]["milestone"]
        .clone();
    app.ok(
        COMPLETE,
        json!({"i": {"id": done["id"], "expectedVersion": 1, "doneOn": "2026-05-30"}}),
    )
    .await;
    let problem = app.create_problem(&f, "C-001", &f.education, "MEDIUM").await;
    let submitted = app.create_measure(&f, &problem, &f.education, &[], "2026-06-28").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    step(
        &app,
        None,
        "startMeasure",
        "MeasureTransitionInput",
        json!({"id": submitted, "expectedVersion": 1}),
    )
    .await;
    let v = crate::helpers::complete(&app, &submitted).await;
    step(
        &app,
        None,
        "submitMeasure",
        "MeasureTransitionInput",
        json!({"id": submitted, "expectedVersion": v}),
    )
    .await;

    let data = app
        .ok(
            "{ all: measures(first: 100) { nodes { id overdue } } yes: measures(first: 100, filter: {overdue: true}) { nodes { id } } \
               no: measures(first: 100, filter: {overdue: false}) { nodes { id } } \
               problems(first: 100) { nodes { id overdue } } overdueProblems: problems(first: 100, filter: {overdue: true}) { nodes { id } } }",
            json!({}),
        )
        .await;
    let expected: BTreeSet<String> = [m[2].clone(), m[3].clone(), submitted.clone()].into_iter().collect();
    assert_eq!(flagged(&data["all"]), expected, "the field: {data}");
    assert_eq!(ids(&data["yes"]), expected, "the filter: {data}");
    let all = ids(&data["all"]);
    assert_eq!(ids(&data["no"]), all.difference(&expected).cloned().collect(), "{data}");
    assert_eq!(flagged(&data["problems"]), ids(&data["overdueProblems"]), "{data}");
    assert_eq!(ids(&data["overdueProblems"]).len(), 2, "A-001 and C-001: {data}");
}

crate::on_both_engines!(the_overdue_filter_and_the_overdue_field_agree);
