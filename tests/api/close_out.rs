//! Close-out (销号) that can be trusted: who may verify (验收 ≠ owner), the gate a measure
//! passes before it is submitted and again before it is closed, and 五到位 (a measure names its
//! lead unit, leader, person, deadline and criteria). Every refusal writes nothing.

use serde_json::{json, Value};

use crate::helpers::{complete, step, version, Fixture, TestApp, CREATE_MEASURE};
use crate::on_both_engines;

const SUBMIT: &str =
    "mutation($i: MeasureTransitionInput!) { submitMeasure(input: $i) { measure { status version } } }";
const VERIFY: &str = "mutation($i: VerifyMeasureInput!) { verifyMeasure(input: $i) { measure { status version } } }";
const PROGRESS: &str =
    "mutation($i: ReportProgressInput!) { reportProgress(input: $i) { measure { version progressPercent } } }";

/// A started measure of the water division (lead) led by 王建国 (`f.leader`, of 县水利局).
async fn started_measure(app: &TestApp, f: &Fixture, code: &str) -> String {
    let problem = app.create_problem(f, code, &f.water, "HIGH").await;
    let m = app
        .create_measure(f, &problem, &f.water_division, &[], "2026-12-31")
        .await;
    let id = m["id"].as_str().unwrap().to_owned();
    step(
        app,
        None,
        "startMeasure",
        "MeasureTransitionInput",
        json!({"id": id, "expectedVersion": 1}),
    )
    .await;
    id
}

/// Completes and submits (as root); returns the version to verify.
async fn submitted(app: &TestApp, id: &str) -> i64 {
    let v = complete(app, id).await;
    app.ok(SUBMIT, json!({"i": {"id": id, "expectedVersion": v}})).await["submitMeasure"]["measure"]["version"]
        .as_i64()
        .unwrap()
}

fn pass(id: &str, version: i64) -> Value {
    json!({"i": {"id": id, "expectedVersion": version, "result": "PASS", "comment": "同意销号"}})
}

async fn the_owners_own_leadership_cannot_close_out_their_measure(app: TestApp) {
    let f = app.fixture().await;
    let id = started_measure(&app, &f, "V-001").await;
    let v = submitted(&app, &id).await;
    // 王建国 is the measure's 责任领导 and holds SUPERVISOR on his own department.
    let leader = app
        .account(
            "wangjg",
            "王建国",
            Some(("SUPERVISOR", Some(&f.water))),
            Some(&f.leader),
        )
        .await;
    // Another SUPERVISOR of the same department, not named on the measure.
    let colleague = app
        .account("bumen", "县水利局领导", Some(("SUPERVISOR", Some(&f.water))), None)
        .await;
    // A SUPERVISOR of the department's division only (the lead unit itself).
    let division = app
        .account(
            "gushi",
            "农村水利股",
            Some(("SUPERVISOR", Some(&f.water_division))),
            None,
        )
        .await;
    // A SUPERVISOR of the division who also supervises an unrelated department.
    let sideways = app
        .account(
            "liangtou",
            "两头兼",
            Some(("SUPERVISOR", Some(&f.water_division))),
            None,
        )
        .await;
    let ledger = taizhang::domain::Ledger::new(app.db.clone(), app.clock.clone());
    let ctx = taizhang::domain::context::RequestContext::system(None);
    let account = taizhang::domain::accounts::find_by_username(&app.db, "liangtou")
        .await
        .unwrap()
        .unwrap();
    taizhang::domain::accounts::grants::grant(
        &ledger,
        &ctx,
        account.id,
        taizhang::domain::access::Role::Supervisor,
        Some(f.education.parse().unwrap()),
    )
    .await
    .unwrap();
    let head = app.head_seq().await;
    let err = app.err_as(&leader, VERIFY, pass(&id, v)).await;
    assert_eq!(err.code, "FORBIDDEN", "{err:?}");
    assert!(err.message.contains("责任领导"), "{}", err.message);
    let err = app.err_as(&sideways, VERIFY, pass(&id, v)).await;
    assert_eq!(err.code, "FORBIDDEN", "an unrelated grant is not a superior: {err:?}");
    // While it waits, the units that decide who may verify cannot change.
    let moved = app
        .err(
            "mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { version } } }",
            json!({"i": {"id": id, "expectedVersion": v, "leadUnitId": f.water}}),
        )
        .await;
    assert_eq!(
        (moved.code.as_str(), moved.field.as_deref()),
        ("BAD_USER_INPUT", Some("leadUnitId"))
    );
    let err = app.err_as(&division, VERIFY, pass(&id, v)).await;
    assert_eq!(err.code, "FORBIDDEN", "{err:?}");
    assert!(err.message.contains("from outside"), "{}", err.message);
    assert_eq!(app.head_seq().await, head, "a refused verification writes nothing");
    // 县水利局 is above the division that leads the measure: a superior may verify.
    let done = app.ok_as(&colleague, VERIFY, pass(&id, v)).await;
    assert_eq!(done["verifyMeasure"]["measure"]["status"], "CLOSED");
}

async fn the_county_inspection_group_verifies_when_the_campaign_requires_it(app: TestApp) {
    let f = app.fixture().await;
    let group = app
        .create_unit("县委督查组", "QS-DCZ", "INSPECTION_GROUP", Some(&f.county))
        .await;
    let inspector = app.create_person("郑国栋", &group).await;
    app.ok(
        "mutation($i: UpdateCampaignInput!) { updateCampaign(input: $i) { campaign { verifiedByInspectionGroup } } }",
        json!({"i": {"id": f.campaign, "expectedVersion": 1, "verifiedByInspectionGroup": true}}),
    )
    .await;
    let id = started_measure(&app, &f, "V-002").await;
    let v = submitted(&app, &id).await;
    // A whole-county SUPERVISOR who is nobody of an inspection group.
    let county = app
        .account("xianwei", "县委办", Some(("SUPERVISOR", None)), Some(&f.teacher))
        .await;
    let member = app
        .account("ducha", "郑国栋", Some(("SUPERVISOR", None)), Some(&inspector))
        .await;
    let head = app.head_seq().await;
    let err = app.err_as(&county, VERIFY, pass(&id, v)).await;
    assert_eq!(err.code, "FORBIDDEN", "{err:?}");
    assert!(err.message.contains("inspection group"), "{}", err.message);
    assert_eq!(app.head_seq().await, head);
    let done = app.ok_as(&member, VERIFY, pass(&id, v)).await;
    assert_eq!(done["verifyMeasure"]["measure"]["status"], "CLOSED");
}

/// The conditions a GATE_NOT_MET error lists, by field.
fn unmet_fields(body: &Value) -> Vec<String> {
    body["errors"][0]["extensions"]["unmet"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|u| u["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

async fn submitting_needs_full_progress_and_evidence_and_says_what_is_missing(app: TestApp) {
    let f = app.fixture().await;
    let id = started_measure(&app, &f, "G-001").await;
    let head = app.head_seq().await;
    let body = app.post(SUBMIT, json!({"i": {"id": id, "expectedVersion": 2}})).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "GATE_NOT_MET", "{body}");
    assert_eq!(unmet_fields(&body), ["progressPercent", "evidence"], "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("progress is 0%") && message.contains("evidence"),
        "{message}"
    );
    assert_eq!(app.head_seq().await, head, "a refused submission writes nothing");
    // At 100 % the evidence is still missing, and only that is named.
    app.ok(
        PROGRESS,
        json!({"i": {"id": id, "expectedVersion": 2, "percent": 100, "text": "完成"}}),
    )
    .await;
    let body = app.post(SUBMIT, json!({"i": {"id": id, "expectedVersion": 3}})).await;
    assert_eq!(unmet_fields(&body), ["evidence"], "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "evidence");
}

async fn verifying_checks_the_gate_again(app: TestApp) {
    let f = app.fixture().await;
    let supervisor = app.account("ducha", "督查组", Some(("SUPERVISOR", None)), None).await;
    let id = started_measure(&app, &f, "G-002").await;
    let v = submitted(&app, &id).await;
    // The only file is withdrawn after submission: nothing proves the work any more.
    let evidence = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Measure { evidence { id version } } } }",
            json!({"id": id}),
        )
        .await["node"]["evidence"][0]
        .clone();
    app.ok(
        "mutation($i: WithdrawEvidenceInput!) { withdrawEvidence(input: $i) { evidence { withdrawn } } }",
        json!({"i": {"id": evidence["id"], "expectedVersion": evidence["version"], "reason": "传错了文件"}}),
    )
    .await;
    let head = app.head_seq().await;
    let (_, body) = app.post_as(&supervisor, VERIFY, pass(&id, v)).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "GATE_NOT_MET", "{body}");
    assert_eq!(unmet_fields(&body), ["evidence"], "{body}");
    assert_eq!(app.head_seq().await, head);
    // Sending it back is still possible.
    let rejected = app
        .ok_as(
            &supervisor,
            VERIFY,
            json!({"i": {"id": id, "expectedVersion": v, "result": "REJECT", "reason": "佐证材料已撤回"}}),
        )
        .await;
    assert_eq!(rejected["verifyMeasure"]["measure"]["status"], "IN_PROGRESS");
}

async fn a_campaign_may_waive_evidence_for_problems_rectified_at_once(app: TestApp) {
    let f = app.fixture().await;
    app.ok(
        "mutation($i: UpdateCampaignInput!) { updateCampaign(input: $i) { campaign { evidenceOptionalForImmediate } } }",
        json!({"i": {"id": f.campaign, "expectedVersion": 1, "evidenceOptionalForImmediate": true}}),
    )
    .await;
    let immediate = app
        .ok(
            "mutation($i: CreateProblemInput!) { createProblem(input: $i) { problem { id } } }",
            json!({"i": {"campaignId": f.campaign, "code": "L-001", "title": "窗口服务态度差", "category": "作风建设",
                "source": "FORUM", "foundOn": "2026-05-10", "responsibilityLevel": "MEMBER", "severity": "LOW",
                "rectificationKind": "IMMEDIATE", "leadUnitId": f.water}}),
        )
        .await["createProblem"]["problem"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let later = app.create_problem(&f, "L-002", &f.water, "LOW").await;
    // The owners cannot waive their own evidence by making a problem IMMEDIATE; a supervisor can.
    let liaison = app
        .account("slj", "县水利局联络员", Some(("EDITOR", Some(&f.water))), None)
        .await;
    let to_immediate = json!({"i": {"id": later, "expectedVersion": 1, "rectificationKind": "IMMEDIATE"}});
    let update = "mutation($i: UpdateProblemInput!) { updateProblem(input: $i) { problem { rectificationKind } } }";
    let head = app.head_seq().await;
    let err = app.err_as(&liaison, update, to_immediate.clone()).await;
    assert_eq!(err.code, "FORBIDDEN", "{err:?}");
    assert!(err.message.contains("SUPERVISOR"), "{}", err.message);
    assert_eq!(app.head_seq().await, head);
    let supervisor = app.account("ducha", "督查组", Some(("SUPERVISOR", None)), None).await;
    let changed = app.ok_as(&supervisor, update, to_immediate).await;
    assert_eq!(changed["updateProblem"]["problem"]["rectificationKind"], "IMMEDIATE");
    let undo = json!({"i": {"id": later, "expectedVersion": 2, "rectificationKind": "WITHIN_DEADLINE"}});
    app.ok_as(&liaison, update, undo).await;
    for (problem, expected) in [(immediate, None), (later, Some("evidence"))] {
        let m = app.create_measure(&f, &problem, &f.water, &[], "2026-12-31").await;
        let id = m["id"].as_str().unwrap();
        app.ok(
            PROGRESS,
            json!({"i": {"id": id, "expectedVersion": 1, "percent": 100, "text": "当场整改完毕"}}),
        )
        .await;
        let body = app.post(SUBMIT, json!({"i": {"id": id, "expectedVersion": 2}})).await;
        match expected {
            None => assert_eq!(
                body["data"]["submitMeasure"]["measure"]["status"], "SUBMITTED",
                "{body}"
            ),
            Some(field) => assert_eq!(unmet_fields(&body), [field], "{body}"),
        }
    }
}

async fn a_measure_names_its_leader_person_and_criteria(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "W-001", &f.water, "HIGH").await;
    let head = app.head_seq().await;
    let err = app
        .err(
            CREATE_MEASURE,
            json!({"i": {"problemId": problem, "title": "完成饮水工程维修", "leadUnitId": f.water, "deadline": "2026-12-31"}}),
        )
        .await;
    assert_eq!(err.code, "BAD_USER_INPUT");
    assert_eq!(err.field.as_deref(), Some("responsibleLeaderId"));
    assert!(
        err.message.contains("responsiblePersonId") && err.message.contains("acceptanceCriteria"),
        "every missing part is named: {}",
        err.message
    );
    let err = app
        .err(
            CREATE_MEASURE,
            json!({"i": {"problemId": problem, "title": "完成饮水工程维修", "leadUnitId": f.water, "deadline": "2026-12-31",
                "responsibleLeaderId": f.leader, "responsiblePersonId": f.person, "acceptanceCriteria": "  "}}),
        )
        .await;
    assert_eq!(err.field.as_deref(), Some("acceptanceCriteria"));
    assert_eq!(app.head_seq().await, head, "a refused measure writes nothing");
    // Once named, they can change but not go.
    let m = app.create_measure(&f, &problem, &f.water, &[], "2026-12-31").await;
    let id = m["id"].as_str().unwrap();
    for (field, value) in [
        ("responsibleLeaderId", Value::Null),
        ("responsiblePersonId", Value::Null),
        ("acceptanceCriteria", Value::Null),
    ] {
        let mut input = json!({"id": id, "expectedVersion": 1});
        input[field] = value;
        let err = app
            .err(
                "mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { version } } }",
                json!({"i": input}),
            )
            .await;
        assert_eq!(err.field.as_deref(), Some(field), "{err:?}");
    }
    assert_eq!(version(&app, id).await, 1);
}

async fn a_relapse_gets_a_new_deadline_and_counts_against_the_unit(app: TestApp) {
    let f = app.fixture().await;
    let supervisor = app.account("ducha", "督查组", Some(("SUPERVISOR", None)), None).await;
    // Due 2026-06-20, ten days before the test's today; closed (late) today.
    let problem = app.create_problem(&f, "R-001", &f.water, "HIGH").await;
    let m = app.create_measure(&f, &problem, &f.water, &[], "2026-06-20").await;
    let id = m["id"].as_str().unwrap().to_owned();
    crate::helpers::start_and_close_out(&app, &supervisor, &id).await;
    let v = version(&app, &id).await;
    let reopen = "mutation($i: ReopenMeasureInput!) { reopenMeasure(input: $i) { measure { status deadline originalDeadline overdue relapseCount lastRelapseOn } } }";
    let head = app.head_seq().await;
    let err = app
        .err_as(
            &supervisor,
            reopen,
            json!({"i": {"id": id, "expectedVersion": v, "reason": "回头看发现群众反映问题反弹", "newDeadline": "2026-06-29"}}),
        )
        .await;
    assert_eq!(
        (err.code.as_str(), err.field.as_deref()),
        ("BAD_USER_INPUT", Some("newDeadline")),
        "{err:?}"
    );
    assert_eq!(app.head_seq().await, head, "a refused reopen writes nothing");
    let reopened = app
        .ok_as(
            &supervisor,
            reopen,
            json!({"i": {"id": id, "expectedVersion": v, "reason": "回头看发现群众反映问题反弹", "newDeadline": "2026-08-31"}}),
        )
        .await["reopenMeasure"]["measure"]
        .clone();
    assert_eq!(
        reopened,
        json!({"status": "IN_PROGRESS", "deadline": "2026-08-31", "originalDeadline": "2026-06-20",
               "overdue": false, "relapseCount": 1, "lastRelapseOn": crate::helpers::TODAY}),
        "a reopened measure is not overdue at once, and its relapse is recorded"
    );
    let figures = app
        .ok(
            "query($c: ID!) { ledgerStats(filter: {campaignId: $c}) { relapsed total }                plain: unitRanking(campaignId: $c, weights: {relapsePenalty: 0}) { rows { score relapsed } }                ranked: unitRanking(campaignId: $c) { rows { score relapsed } } }",
            json!({"c": f.campaign}),
        )
        .await;
    assert_eq!(figures["ledgerStats"], json!({"relapsed": 1, "total": 1}));
    // The proof that was proved wrong does not close it again: new evidence is needed.
    let v = version(&app, &id).await;
    let body = app.post(SUBMIT, json!({"i": {"id": id, "expectedVersion": v}})).await;
    assert_eq!(unmet_fields(&body), ["evidence"], "{body}");
    crate::helpers::attach_report(&app, &app.root_token(), &id).await;
    let resubmitted = app.ok(SUBMIT, json!({"i": {"id": id, "expectedVersion": v}})).await;
    assert_eq!(resubmitted["submitMeasure"]["measure"]["status"], "SUBMITTED");
    let plain = &figures["plain"]["rows"][0];
    let ranked = &figures["ranked"]["rows"][0];
    assert_eq!(ranked["relapsed"], 1);
    let deducted = plain["score"].as_f64().unwrap() - ranked["score"].as_f64().unwrap();
    assert!((deducted - 3.0).abs() < 1e-9, "3 points off by default: {figures}");
}

async fn a_look_back_is_recorded_without_a_reopen(app: TestApp) {
    let f = app.fixture().await;
    let supervisor = app
        .account("ducha", "县委督查组", Some(("SUPERVISOR", None)), None)
        .await;
    let problem = app.create_problem(&f, "H-001", &f.water, "HIGH").await;
    let open = app.create_measure(&f, &problem, &f.water, &[], "2026-12-31").await;
    let closed = app.create_measure(&f, &problem, &f.water, &[], "2026-12-31").await;
    let closed_id = closed["id"].as_str().unwrap().to_owned();
    crate::helpers::start_and_close_out(&app, &supervisor, &closed_id).await;
    let record = "mutation($i: RecordLookBackInput!) { recordLookBack(input: $i) { lookBack { measureId lookedOn foundInOrder note reviewerName } } }";
    let head = app.head_seq().await;
    let err = app
        .err_as(
            &supervisor,
            record,
            json!({"i": {"measureId": open["id"], "foundInOrder": true}}),
        )
        .await;
    assert_eq!(
        (err.code.as_str(), err.field.as_deref()),
        ("BAD_USER_INPUT", Some("measureId"))
    );
    assert!(err.message.contains("PENDING"), "{}", err.message);
    assert_eq!(app.head_seq().await, head, "a refused look-back writes nothing");
    let v = version(&app, &closed_id).await;
    let done = app
        .ok_as(
            &supervisor,
            record,
            json!({"i": {"measureId": closed_id, "foundInOrder": true, "note": "实地回访，整改成果巩固"}}),
        )
        .await;
    assert_eq!(
        done["recordLookBack"]["lookBack"],
        json!({"measureId": closed_id, "lookedOn": crate::helpers::TODAY, "foundInOrder": true,
               "note": "实地回访，整改成果巩固", "reviewerName": "县委督查组"})
    );
    assert_eq!(app.head_seq().await, head + 1, "one event for the record");
    let measure = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Measure { status version relapseCount lookBacks { foundInOrder reviewerName } } } }",
            json!({"id": closed_id}),
        )
        .await;
    assert_eq!(
        measure["node"],
        json!({"status": "CLOSED", "version": v, "relapseCount": 0,
               "lookBacks": [{"foundInOrder": true, "reviewerName": "县委督查组"}]}),
        "the measure itself is unchanged"
    );
}

async fn the_bulletin_marks_relapses(app: TestApp) {
    let f = app.fixture().await;
    let supervisor = app
        .account("ducha", "县委督查组", Some(("SUPERVISOR", None)), None)
        .await;
    let problem = app.create_problem(&f, "R-002", &f.water, "HIGH").await;
    let m = app.create_measure(&f, &problem, &f.water, &[], "2026-06-20").await;
    let id = m["id"].as_str().unwrap().to_owned();
    crate::helpers::start_and_close_out(&app, &supervisor, &id).await;
    let v = version(&app, &id).await;
    app.ok_as(
        &supervisor,
        "mutation($i: ReopenMeasureInput!) { reopenMeasure(input: $i) { measure { version } } }",
        json!({"i": {"id": id, "expectedVersion": v, "reason": "回头看发现管网又出现渗漏", "newDeadline": "2026-07-01"}}),
    )
    .await;
    // Three days later the relapsed measure is overdue again (and yesterday's tokens expired).
    app.clock.advance(chrono::Duration::days(3));
    let on_duty = app
        .account("ducha2", "县委督查组（值班）", Some(("SUPERVISOR", None)), None)
        .await;
    let md = app
        .ok_as(
            &on_duty,
            "mutation($i: GenerateBulletinInput!) { generateBulletin(input: $i) { bulletin { markdown } } }",
            json!({"i": {"campaignId": f.campaign, "period": {"from": "2026-07-01", "to": "2026-07-15"}}}),
        )
        .await["generateBulletin"]["bulletin"]["markdown"]
        .as_str()
        .unwrap()
        .to_owned();
    for expected in ["完成饮水工程维修（反弹）", "反弹1项"] {
        assert!(md.contains(expected), "missing {expected:?} in\n{md}");
    }
}

on_both_engines!(
    the_bulletin_marks_relapses,
    a_look_back_is_recorded_without_a_reopen,
    a_relapse_gets_a_new_deadline_and_counts_against_the_unit,
    the_owners_own_leadership_cannot_close_out_their_measure,
    the_county_inspection_group_verifies_when_the_campaign_requires_it,
    submitting_needs_full_progress_and_evidence_and_says_what_is_missing,
    verifying_checks_the_gate_again,
    a_campaign_may_waive_evidence_for_problems_rectified_at_once,
    a_measure_names_its_leader_person_and_criteria,
);
