//! 督查 (明察暗访): an inspection group's visit is recorded with its team and the units visited;
//! a finding becomes a problem of the campaign (source UNANNOUNCED_VISIT for 暗访) in the same
//! change that files it under the inspection; the visited units' readers see the inspection,
//! others do not; every refusal writes nothing.

use serde_json::{json, Value};

use crate::helpers::{Fixture, TestApp};
use crate::on_both_engines;

const RECORD: &str = "mutation($i: RecordInspectionInput!) { recordInspection(input: $i) { inspection { id version mode title groupUnit { name } members { name } visitedUnits { shortCode } findings { code } } } }";
const FINDING: &str = "mutation($i: RecordInspectionFindingInput!) { recordInspectionFinding(input: $i) { problem { id code source sourceDetail leadUnit { shortCode } } inspection { findings { code source } } } }";
const LIST: &str = "query($f: InspectionFilter) { inspections(filter: $f) { totalCount nodes { title mode } } }";

/// 县委督查组 (an INSPECTION_GROUP) with two inspectors.
async fn group(app: &TestApp, f: &Fixture) -> (String, Vec<String>) {
    let unit = app
        .create_unit("县委督查组", "QS-DCZ", "INSPECTION_GROUP", Some(&f.county))
        .await;
    let members = vec![
        app.create_person("郑国栋", &unit).await,
        app.create_person("吴晓明", &unit).await,
    ];
    (unit, members)
}

fn visit(f: &Fixture, group: &str, members: &[String]) -> Value {
    json!({"i": {"campaignId": f.campaign, "groupUnitId": group, "mode": "UNANNOUNCED",
                 "title": "6月下旬作风建设暗访", "plan": "不打招呼、直奔现场，暗访窗口单位服务情况",
                 "startsOn": "2026-06-25", "endsOn": "2026-06-28", "memberIds": members,
                 "visitedUnitIds": [f.water, f.education]}})
}

fn finding(f: &Fixture, inspection: &str, code: &str) -> Value {
    json!({"i": {"inspectionId": inspection, "problem": {
        "campaignId": f.campaign, "code": code, "title": "窗口工作人员上班时间玩手机",
        "description": "暗访发现办事窗口2名工作人员上班时间玩手机，群众排队等候", "category": "机关作风建设",
        "source": "UNANNOUNCED_VISIT", "sourceDetail": "6月26日上午暗访", "foundOn": "2026-06-26",
        "responsibilityLevel": "MEMBER", "severity": "MEDIUM", "rectificationKind": "IMMEDIATE",
        "leadUnitId": f.water_division}}})
}

async fn an_unannounced_visit_files_its_finding_as_a_problem_in_the_same_change(app: TestApp) {
    let f = app.fixture().await;
    let (unit, members) = group(&app, &f).await;
    let ducha = app
        .account("ducha", "县委督查组", Some(("SUPERVISOR", None)), None)
        .await;
    let recorded =
        app.ok_as(&ducha, RECORD, visit(&f, &unit, &members)).await["recordInspection"]["inspection"].clone();
    assert_eq!(
        (recorded["mode"].as_str(), recorded["groupUnit"]["name"].as_str()),
        (Some("UNANNOUNCED"), Some("县委督查组"))
    );
    assert_eq!(recorded["members"], json!([{"name": "郑国栋"}, {"name": "吴晓明"}]));
    assert_eq!(
        recorded["visitedUnits"],
        json!([{"shortCode": "QS-SLJ"}, {"shortCode": "QS-JYJ"}])
    );
    let id = recorded["id"].as_str().unwrap();
    let head = app.head_seq().await;
    let filed = app.ok_as(&ducha, FINDING, finding(&f, id, "DC-001")).await["recordInspectionFinding"].clone();
    assert_eq!(
        (
            filed["problem"]["source"].as_str(),
            filed["problem"]["leadUnit"]["shortCode"].as_str()
        ),
        (Some("UNANNOUNCED_VISIT"), Some("QS-SLJ-NS"))
    );
    assert_eq!(
        filed["inspection"]["findings"],
        json!([{"code": "DC-001", "source": "UNANNOUNCED_VISIT"}])
    );
    assert_eq!(
        app.head_seq().await,
        head + 2,
        "the problem and the link, one event each, one change"
    );
    let history = "query($id: ID!) { node(id: $id) { ... on Inspection { history { edges { node { action } } } } } }";
    let events = app.ok_as(&ducha, history, json!({"id": id})).await;
    let actions: Vec<&str> = events["node"]["history"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["inspection.add_finding", "inspection.record"]);
    // The problem is an ordinary one of the campaign.
    let problems = app
        .ok(
            "query($c: ID!) { problems(filter: {campaignId: $c, source: UNANNOUNCED_VISIT}) { totalCount } }",
            json!({"c": f.campaign}),
        )
        .await;
    assert_eq!(problems["problems"]["totalCount"], 1, "{problems}");
    // A visited unit's reader sees the inspection; a reader of a unit not visited does not.
    let finance = app
        .create_unit("县财政局", "QS-CZJ", "DEPARTMENT", Some(&f.county))
        .await;
    let visited = app
        .account("jyj", "县教育局", Some(("VIEWER", Some(&f.education))), None)
        .await;
    let other = app
        .account("czj", "县财政局", Some(("VIEWER", Some(&finance))), None)
        .await;
    assert_eq!(
        app.ok_as(&visited, LIST, json!({})).await["inspections"]["totalCount"],
        1
    );
    assert_eq!(app.ok_as(&other, LIST, json!({})).await["inspections"]["totalCount"], 0);
    let by_unit = json!({"f": {"visitedUnitId": finance}});
    assert_eq!(app.ok_as(&ducha, LIST, by_unit).await["inspections"]["totalCount"], 0);
    let by_mode = json!({"f": {"mode": "UNANNOUNCED", "campaignId": f.campaign}});
    assert_eq!(app.ok_as(&ducha, LIST, by_mode).await["inspections"]["totalCount"], 1);
    assert_eq!(app.err_anonymous(LIST, json!({})).await.code, "UNAUTHENTICATED");
    let node = "query($id: ID!) { node(id: $id) { ... on Inspection { title } } }";
    assert_eq!(app.ok_as(&other, node, json!({"id": id})).await["node"], Value::Null);
    assert_eq!(
        app.ok_as(&visited, node, json!({"id": id})).await["node"]["title"],
        "6月下旬作风建设暗访"
    );
    // A 暗访 still under way (or to come) is not shown to the units it visits, only to the
    // group's supervisors; a 明察 is.
    let mut coming = visit(&f, &unit, &members);
    coming["i"]["title"] = json!("7月上旬暗访");
    coming["i"]["startsOn"] = json!("2026-06-30");
    coming["i"]["endsOn"] = json!("2026-07-03");
    let coming = app.ok_as(&ducha, RECORD, coming).await["recordInspection"]["inspection"]["id"].clone();
    assert_eq!(
        app.ok_as(&visited, node, json!({"id": coming})).await["node"],
        Value::Null
    );
    assert_eq!(
        app.ok_as(&visited, LIST, json!({})).await["inspections"]["totalCount"],
        1
    );
    assert_eq!(
        app.ok_as(&ducha, node, json!({"id": coming})).await["node"]["title"],
        "7月上旬暗访"
    );
    let mut open = visit(&f, &unit, &members);
    open["i"]["mode"] = json!("OPEN");
    open["i"]["endsOn"] = json!("2026-07-03");
    app.ok_as(&ducha, RECORD, open).await;
    assert_eq!(
        app.ok_as(&visited, LIST, json!({})).await["inspections"]["totalCount"],
        2
    );
}

async fn bad_inspections_and_findings_are_refused_and_write_nothing(app: TestApp) {
    let f = app.fixture().await;
    let (unit, members) = group(&app, &f).await;
    let ducha = app
        .account("ducha", "县委督查组", Some(("SUPERVISOR", None)), None)
        .await;
    let water_only = app
        .account("slj-ducha", "县水利局督查", Some(("SUPERVISOR", Some(&f.water))), None)
        .await;
    let editor = app
        .account("slj", "县水利局联络员", Some(("EDITOR", Some(&f.water))), None)
        .await;
    let good = visit(&f, &unit, &members);
    let id = app.ok_as(&ducha, RECORD, good.clone()).await["recordInspection"]["inspection"]["id"].clone();
    let with = |field: &str, value: Value| {
        let mut v = good.clone();
        v["i"][field] = value;
        v
    };
    let head = app.head_seq().await;
    for (input, field) in [
        (with("groupUnitId", json!(f.water)), "groupUnitId"),
        (with("memberIds", json!([members[0], f.person])), "memberIds.1"),
        (with("memberIds", json!([])), "memberIds"),
        (with("memberIds", json!(["nope"])), "memberIds.0"),
        (with("endsOn", json!("2026-06-24")), "endsOn"),
        (with("title", json!("")), "title"),
        (
            with("visitedUnitIds", json!(["0190b6f5-0000-7000-8000-000000000000"])),
            "visitedUnitIds.0",
        ),
        (
            with("campaignId", json!("0190b6f5-0000-7000-8000-000000000000")),
            "campaignId",
        ),
    ] {
        let e = app.err_as(&ducha, RECORD, input.clone()).await;
        assert_eq!(
            (e.code.as_str(), e.field.as_deref()),
            ("BAD_USER_INPUT", Some(field)),
            "{input}: {e:?}"
        );
    }
    // SUPERVISOR on every visited unit: 县水利局's supervisor may not visit 县教育局.
    assert_eq!(app.err_as(&water_only, RECORD, good.clone()).await.code, "FORBIDDEN");
    assert_eq!(app.err_anonymous(RECORD, good).await.code, "UNAUTHENTICATED");
    let id = id.as_str().unwrap();
    let bad = |key: &str, value: Value| {
        let mut v = finding(&f, id, "DC-009");
        v["i"]["problem"][key] = value;
        v
    };
    for (input, field) in [
        (bad("source", json!("SUPERVISION")), "problem.source"),
        (bad("foundOn", json!("2026-06-29")), "problem.foundOn"),
        (bad("leadUnitId", json!(f.county)), "problem.leadUnitId"),
        (
            bad("campaignId", json!("0190b6f5-0000-7000-8000-000000000000")),
            "problem.campaignId",
        ),
        (bad("title", json!(" ")), "problem.title"),
    ] {
        let e = app.err_as(&ducha, FINDING, input.clone()).await;
        assert_eq!(
            (e.code.as_str(), e.field.as_deref()),
            ("BAD_USER_INPUT", Some(field)),
            "{input}: {e:?}"
        );
    }
    // Filing needs SUPERVISOR on the finding's lead unit; a liaison there may not.
    assert_eq!(
        app.err_as(&editor, FINDING, finding(&f, id, "DC-009")).await.code,
        "FORBIDDEN"
    );
    let missing = finding(&f, "0190b6f5-0000-7000-8000-000000000000", "DC-009");
    assert_eq!(app.err_as(&ducha, FINDING, missing).await.code, "NOT_FOUND");
    assert_eq!(app.head_seq().await, head, "refusals write nothing");
    // A code already taken: refused whole, the inspection keeps no link.
    app.ok_as(&ducha, FINDING, finding(&f, id, "DC-001")).await;
    let head = app.head_seq().await;
    let taken = app.err_as(&ducha, FINDING, finding(&f, id, "DC-001")).await;
    assert_eq!(
        (taken.code.as_str(), taken.field.as_deref()),
        ("BAD_USER_INPUT", Some("problem.code")),
        "{taken:?}"
    );
    assert_eq!(app.head_seq().await, head);
    let q = "query($id: ID!) { node(id: $id) { ... on Inspection { findings { code } } } }";
    assert_eq!(
        app.ok_as(&ducha, q, json!({"id": id})).await["node"]["findings"],
        json!([{"code": "DC-001"}])
    );
}

on_both_engines!(
    an_unannounced_visit_files_its_finding_as_a_problem_in_the_same_change,
    bad_inspections_and_findings_are_refused_and_write_nothing
);
