//! Reporting rhythms (半月报 and the others): a campaign says when progress is due, a report
//! names the period it covers, the reports not filed by their due day are listed, counted in the
//! ranking and named in the bulletin; bad settings and bad periods are refused and write nothing.

use serde_json::{json, Value};

use crate::helpers::{version, Fixture, TestApp};
use crate::on_both_engines;

const SET: &str = "mutation($i: SetReportRhythmInput!) { setReportRhythm(input: $i) { campaign { version reportRhythm { since default { kind weekday } units { unit { shortCode } rhythm { kind weekday } } } } } }";
const REPORT: &str = "mutation($i: ReportProgressInput!) { reportProgress(input: $i) { progressReport { periodFrom periodTo reportedOn } } }";
const MISSING: &str = "query($c: ID!, $on: Date, $u: ID, $limit: Int! = 100) { missingReports(campaignId: $c, on: $on, unitId: $u, limit: $limit) { on totalCount stillMissing rhythm { default { kind } } byUnit { unit { shortCode } missed } items { measure { id } leadUnit { shortCode } periodFrom dueOn filedOn } } }";
const RANKING: &str = "query($c: ID!) { unitRanking(campaignId: $c, bottom: 0) { rows { unit { shortCode } missedReports computedScore } } }";
const GENERATE: &str =
    "mutation($i: GenerateBulletinInput!) { generateBulletin(input: $i) { bulletin { markdown publicMarkdown } } }";

async fn campaign_version(app: &TestApp, f: &Fixture) -> i64 {
    app.ok(
        "query($id: ID!) { node(id: $id) { ... on Campaign { version } } }",
        json!({"id": f.campaign}),
    )
    .await["node"]["version"]
        .as_i64()
        .unwrap()
}

async fn set(app: &TestApp, f: &Fixture, default: Value, units: Value) -> Value {
    let v = campaign_version(app, f).await;
    app.ok(
        SET,
        json!({"i": {"campaignId": f.campaign, "expectedVersion": v, "default": default, "units": units}}),
    )
    .await["setReportRhythm"]["campaign"]["reportRhythm"]
        .clone()
}

async fn report(app: &TestApp, measure: &str, percent: i64, period: Option<&str>) -> Value {
    let v = version(app, measure).await;
    let input = json!({"id": measure, "expectedVersion": v, "percent": percent,
                       "text": "已完成管网排查，正在维修", "period": period});
    app.ok(REPORT, json!({"i": input})).await["reportProgress"]["progressReport"].clone()
}

fn days(n: i64) -> chrono::Duration {
    chrono::Duration::days(n)
}

/// 县水利局 and 县教育局 each lead one measure, created on 2026-06-30 under a 半月报 rhythm;
/// 县教育局's is started, 县水利局's starts with its first report.
async fn two_measures(app: &TestApp) -> (Fixture, String, String) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.county, "HIGH").await;
    let water = app.create_measure(&f, &problem, &f.water, &[], "2026-09-30").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let education = app.create_measure(&f, &problem, &f.education, &[], "2026-09-30").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // 县教育局 starts its measure; a third one, not started (PENDING), owes no report.
    let v = version(app, &education).await;
    crate::helpers::step(
        app,
        None,
        "startMeasure",
        "MeasureTransitionInput",
        json!({"id": education, "expectedVersion": v}),
    )
    .await;
    app.create_measure(&f, &problem, &f.education, &[], "2026-10-31").await;
    let rhythm = set(app, &f, json!({"kind": "HALF_MONTHLY"}), json!([])).await;
    assert_eq!(rhythm["since"], "2026-06-30");
    assert_eq!(rhythm["default"], json!({"kind": "HALF_MONTHLY", "weekday": null}));
    (f, water, education)
}

async fn a_missed_half_monthly_report_is_listed_counted_in_the_ranking_and_named_in_the_bulletin(app: TestApp) {
    let (f, water, education) = two_measures(&app).await;
    // Today's report covers the half month that ends today (16th to 30th).
    let first = report(&app, &water, 10, None).await;
    assert_eq!(
        (&first["periodFrom"], &first["periodTo"]),
        (&json!("2026-06-16"), &json!("2026-06-30"))
    );
    // Created on the due day itself: nothing was owed for 16–30 June.
    app.clock.advance(days(1));
    let none = app.ok(MISSING, json!({"c": f.campaign})).await["missingReports"].clone();
    assert_eq!(
        (none["on"].as_str(), none["totalCount"].as_i64()),
        (Some("2026-07-01"), Some(0))
    );

    // 县水利局 reports on 10 July; 县教育局 does not report for 1–15 July.
    app.clock.advance(days(9));
    let second = report(&app, &water, 30, None).await;
    assert_eq!(second["periodTo"], "2026-07-15");
    app.clock.advance(days(6));
    let missing = app.ok(MISSING, json!({"c": f.campaign})).await["missingReports"].clone();
    assert_eq!(missing["on"], "2026-07-16");
    assert_eq!(
        (missing["totalCount"].as_i64(), missing["stillMissing"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        missing["byUnit"],
        json!([{"unit": {"shortCode": "QS-JYJ"}, "missed": 1}])
    );
    assert_eq!(
        missing["items"],
        json!([{"measure": {"id": education}, "leadUnit": {"shortCode": "QS-JYJ"},
                "periodFrom": "2026-07-01", "dueOn": "2026-07-15", "filedOn": null}])
    );
    // On the due day itself the report was not yet late.
    let on_due_day = app.ok(MISSING, json!({"c": f.campaign, "on": "2026-07-15"})).await;
    assert_eq!(on_due_day["missingReports"]["totalCount"], 0);
    // Only the unit asked about; and a reader sees only the measures it may read.
    let of_water = app.ok(MISSING, json!({"c": f.campaign, "u": f.water})).await;
    assert_eq!(of_water["missingReports"]["totalCount"], 0);
    let water_viewer = app
        .account("slj-view", "县水利局", Some(("VIEWER", Some(&f.water))), None)
        .await;
    let education_viewer = app
        .account("jyj-view", "县教育局", Some(("VIEWER", Some(&f.education))), None)
        .await;
    let seen = |data: Value| data["missingReports"]["totalCount"].as_i64();
    assert_eq!(
        seen(app.ok_as(&water_viewer, MISSING, json!({"c": f.campaign})).await),
        Some(0)
    );
    assert_eq!(
        seen(app.ok_as(&education_viewer, MISSING, json!({"c": f.campaign})).await),
        Some(1)
    );

    // The ranking counts it against 县教育局: 0.5 points by default.
    let ranking = app.ok(RANKING, json!({"c": f.campaign})).await;
    let rows = ranking["unitRanking"]["rows"].as_array().unwrap().clone();
    let line = |code: &str| rows.iter().find(|r| r["unit"]["shortCode"] == code).unwrap().clone();
    assert_eq!(line("QS-SLJ")["missedReports"], 0);
    assert_eq!(line("QS-JYJ")["missedReports"], 1);
    assert_eq!(
        line("QS-SLJ")["computedScore"].as_f64().unwrap() - line("QS-JYJ")["computedScore"].as_f64().unwrap(),
        0.5
    );

    // The bulletin of 1–15 July names the unit, in both editions.
    let input = json!({"campaignId": f.campaign, "period": {"from": "2026-07-01", "to": "2026-07-15"}});
    let b = app.ok(GENERATE, json!({"i": input})).await["generateBulletin"]["bulletin"].clone();
    let line = "进展报送：通报期间应报送的整改进展中，1个单位共1次未按时报送：县教育局1次。";
    assert!(b["markdown"].as_str().unwrap().contains(line), "{}", b["markdown"]);
    assert!(b["publicMarkdown"].as_str().unwrap().contains(line));
    assert!(b["markdown"].as_str().unwrap().contains("未按时报送进展1次"));

    // A late report names the period it is late for: listed as filed late, still counted.
    let late = report(&app, &education, 20, Some("2026-07-10")).await;
    assert_eq!(
        (&late["periodFrom"], &late["periodTo"], &late["reportedOn"]),
        (&json!("2026-07-01"), &json!("2026-07-15"), &json!("2026-07-16"))
    );
    let after = app.ok(MISSING, json!({"c": f.campaign})).await["missingReports"].clone();
    assert_eq!(
        (after["totalCount"].as_i64(), after["stillMissing"].as_i64()),
        (Some(1), Some(0))
    );
    assert_eq!(after["items"][0]["filedOn"], "2026-07-16");
    let ranking = app.ok(RANKING, json!({"c": f.campaign})).await;
    let counted: Vec<i64> = ranking["unitRanking"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["missedReports"].as_i64().unwrap())
        .collect();
    assert_eq!(counted.iter().sum::<i64>(), 1);
}

async fn a_units_own_rhythm_applies_to_the_units_below_it_and_clearing_the_rhythm_owes_nothing(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.county, "HIGH").await;
    let division = app
        .create_measure(&f, &problem, &f.water_division, &[], "2026-09-30")
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let education = app.create_measure(&f, &problem, &f.education, &[], "2026-09-30").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let rhythm = set(
        &app,
        &f,
        json!({"kind": "MONTHLY"}),
        json!([{"unitId": f.water, "rhythm": {"kind": "WEEKLY", "weekday": 5}}]),
    )
    .await;
    assert_eq!(
        rhythm["units"],
        json!([{"unit": {"shortCode": "QS-SLJ"}, "rhythm": {"kind": "WEEKLY", "weekday": 5}}])
    );
    // 2026-06-30 is a Tuesday: 县水利局's 股室 reports weekly to Friday, 县教育局 monthly.
    let weekly = report(&app, &division, 10, None).await;
    assert_eq!(
        (&weekly["periodFrom"], &weekly["periodTo"]),
        (&json!("2026-06-27"), &json!("2026-07-03"))
    );
    let monthly = report(&app, &education, 10, None).await;
    assert_eq!(
        (&monthly["periodFrom"], &monthly["periodTo"]),
        (&json!("2026-06-01"), &json!("2026-06-30"))
    );
    // A fortnight later the 股室 missed the week to 10 July (it reported for the week to 3 July).
    app.clock.advance(days(14));
    let missing = app.ok(MISSING, json!({"c": f.campaign})).await["missingReports"].clone();
    let due: Vec<&str> = missing["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["dueOn"].as_str().unwrap())
        .collect();
    assert_eq!(due, ["2026-07-10"]);
    assert_eq!(missing["byUnit"][0]["unit"]["shortCode"], "QS-SLJ-NS");

    // Cleared: no rhythm, nothing owed, and a period can no longer be named.
    let cleared = set(&app, &f, Value::Null, json!([])).await;
    assert!(cleared.is_null());
    let missing = app.ok(MISSING, json!({"c": f.campaign})).await["missingReports"].clone();
    assert_eq!(
        (missing["totalCount"].as_i64(), &missing["rhythm"]),
        (Some(0), &Value::Null)
    );
    let v = version(&app, &education).await;
    let e = app
        .err(
            REPORT,
            json!({"i": {"id": education, "expectedVersion": v, "percent": 20, "text": "进展", "period": "2026-07-01"}}),
        )
        .await;
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        ("BAD_USER_INPUT", Some("period"))
    );
    let plain = report(&app, &education, 20, None).await;
    assert_eq!((&plain["periodFrom"], &plain["periodTo"]), (&Value::Null, &Value::Null));
}

async fn bad_rhythms_and_periods_are_refused_and_write_nothing(app: TestApp) {
    let (f, water, _) = two_measures(&app).await;
    let editor = app
        .account("slj", "县水利局联络员", Some(("EDITOR", Some(&f.water))), None)
        .await;
    let v = campaign_version(&app, &f).await;
    let head = app.head_seq().await;
    let input = |default: Value, units: Value| json!({"i": {"campaignId": f.campaign, "expectedVersion": v, "default": default, "units": units}});
    let unknown = "0190b6f5-0000-7000-8000-000000000000";
    for (vars, code, field) in [
        (
            input(json!({"kind": "WEEKLY"}), json!([])),
            "BAD_USER_INPUT",
            Some("default"),
        ),
        (
            input(json!({"kind": "WEEKLY", "weekday": 8}), json!([])),
            "BAD_USER_INPUT",
            Some("default"),
        ),
        (
            input(json!({"kind": "MONTHLY", "weekday": 1}), json!([])),
            "BAD_USER_INPUT",
            Some("default"),
        ),
        (
            input(
                Value::Null,
                json!([{"unitId": f.water, "rhythm": {"kind": "DAILY", "weekday": 2}}]),
            ),
            "BAD_USER_INPUT",
            Some("units.0.rhythm"),
        ),
        (
            input(
                Value::Null,
                json!([{"unitId": f.water, "rhythm": {"kind": "DAILY"}}, {"unitId": f.water, "rhythm": {"kind": "MONTHLY"}}]),
            ),
            "BAD_USER_INPUT",
            Some("units.1.unitId"),
        ),
        (
            input(Value::Null, json!([{"unitId": unknown, "rhythm": {"kind": "DAILY"}}])),
            "BAD_USER_INPUT",
            Some("units.0.unitId"),
        ),
        (
            input(
                Value::Null,
                json!([{"unitId": "not-an-id", "rhythm": {"kind": "DAILY"}}]),
            ),
            "BAD_USER_INPUT",
            Some("units.0.unitId"),
        ),
        (
            json!({"i": {"campaignId": f.campaign, "expectedVersion": v + 1, "default": {"kind": "DAILY"}}}),
            "CONFLICT",
            None,
        ),
    ] {
        let e = app.err(SET, vars.clone()).await;
        assert_eq!(
            (e.code.as_str(), e.field.as_deref()),
            (code, field),
            "{vars}: {}",
            e.message
        );
    }
    let e = app
        .err_as(&editor, SET, input(json!({"kind": "DAILY"}), json!([])))
        .await;
    assert_eq!(e.code, "FORBIDDEN");

    // A period that has not begun cannot be reported on.
    let mv = version(&app, &water).await;
    let e = app
        .err(
            REPORT,
            json!({"i": {"id": water, "expectedVersion": mv, "percent": 20, "text": "进展", "period": "2026-07-01"}}),
        )
        .await;
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        ("BAD_USER_INPUT", Some("period"))
    );
    assert_eq!(app.head_seq().await, head, "a refusal wrote an event");

    // The query's own refusals.
    for (vars, field) in [
        (json!({"c": f.campaign, "on": "2026-07-01"}), "on"),
        (json!({"c": f.campaign, "limit": 0}), "limit"),
        (json!({"c": f.campaign, "limit": 501}), "limit"),
        (json!({"c": unknown}), "campaignId"),
        (json!({"c": f.campaign, "u": "x"}), "unitId"),
    ] {
        let e = app.err(MISSING, vars.clone()).await;
        assert_eq!(
            (e.code.as_str(), e.field.as_deref()),
            ("BAD_USER_INPUT", Some(field)),
            "{vars}"
        );
    }
    let e = app.err_anonymous(MISSING, json!({"c": f.campaign})).await;
    assert_eq!(e.code, "UNAUTHENTICATED");
}

on_both_engines!(
    a_missed_half_monthly_report_is_listed_counted_in_the_ranking_and_named_in_the_bulletin,
    a_units_own_rhythm_applies_to_the_units_below_it_and_clearing_the_rhythm_owes_nothing,
    bad_rhythms_and_periods_are_refused_and_write_nothing
);
