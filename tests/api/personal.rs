//! Personal scope: an account linked to a person sees the measures where that person is the
//! responsible leader (责任领导) or the responsible person (责任人), wherever their units are, and
//! reports on their work; the unit's decisions stay with the unit's roles.

use serde_json::{json, Value};

use crate::helpers::{attach_report, step, TestApp, CREATE_MEASURE};
use crate::on_both_engines;

const MEASURES: &str = "{ measures { totalCount nodes { id title } } problems { totalCount } }";

/// A measure of `problem` led by `lead`, with the given leader and person: its id.
async fn measure(app: &TestApp, problem: &str, lead: &str, leader: &str, person: &str, title: &str) -> String {
    let input = json!({
        "problemId": problem, "title": title, "acceptanceCriteria": "群众饮水达标", "leadUnitId": lead,
        "responsibleLeaderId": leader, "responsiblePersonId": person, "deadline": "2026-09-30"
    });
    app.ok(CREATE_MEASURE, json!({"i": input})).await["createMeasure"]["measure"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn titles(data: &Value) -> Vec<String> {
    let mut t: Vec<String> = data["measures"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["title"].as_str().unwrap().to_owned())
        .collect();
    t.sort();
    t
}

async fn a_leader_sees_and_reports_on_the_measures_he_answers_for_wherever_they_are(app: TestApp) {
    let f = app.fixture().await;
    // 刘志远, a county leader, answers for measures of 县水利局 and 农村水利股; his account holds
    // VIEWER on 县教育局 only.
    let liu = app.create_person("刘志远", &f.county).await;
    let water = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let school = app.create_problem(&f, "B-001", &f.education, "LOW").await;
    let led = measure(&app, &water, &f.water, &liu, &f.person, "甲：刘志远任责任领导").await;
    let carried = measure(&app, &water, &f.water_division, &f.leader, &liu, "乙：刘志远任责任人").await;
    let _education = measure(&app, &school, &f.education, &f.teacher, &f.teacher, "丙：县教育局措施").await;
    let other = measure(&app, &water, &f.water, &f.leader, &f.person, "丁：与刘志远无关").await;
    let pending = measure(&app, &water, &f.water, &f.leader, &liu, "戊：刘志远任责任人，尚未启动").await;
    let token = app
        .account(
            "liu.zhiyuan",
            "刘志远",
            Some(("VIEWER", Some(&f.education))),
            Some(&liu),
        )
        .await;

    let seen = app.ok_as(&token, MEASURES, json!({})).await;
    assert_eq!(
        titles(&seen),
        [
            "丙：县教育局措施",
            "乙：刘志远任责任人",
            "戊：刘志远任责任人，尚未启动",
            "甲：刘志远任责任领导"
        ],
        "{seen}"
    );
    assert_eq!(
        seen["problems"]["totalCount"], 2,
        "the problems of the measures he sees: {seen}"
    );
    let node = "query($id: ID!) { node(id: $id) { id } }";
    assert!(app.ok_as(&token, node, json!({"id": led})).await["node"].is_object());
    assert!(app.ok_as(&token, node, json!({"id": other})).await["node"].is_null());
    let stats = app.ok_as(&token, "{ ledgerStats { total } }", json!({})).await;
    assert_eq!(stats["ledgerStats"]["total"], 4, "reports count what he sees: {stats}");

    // He reports on his measures: progress, a milestone done, a report attached.
    for id in [&led, &carried] {
        step(
            &app,
            None,
            "startMeasure",
            "MeasureTransitionInput",
            json!({"id": id, "expectedVersion": 1}),
        )
        .await;
        let v = step(
            &app,
            Some(&token),
            "reportProgress",
            "ReportProgressInput",
            json!({"id": id, "expectedVersion": 2, "percent": 60, "text": "已完成主管网更换"}),
        )
        .await;
        assert_eq!(v, 3);
        attach_report(&app, &token, id).await;
    }
    let add = "mutation($i: AddMilestoneInput!) { addMilestone(input: $i) { milestone { id } } }";
    let milestone = app
        .ok(
            add,
            json!({"i": {"measureId": led, "title": "完成管网排查", "dueOn": "2026-07-15"}}),
        )
        .await["addMilestone"]["milestone"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let complete = "mutation($i: CompleteMilestoneInput!) { completeMilestone(input: $i) { milestone { doneOn } } }";
    let done = app
        .ok_as(&token, complete, json!({"i": {"id": milestone, "expectedVersion": 1}}))
        .await;
    assert_eq!(done["completeMilestone"]["milestone"]["doneOn"], "2026-06-30");

    // The unit's decisions are not his: submitting, editing, adding milestones, and nothing on
    // a measure he does not answer for. Nothing is written.
    let head = app.head_seq().await;
    let refusals = [
        ("mutation($id: ID!) { submitMeasure(input: {id: $id, expectedVersion: 4}) { measure { id } } }", &led),
        ("mutation($id: ID!) { updateMeasure(input: {id: $id, expectedVersion: 4, title: \"改\"}) { measure { id } } }", &led),
        ("mutation($id: ID!) { addMilestone(input: {measureId: $id, title: \"节点\", dueOn: \"2026-08-01\"}) { milestone { id } } }", &carried),
        ("mutation($id: ID!) { verifyMeasure(input: {id: $id, expectedVersion: 4, result: PASS}) { measure { id } } }", &led),
        ("mutation($id: ID!) { reportProgress(input: {id: $id, expectedVersion: 1, percent: 10, text: \"越权\"}) { measure { id } } }", &other),
        // Reporting on a PENDING measure would start it: the unit's decision.
        ("mutation($id: ID!) { reportProgress(input: {id: $id, expectedVersion: 1, percent: 10, text: \"开始\"}) { measure { id } } }", &pending),
    ];
    for (query, id) in refusals {
        let e = app.err_as(&token, query, json!({"id": id})).await;
        assert_eq!(e.code, "FORBIDDEN", "{query}: {}", e.message);
    }
    assert_eq!(app.head_seq().await, head, "a refused write writes nothing");
}

async fn an_account_without_a_person_or_grant_sees_no_measure(app: TestApp) {
    let f = app.fixture().await;
    let water = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    measure(&app, &water, &f.water, &f.leader, &f.person, "甲").await;
    let token = app.account("nobody", "无权限账号", None, None).await;
    let seen = app.ok_as(&token, MEASURES, json!({})).await;
    assert_eq!(seen["measures"]["totalCount"], 0, "{seen}");
    assert_eq!(seen["problems"]["totalCount"], 0, "{seen}");
}

on_both_engines!(
    a_leader_sees_and_reports_on_the_measures_he_answers_for_wherever_they_are,
    an_account_without_a_person_or_grant_sees_no_measure,
);
