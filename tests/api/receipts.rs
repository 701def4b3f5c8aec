//! 签收 and 催办: each unit a measure assigns, and the unit a supervision action is addressed
//! to, acknowledges its assignment within the campaign's working days; late ones are listed,
//! counted in the ranking and named in the bulletin; a supervisor urges what is still owed.
//! Every refusal writes nothing.

use serde_json::{json, Value};

use crate::helpers::{version, Fixture, TestApp};
use crate::on_both_engines;

const RECEIPTS: &str = "query($id: ID!) { node(id: $id) { ... on Measure { receipts { id version role unit { shortCode } dueOn acknowledgedAt acknowledgerName note withdrawnAt late } urgings { note respondBy urgerName } } } }";
const ACKNOWLEDGE: &str = "mutation($i: AcknowledgeAssignmentInput!) { acknowledgeAssignment(input: $i) { receipt { id version acknowledgedAt acknowledgerName note late } } }";
const LATE: &str = "query($c: ID!, $on: Date, $u: ID) { lateAcknowledgements(campaignId: $c, on: $on, unitId: $u) { on withinDays totalCount stillUnacknowledged byUnit { unit { shortCode } late } items { role unit { shortCode } dueOn acknowledgedAt } } }";
const URGE: &str =
    "mutation($i: UrgeInput!) { urge(input: $i) { urging { id note respondBy urgerName unit { shortCode } } } }";
const ISSUE: &str = "mutation($i: IssueSupervisionInput!) { issueSupervision(input: $i) { supervisionAction { id receipt { id dueOn } } } }";
const ACTION: &str = "query($id: ID!) { node(id: $id) { ... on SupervisionAction { responseDue urgings { note respondBy } history { edges { node { action reason } } } } } }";
const RANKING: &str = "query($c: ID!) { unitRanking(campaignId: $c, bottom: 0) { rows { unit { shortCode } lateAcknowledgements computedScore } } }";
const GENERATE: &str =
    "mutation($i: GenerateBulletinInput!) { generateBulletin(input: $i) { bulletin { markdown publicMarkdown } } }";
const UPDATE_CAMPAIGN: &str =
    "mutation($i: UpdateCampaignInput!) { updateCampaign(input: $i) { campaign { version acknowledgeWithinDays } } }";

/// Gives the fixture's campaign a 签收 limit of three working days.
async fn within_three_days(app: &TestApp, f: &Fixture) {
    let done = app
        .ok(
            UPDATE_CAMPAIGN,
            json!({"i": {"id": f.campaign, "expectedVersion": 1, "acknowledgeWithinDays": 3}}),
        )
        .await;
    assert_eq!(done["updateCampaign"]["campaign"]["acknowledgeWithinDays"], 3);
}

async fn receipts(app: &TestApp, measure: &str) -> Vec<Value> {
    app.ok(RECEIPTS, json!({"id": measure})).await["node"]["receipts"]
        .as_array()
        .unwrap()
        .clone()
}

fn of<'a>(receipts: &'a [Value], role: &str, unit: &str) -> &'a Value {
    receipts
        .iter()
        .find(|r| r["role"] == role && r["unit"]["shortCode"] == unit)
        .unwrap_or_else(|| panic!("no {role} receipt of {unit} in {receipts:?}"))
}

fn sign(receipt: &Value) -> Value {
    json!({"i": {"id": receipt["id"], "expectedVersion": receipt["version"], "note": "已签收，由分管副局长负责"}})
}

fn id_of(measure: Value) -> String {
    measure["id"].as_str().unwrap().to_owned()
}

/// The fixture's campaign with a 签收 limit of three working days, and a measure of a problem
/// of 县水利局 that it leads, 县教育局 co-operating when asked.
async fn a_measure_of_the_water_department(app: &TestApp, with_education: bool) -> (Fixture, String) {
    let f = app.fixture().await;
    within_three_days(app, &f).await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let coop: &[&str] = if with_education { &[&f.education] } else { &[] };
    let measure = id_of(app.create_measure(&f, &problem, &f.water, coop, "2026-09-30").await);
    (f, measure)
}

async fn each_assigned_unit_signs_for_its_own_assignment_once(app: TestApp) {
    let (f, measure) = a_measure_of_the_water_department(&app, true).await;
    let all = receipts(&app, &measure).await;
    assert_eq!(all.len(), 2, "{all:?}");
    // Created on Tuesday 30 June: due three working days later, on Friday 3 July.
    let lead = of(&all, "LEAD", "QS-SLJ").clone();
    let coop = of(&all, "COOPERATING", "QS-JYJ").clone();
    assert_eq!(
        (lead["dueOn"].as_str(), lead["late"].as_bool()),
        (Some("2026-07-03"), Some(false))
    );
    assert!(coop["acknowledgedAt"].is_null());

    // Only the unit itself (EDITOR on it) signs; a reader or another unit is refused.
    let water = app
        .account("slj", "县水利局联络员", Some(("EDITOR", Some(&f.water))), None)
        .await;
    let education_viewer = app
        .account("jyj-view", "县教育局", Some(("VIEWER", Some(&f.education))), None)
        .await;
    // The console offers 签收 where the reader may give it.
    let offered = app
        .ok_as(
            &water,
            "query($id: ID!) { node(id: $id) { ... on Measure { receipts { role viewerCanAcknowledge } } } }",
            json!({"id": measure}),
        )
        .await;
    assert_eq!(
        offered["node"]["receipts"],
        json!([{"role": "LEAD", "viewerCanAcknowledge": true}, {"role": "COOPERATING", "viewerCanAcknowledge": false}])
    );
    let before = app.head_seq().await;
    let refused = app.err_as(&water, ACKNOWLEDGE, sign(&coop)).await;
    assert_eq!(refused.code, "FORBIDDEN", "{refused:?}");
    let refused = app.err_as(&education_viewer, ACKNOWLEDGE, sign(&coop)).await;
    assert_eq!(refused.code, "FORBIDDEN", "{refused:?}");
    assert_eq!(app.head_seq().await, before, "a refusal writes nothing");

    let signed = app.ok_as(&water, ACKNOWLEDGE, sign(&lead)).await["acknowledgeAssignment"]["receipt"].clone();
    assert_eq!(
        (
            signed["acknowledgerName"].as_str(),
            signed["note"].as_str(),
            signed["late"].as_bool()
        ),
        (Some("县水利局联络员"), Some("已签收，由分管副局长负责"), Some(false))
    );
    assert_eq!(app.head_seq().await, before + 1, "one audited event");
    let events = app
        .ok(
            "{ auditEvents(filter: {entityType: \"Receipt\", action: \"receipt.acknowledge\"}) { edges { node { entityId actor { displayName } } } } }",
            json!({}),
        )
        .await;
    let edges = events["auditEvents"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 1);
    assert_eq!(edges[0]["node"]["entityId"], lead["id"]);
    assert_eq!(edges[0]["node"]["actor"]["displayName"], "县水利局联络员");

    // Once only.
    let again = app
        .err_as(
            &water,
            ACKNOWLEDGE,
            json!({"i": {"id": lead["id"], "expectedVersion": 2}}),
        )
        .await;
    assert_eq!(
        (again.code.as_str(), again.field.as_deref()),
        ("BAD_USER_INPUT", Some("id"))
    );

    // 县教育局 is taken off and 农村水利股 put on: one receipt withdrawn, one made.
    let v = version(&app, &measure).await;
    app.ok(
        "mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { id } } }",
        json!({"i": {"id": measure, "expectedVersion": v, "cooperatingUnitIds": [f.water_division]}}),
    )
    .await;
    let all = receipts(&app, &measure).await;
    assert_eq!(all.len(), 3, "{all:?}");
    assert!(!of(&all, "COOPERATING", "QS-JYJ")["withdrawnAt"].is_null());
    assert!(of(&all, "COOPERATING", "QS-SLJ-NS")["withdrawnAt"].is_null());
    assert!(
        !of(&all, "LEAD", "QS-SLJ")["acknowledgedAt"].is_null(),
        "the lead's 签收 stands"
    );
    let before = app.head_seq().await;
    let withdrawn = app.err(ACKNOWLEDGE, sign(of(&all, "COOPERATING", "QS-JYJ"))).await;
    assert_eq!(
        (withdrawn.code.as_str(), withdrawn.field.as_deref()),
        ("BAD_USER_INPUT", Some("id")),
        "{withdrawn:?}"
    );
    let unknown = app
        .err(
            ACKNOWLEDGE,
            json!({"i": {"id": uuid::Uuid::now_v7(), "expectedVersion": 1}}),
        )
        .await;
    assert_eq!(unknown.code, "NOT_FOUND");
    let long_note = json!({"i": {"id": of(&all, "COOPERATING", "QS-SLJ-NS")["id"], "expectedVersion": 1, "note": "长".repeat(6000)}});
    let long = app.err(ACKNOWLEDGE, long_note).await;
    assert_eq!(
        (long.code.as_str(), long.field.as_deref()),
        ("BAD_USER_INPUT", Some("note"))
    );
    assert_eq!(app.head_seq().await, before, "refusals write nothing");

    // The campaign's limit is 1 to 30 working days.
    for days in [0, 31] {
        let err = app
            .err(
                UPDATE_CAMPAIGN,
                json!({"i": {"id": f.campaign, "expectedVersion": 2, "acknowledgeWithinDays": days}}),
            )
            .await;
        assert_eq!(
            (err.code.as_str(), err.field.as_deref()),
            ("BAD_USER_INPUT", Some("acknowledgeWithinDays")),
            "{days}: {err:?}"
        );
    }
    assert_eq!(app.head_seq().await, before);
}

async fn late_acknowledgements_are_listed_counted_in_the_ranking_and_named_in_the_bulletin(app: TestApp) {
    let f = app.fixture().await;
    within_three_days(&app, &f).await;
    let problem = app.create_problem(&f, "A-001", &f.county, "HIGH").await;
    let shared = id_of(
        app.create_measure(&f, &problem, &f.water, &[&f.education], "2026-09-30")
            .await,
    );
    app.create_measure(&f, &problem, &f.education, &[], "2026-09-30").await;
    // 县水利局 signs at once; 县教育局 signs for nothing.
    let lead = of(&receipts(&app, &shared).await, "LEAD", "QS-SLJ").clone();
    app.ok(ACKNOWLEDGE, sign(&lead)).await;

    let late = |data: &Value| data["lateAcknowledgements"].clone();
    // On the due day nothing is late yet.
    app.clock.advance(chrono::Duration::days(3)); // Friday 3 July
    let on_due_day = late(&app.ok(LATE, json!({"c": f.campaign})).await);
    assert_eq!(
        (on_due_day["totalCount"].as_i64(), on_due_day["withinDays"].as_i64()),
        (Some(0), Some(3))
    );
    // The next working day both of 县教育局's are.
    app.clock.advance(chrono::Duration::days(3)); // Monday 6 July
    let listed = late(&app.ok(LATE, json!({"c": f.campaign})).await);
    assert_eq!(listed["on"], "2026-07-06");
    assert_eq!(
        (listed["totalCount"].as_i64(), listed["stillUnacknowledged"].as_i64()),
        (Some(2), Some(2))
    );
    assert_eq!(listed["byUnit"], json!([{"unit": {"shortCode": "QS-JYJ"}, "late": 2}]));
    let roles: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles.len(), 2);
    assert!(roles.contains(&"LEAD") && roles.contains(&"COOPERATING"), "{roles:?}");
    // As of a past day, of one unit, and for each reader's scope.
    let past = late(&app.ok(LATE, json!({"c": f.campaign, "on": "2026-07-03"})).await);
    assert_eq!(past["totalCount"], 0);
    let of_water = late(&app.ok(LATE, json!({"c": f.campaign, "u": f.water})).await);
    assert_eq!(of_water["totalCount"], 0);
    let water_viewer = app
        .account("slj-view", "县水利局", Some(("VIEWER", Some(&f.water))), None)
        .await;
    let education = app
        .account("jyj", "县教育局联络员", Some(("EDITOR", Some(&f.education))), None)
        .await;
    assert_eq!(
        late(&app.ok_as(&water_viewer, LATE, json!({"c": f.campaign})).await)["totalCount"],
        0
    );
    assert_eq!(
        late(&app.ok_as(&education, LATE, json!({"c": f.campaign})).await)["totalCount"],
        2
    );
    let anonymous = app.err_anonymous(LATE, json!({"c": f.campaign})).await;
    assert_eq!(anonymous.code, "UNAUTHENTICATED");
    let future = app.err(LATE, json!({"c": f.campaign, "on": "2026-07-07"})).await;
    assert_eq!(
        (future.code.as_str(), future.field.as_deref()),
        ("BAD_USER_INPUT", Some("on"))
    );

    // Signing late still counts as late, but is no longer outstanding.
    let coop = of(&receipts(&app, &shared).await, "COOPERATING", "QS-JYJ").clone();
    let signed = app.ok_as(&education, ACKNOWLEDGE, sign(&coop)).await;
    assert_eq!(signed["acknowledgeAssignment"]["receipt"]["late"], true);
    let listed = late(&app.ok(LATE, json!({"c": f.campaign})).await);
    assert_eq!(
        (listed["totalCount"].as_i64(), listed["stillUnacknowledged"].as_i64()),
        (Some(2), Some(1))
    );

    // The ranking counts them against 县教育局: one point each by default.
    let rows = |data: Value| data["unitRanking"]["rows"].as_array().unwrap().clone();
    let line = |rows: &[Value], code: &str| rows.iter().find(|r| r["unit"]["shortCode"] == code).unwrap().clone();
    let ranked = rows(app.ok(RANKING, json!({"c": f.campaign})).await);
    assert_eq!(line(&ranked, "QS-JYJ")["lateAcknowledgements"], 2);
    assert_eq!(line(&ranked, "QS-SLJ")["lateAcknowledgements"], 0);
    let penalised = line(&ranked, "QS-JYJ")["computedScore"].as_f64().unwrap();
    let v = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Campaign { version } } }",
            json!({"id": f.campaign}),
        )
        .await["node"]["version"]
        .clone();
    app.ok(
        "mutation($i: SetRankingWeightsInput!) { setRankingWeights(input: $i) { campaign { id } } }",
        json!({"i": {"campaignId": f.campaign, "expectedVersion": v, "weights": {"lateAcknowledgementPenalty": 0}}}),
    )
    .await;
    let unweighted = rows(app.ok(RANKING, json!({"c": f.campaign})).await);
    assert_eq!(
        line(&unweighted, "QS-JYJ")["computedScore"].as_f64().unwrap() - penalised,
        2.0
    );

    // The bulletin of 1–15 July names the unit, in both editions.
    let input = json!({"campaignId": f.campaign, "period": {"from": "2026-07-01", "to": "2026-07-15"}});
    let b = app.ok(GENERATE, json!({"i": input})).await["generateBulletin"]["bulletin"].clone();
    let line = "签收情况：通报期间交办的整改任务和督办事项中，1个单位共2项未在规定时限内签收：县教育局2项。";
    assert!(b["markdown"].as_str().unwrap().contains(line), "{}", b["markdown"]);
    assert!(b["publicMarkdown"].as_str().unwrap().contains(line));
    assert!(b["markdown"].as_str().unwrap().contains("未按时签收2项"));
}

async fn a_supervisor_urges_what_is_still_owed_and_nothing_else(app: TestApp) {
    let (f, measure) = a_measure_of_the_water_department(&app, false).await;
    let issued = app
        .ok(
            ISSUE,
            json!({"i": {"kind": "NOTICE", "targetUnitId": f.water, "measureId": measure, "content": "限期完成饮水工程维修", "responseDue": "2026-07-03"}}),
        )
        .await;
    let action = issued["issueSupervision"]["supervisionAction"].clone();
    assert_eq!(action["receipt"]["dueOn"], "2026-07-03");
    let ducha = app
        .account("ducha", "县督查组", Some(("SUPERVISOR", Some(&f.county))), None)
        .await;
    let liaison = app
        .account("slj", "县水利局联络员", Some(("EDITOR", Some(&f.water))), None)
        .await;
    let urge = |target: Value| {
        let mut i = json!({"note": "请于7月10日前签收并书面报告整改进展", "respondBy": "2026-07-10"});
        for (k, v) in target.as_object().unwrap() {
            i[k] = v.clone();
        }
        json!({"i": i})
    };

    // Refusals: the target is exactly one, the note is given, the date is not past, the urger supervises.
    let before = app.head_seq().await;
    let two = urge(json!({"measureId": measure, "supervisionActionId": action["id"]}));
    let mut blank = urge(json!({"measureId": measure}));
    blank["i"]["note"] = json!("  ");
    let mut past = urge(json!({"measureId": measure}));
    past["i"]["respondBy"] = json!("2026-06-29");
    for (input, field) in [
        (urge(json!({})), "receiptId"),
        (two, "receiptId"),
        (blank, "note"),
        (past, "respondBy"),
    ] {
        let err = app.err_as(&ducha, URGE, input.clone()).await;
        assert_eq!(
            (err.code.as_str(), err.field.as_deref()),
            ("BAD_USER_INPUT", Some(field)),
            "{input}: {err:?}"
        );
    }
    let unknown = app
        .err_as(&ducha, URGE, urge(json!({"measureId": uuid::Uuid::now_v7()})))
        .await;
    assert_eq!(unknown.code, "NOT_FOUND");
    let not_a_supervisor = app.err_as(&liaison, URGE, urge(json!({"measureId": measure}))).await;
    assert_eq!(not_a_supervisor.code, "FORBIDDEN");
    assert_eq!(app.head_seq().await, before, "refusals write nothing");

    // Urging the action presses the unit addressed with the new time; the action itself, and
    // so its answer date and what a report as of an instant says of it, is unchanged.
    let urged = app
        .ok_as(&ducha, URGE, urge(json!({"supervisionActionId": action["id"]})))
        .await;
    assert_eq!(
        urged["urge"]["urging"]["unit"]["shortCode"], "QS-SLJ",
        "the unit addressed is pressed"
    );
    assert_eq!(app.head_seq().await, before + 1, "one audited urging");
    let seen = app.ok(ACTION, json!({"id": action["id"]})).await["node"].clone();
    assert_eq!(seen["responseDue"], "2026-07-03");
    assert_eq!(
        seen["urgings"],
        json!([{"note": "请于7月10日前签收并书面报告整改进展", "respondBy": "2026-07-10"}])
    );
    assert_eq!(
        seen["history"]["edges"][0]["node"]["action"], "supervision.issue",
        "the action was not changed"
    );

    // Urging a measure presses its lead unit and leaves its deadline alone.
    app.ok_as(&ducha, URGE, urge(json!({"measureId": measure}))).await;
    let m = app.ok(RECEIPTS, json!({"id": measure})).await["node"].clone();
    assert_eq!(m["urgings"][0]["urgerName"], "县督查组");
    // A receipt is urged while it is owed, not after it was signed.
    let lead = of(m["receipts"].as_array().unwrap(), "LEAD", "QS-SLJ").clone();
    app.ok_as(&ducha, URGE, urge(json!({"receiptId": lead["id"]}))).await;
    app.ok_as(&liaison, ACKNOWLEDGE, sign(&lead)).await;
    let signed = app.err_as(&ducha, URGE, urge(json!({"receiptId": lead["id"]}))).await;
    assert_eq!(
        (signed.code.as_str(), signed.field.as_deref()),
        ("BAD_USER_INPUT", Some("receiptId"))
    );

    // Nor is a measure once submitted for verification; and whether something is still owed
    // is told only to who may urge (rights come first).
    crate::helpers::complete(&app, &measure).await;
    let v = version(&app, &measure).await;
    crate::helpers::step(
        &app,
        None,
        "submitMeasure",
        "MeasureTransitionInput",
        json!({"id": measure, "expectedVersion": v}),
    )
    .await;
    let submitted = app.err_as(&ducha, URGE, urge(json!({"measureId": measure}))).await;
    assert_eq!(
        (submitted.code.as_str(), submitted.field.as_deref()),
        ("BAD_USER_INPUT", Some("measureId"))
    );
    let outsider = app.err_as(&liaison, URGE, urge(json!({"measureId": measure}))).await;
    assert_eq!(outsider.code, "FORBIDDEN", "{outsider:?}");

    // An answered action is not urged.
    let receipt = json!({"id": action["receipt"]["id"], "version": 1});
    app.ok_as(&liaison, ACKNOWLEDGE, sign(&receipt)).await;
    app.ok_as(
        &liaison,
        "mutation($i: RespondToSupervisionInput!) { respondToSupervision(input: $i) { supervisionAction { id } } }",
        json!({"i": {"id": action["id"], "response": "已完成维修"}}),
    )
    .await;
    let before = app.head_seq().await;
    let answered = app
        .err_as(&ducha, URGE, urge(json!({"supervisionActionId": action["id"]})))
        .await;
    assert_eq!(
        (answered.code.as_str(), answered.field.as_deref()),
        ("BAD_USER_INPUT", Some("supervisionActionId"))
    );
    assert_eq!(app.head_seq().await, before);
}

async fn a_cancelled_measure_owes_no_acknowledgement(app: TestApp) {
    let (f, measure) = a_measure_of_the_water_department(&app, true).await;
    crate::helpers::step(
        &app,
        None,
        "cancelMeasure",
        "MeasureReasonInput",
        json!({"id": measure, "expectedVersion": 1, "reason": "与其他措施重复"}),
    )
    .await;
    let all = receipts(&app, &measure).await;
    assert!(all.iter().all(|r| !r["withdrawnAt"].is_null()), "{all:?}");
    app.clock.advance(chrono::Duration::days(7));
    let late = app.ok(LATE, json!({"c": f.campaign})).await;
    assert_eq!(late["lateAcknowledgements"]["totalCount"], 0, "{late}");
    let refused = app.err(ACKNOWLEDGE, sign(&all[0])).await;
    assert_eq!(
        (refused.code.as_str(), refused.field.as_deref()),
        ("BAD_USER_INPUT", Some("id"))
    );
}

on_both_engines!(
    each_assigned_unit_signs_for_its_own_assignment_once,
    late_acknowledgements_are_listed_counted_in_the_ranking_and_named_in_the_bulletin,
    a_supervisor_urges_what_is_still_owed_and_nothing_else,
    a_cancelled_measure_owes_no_acknowledgement
);
