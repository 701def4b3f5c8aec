//! Reports: figures checked against a hand count on a small ledger, and an "as of" report
//! equal to the live report taken at that instant, after many later changes.

use serde_json::{json, Value};

use crate::helpers::{close_out, six_measures, start_and_close_out, step, version, TestApp};
use crate::on_both_engines;

const STATS: &str = "query($f: LedgerStatsFilter, $t: DateTime) { ledgerStats(filter: $f, asOf: $t) { total pending inProgress submitted closed longTerm cancelled closedOnTime closedLate overdue completionRate onTimeRate asOf auditSeq } }";

async fn figures_match_a_hand_count(app: TestApp) {
    let f = app.fixture().await;
    let supervisor = app
        .account("ducha", "县委督查组", Some(("SUPERVISOR", None)), None)
        .await;
    six_measures(&app, &f, &supervisor).await;
    let all = app.ok(STATS, json!({"f": {"campaignId": f.campaign}})).await["ledgerStats"].clone();
    // Not cancelled: 5. Closed: 2 (one on 2026-06-30 against a 2026-06-20 deadline: late).
    // Overdue: only the one started with a 2026-06-25 deadline; LONG_TERM is judged by
    // milestones and has none.
    assert_eq!(
        (
            all["total"].as_i64(),
            all["pending"].as_i64(),
            all["inProgress"].as_i64(),
            all["closed"].as_i64()
        ),
        (Some(5), Some(1), Some(1), Some(2))
    );
    assert_eq!(
        (
            all["longTerm"].as_i64(),
            all["cancelled"].as_i64(),
            all["closedOnTime"].as_i64(),
            all["closedLate"].as_i64(),
            all["overdue"].as_i64()
        ),
        (Some(1), Some(1), Some(1), Some(1), Some(1))
    );
    assert_eq!(
        (all["completionRate"].as_f64(), all["onTimeRate"].as_f64()),
        (Some(0.4), Some(0.5))
    );
    // The water department's subtree: the five water measures less the cancelled one.
    let water = app.ok(STATS, json!({"f": {"unitId": f.water}})).await["ledgerStats"].clone();
    assert_eq!((water["total"].as_i64(), water["overdue"].as_i64()), (Some(4), Some(1)));
    let division = app.ok(STATS, json!({"f": {"unitId": f.water_division}})).await["ledgerStats"].clone();
    assert_eq!(
        (division["total"].as_i64(), division["inProgress"].as_i64()),
        (Some(1), Some(1))
    );
    // A liaison of the education department counts only its own measure.
    let teacher = app
        .account("jyj", "县教育局联络员", Some(("VIEWER", Some(&f.education))), None)
        .await;
    let own = app.ok_as(&teacher, STATS, json!({})).await["ledgerStats"].clone();
    assert_eq!(
        (
            own["total"].as_i64(),
            own["pending"].as_i64(),
            own["completionRate"].as_f64()
        ),
        (Some(1), Some(1), Some(0.0))
    );
    assert_eq!(app.err_anonymous(STATS, json!({})).await.code, "UNAUTHENTICATED");
    let future = app.err(STATS, json!({"t": "2026-07-02T00:00:00Z"})).await;
    assert_eq!(future.field.as_deref(), Some("asOf"), "{future:?}");
}

async fn a_report_as_of_an_instant_equals_the_live_report_taken_then(app: TestApp) {
    let f = app.fixture().await;
    let supervisor = app
        .account("ducha", "县委督查组", Some(("SUPERVISOR", None)), None)
        .await;
    let ids = six_measures(&app, &f, &supervisor).await;
    let filters = [json!({"campaignId": f.campaign}), json!({"unitId": f.water}), json!({})];
    let mut then = Vec::new();
    for filter in &filters {
        then.push(app.ok(STATS, json!({"f": filter})).await["ledgerStats"].clone());
    }
    let instant = then[0]["asOf"].clone();
    // A week of later changes: the overdue one is closed late, the on-time one reopened, a
    // missed milestone, a new measure, an extension, the long-term one cancelled.
    app.clock.advance(chrono::Duration::days(7));
    // Tokens last 12 hours: the week later, another supervisor is on duty.
    let supervisor = app
        .account("ducha2", "县委督查组（值班）", Some(("SUPERVISOR", None)), None)
        .await;
    close_out(&app, &supervisor, &ids[2]).await;
    let v = version(&app, &ids[0]).await;
    step(
        &app,
        Some(&supervisor),
        "reopenMeasure",
        "ReopenMeasureInput",
        json!({"id": ids[0], "expectedVersion": v, "reason": "回头看发现反弹", "newDeadline": "2026-07-31"}),
    )
    .await;
    app.ok(
        "mutation($i: AddMilestoneInput!) { addMilestone(input: $i) { milestone { id } } }",
        json!({"i": {"measureId": ids[5], "title": "完成摸底", "dueOn": "2026-07-01"}}),
    )
    .await;
    let v = version(&app, &ids[3]).await;
    step(
        &app,
        Some(&supervisor),
        "cancelMeasure",
        "MeasureReasonInput",
        json!({"id": ids[3], "expectedVersion": v, "reason": "并入新措施"}),
    )
    .await;
    let problem = app.create_problem(&f, "A-009", &f.water, "MEDIUM").await;
    app.create_measure(&f, &problem, &f.water, &[], "2026-07-03").await;
    for _ in 0..20 {
        app.create_measure(&f, &problem, &f.water_division, &[&f.education], "2026-09-30")
            .await;
    }
    let now: Vec<Value> = {
        let mut v = Vec::new();
        for filter in &filters {
            v.push(app.ok(STATS, json!({"f": filter})).await["ledgerStats"].clone());
        }
        v
    };
    assert_ne!(now[0]["total"], then[0]["total"], "the ledger did change");
    assert_ne!(now[0]["overdue"], then[0]["overdue"]);
    for (filter, (was, is)) in filters.iter().zip(then.iter().zip(now.iter())) {
        let replayed = app.ok(STATS, json!({"f": filter, "t": instant})).await["ledgerStats"].clone();
        assert_eq!(&replayed, was, "as of {instant} with {filter}");
        let replayed_now = app.ok(STATS, json!({"f": filter, "t": is["asOf"]})).await["ledgerStats"].clone();
        assert_eq!(&replayed_now, is, "as of now with {filter}");
    }
}

const BY: &str = "query($d: StatsDimension!, $f: LedgerStatsFilter, $t: DateTime) { ledgerStatsBy(dimension: $d, filter: $f, asOf: $t) { key label stats { total closed overdue cancelled } } ledgerStats(filter: $f, asOf: $t) { total closed overdue cancelled asOf } }";

const DIMENSIONS: [&str; 6] = [
    "CATEGORY",
    "SOURCE",
    "SEVERITY",
    "RECTIFICATION_KIND",
    "RESPONSIBLE_LEADER",
    "LEAD_UNIT",
];

/// The figures grouped by each dimension add up to the whole, name their groups in Chinese,
/// follow the caller's rights, and as of an instant equal the live ones taken then.
async fn figures_by_dimension_add_up_and_name_their_groups(app: TestApp) {
    let f = app.fixture().await;
    let supervisor = app
        .account("ducha", "县委督查组", Some(("SUPERVISOR", None)), None)
        .await;
    six_measures(&app, &f, &supervisor).await;
    let scope = json!({"campaignId": f.campaign});
    for d in DIMENSIONS {
        let data = app.ok(BY, json!({"d": d, "f": scope})).await;
        let groups = data["ledgerStatsBy"].as_array().unwrap();
        for field in ["total", "closed", "overdue", "cancelled"] {
            let sum: i64 = groups.iter().map(|g| g["stats"][field].as_i64().unwrap()).sum();
            assert_eq!(Some(sum), data["ledgerStats"][field].as_i64(), "{d} {field}: {data}");
        }
        let totals: Vec<i64> = groups.iter().map(|g| g["stats"]["total"].as_i64().unwrap()).collect();
        assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{d}: largest first {totals:?}");
        for g in groups {
            assert!(!g["label"].as_str().unwrap().is_ascii(), "{d}: a Chinese name {g}");
        }
        // As of the instant the live figures describe: the same groups.
        let then = app
            .ok(BY, json!({"d": d, "f": scope, "t": data["ledgerStats"]["asOf"]}))
            .await;
        assert_eq!(then["ledgerStatsBy"], data["ledgerStatsBy"], "{d} as of now");
    }
    let by = |data: &Value, key: &str| {
        data["ledgerStatsBy"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["key"] == key)
            .cloned()
    };
    let severity = app.ok(BY, json!({"d": "SEVERITY", "f": scope})).await;
    let high = by(&severity, "HIGH").unwrap();
    assert_eq!(
        (high["label"].as_str(), high["stats"]["total"].as_i64()),
        (Some("严重"), Some(4)),
        "{severity}"
    );
    assert_eq!(by(&severity, "LOW").unwrap()["stats"]["total"], 1);
    let units = app.ok(BY, json!({"d": "LEAD_UNIT", "f": scope})).await;
    let water = by(&units, &f.water).unwrap();
    assert_eq!(
        (
            water["label"].as_str(),
            water["stats"]["total"].as_i64(),
            water["stats"]["cancelled"].as_i64()
        ),
        (Some("县水利局"), Some(3), Some(1)),
        "{units}"
    );
    let leaders = app.ok(BY, json!({"d": "RESPONSIBLE_LEADER", "f": scope})).await;
    assert_eq!(by(&leaders, &f.leader).unwrap()["label"], "王建国", "{leaders}");
    // The education department's viewer counts its own measure only.
    let teacher = app
        .account("jyj", "县教育局联络员", Some(("VIEWER", Some(&f.education))), None)
        .await;
    let own = app.ok_as(&teacher, BY, json!({"d": "LEAD_UNIT"})).await;
    assert_eq!(own["ledgerStatsBy"].as_array().unwrap().len(), 1, "{own}");
    assert_eq!(own["ledgerStatsBy"][0]["label"], "县教育局");
    assert_eq!(
        app.err_anonymous(BY, json!({"d": "SEVERITY"})).await.code,
        "UNAUTHENTICATED"
    );
}

on_both_engines!(
    figures_by_dimension_add_up_and_name_their_groups,
    figures_match_a_hand_count,
    a_report_as_of_an_instant_equals_the_live_report_taken_then,
    units_are_ranked_with_ties_and_the_lowest_flagged,
    a_trend_shows_each_period_end_and_due_soon_the_countdown,
);

const RANKING: &str = "query($c: ID!, $b: Int, $t: DateTime) { unitRanking(campaignId: $c, bottom: $b, asOf: $t) { asOf auditSeq rows { rank score unit { shortCode } total closed closedOnTime overdue supervisionReceived satisfactionRate flaggedForTalk } } }";

fn lines(data: &Value) -> Vec<(i64, f64, String, bool)> {
    data["unitRanking"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["rank"].as_i64().unwrap(),
                r["score"].as_f64().unwrap(),
                r["unit"]["shortCode"].as_str().unwrap().to_owned(),
                r["flaggedForTalk"].as_bool().unwrap(),
            )
        })
        .collect()
}

/// Scores by the documented formula, equal scores share a rank, the bottom N are flagged with
/// their ties, and a ranking as of an instant equals the one taken then.
async fn units_are_ranked_with_ties_and_the_lowest_flagged(app: TestApp) {
    let f = app.fixture().await;
    let supervisor = app
        .account("ducha", "县委督查组", Some(("SUPERVISOR", None)), None)
        .await;
    let problem = app.create_problem(&f, "A-001", &f.county, "HIGH").await;
    let mut by_unit = Vec::new();
    for (unit, deadline) in [
        (&f.water, "2026-07-31"),
        (&f.water, "2026-07-31"),
        (&f.education, "2026-07-31"),
        (&f.education, "2026-08-31"),
        (&f.county, "2026-07-31"),
        (&f.county, "2026-08-31"),
        (&f.water_division, "2026-06-20"),
    ] {
        let id = app.create_measure(&f, &problem, unit, &[], deadline).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        by_unit.push(id);
    }
    for i in [0, 1, 2, 4] {
        start_and_close_out(&app, &supervisor, &by_unit[i]).await;
    }
    step(
        &app,
        None,
        "startMeasure",
        "MeasureTransitionInput",
        json!({"id": by_unit[6], "expectedVersion": 1}),
    )
    .await;
    // 县水利局 100 (all closed on time); 县委 and 县教育局 75 = 100 × (0.4 × ½ + 0.4 × 1) / 0.8;
    // 农村水利股 −2 (nothing closed, one overdue).
    let data = app.ok(RANKING, json!({"c": f.campaign, "b": 2})).await;
    assert_eq!(
        lines(&data),
        vec![
            (1, 100.0, "QS-SLJ".to_owned(), false),
            (2, 75.0, "QS".to_owned(), true),
            (2, 75.0, "QS-JYJ".to_owned(), true),
            (4, -2.0, "QS-SLJ-NS".to_owned(), true),
        ],
        "the two lowest are flagged, and whoever ties with them"
    );
    let then = data["unitRanking"].clone();
    let one = app.ok(RANKING, json!({"c": f.campaign, "b": 1})).await;
    assert_eq!(lines(&one).iter().filter(|l| l.3).count(), 1);
    // A week later: 县教育局 is pressed once (−1) and 县水利局 surveyed at 90 %.
    app.clock.advance(chrono::Duration::days(7));
    let supervisor = app
        .account("ducha2", "县委督查组（值班）", Some(("SUPERVISOR", None)), None)
        .await;
    app.ok_as(
        &supervisor,
        "mutation($i: IssueSupervisionInput!) { issueSupervision(input: $i) { supervisionAction { id } } }",
        json!({"i": {"kind": "NOTICE", "targetUnitId": f.education, "measureId": by_unit[3], "content": "加快进度"}}),
    )
    .await;
    app.ok_as(
        &supervisor,
        "mutation($i: RecordSatisfactionSurveyInput!) { recordSatisfactionSurvey(input: $i) { survey { id } } }",
        json!({"i": {"campaignId": f.campaign, "unitId": f.water, "heldOn": "2026-07-06", "method": "REPRESENTATIVES", "participants": 50, "satisfied": 40, "basicallySatisfied": 5, "dissatisfied": 5}}),
    )
    .await;
    let now = app.ok(RANKING, json!({"c": f.campaign, "b": 2})).await;
    // 县水利局: 100 × (0.4 + 0.4 + 0.2 × 0.9) = 98. 县教育局: 75 − 1 = 74.
    assert_eq!(
        lines(&now),
        vec![
            (1, 98.0, "QS-SLJ".to_owned(), false),
            (2, 75.0, "QS".to_owned(), false),
            (3, 74.0, "QS-JYJ".to_owned(), true),
            (4, -2.0, "QS-SLJ-NS".to_owned(), true),
        ]
    );
    assert_eq!(now["unitRanking"]["rows"][2]["supervisionReceived"], 1);
    assert_eq!(now["unitRanking"]["rows"][0]["satisfactionRate"], 0.9);
    let replayed = app
        .ok(RANKING, json!({"c": f.campaign, "b": 2, "t": then["asOf"]}))
        .await;
    assert_eq!(replayed["unitRanking"], then, "as of the first instant");
    let bad = app
        .err(
            "query($c: ID!) { unitRanking(campaignId: $c, weights: {completion: -1}) { asOf } }",
            json!({"c": f.campaign}),
        )
        .await;
    assert_eq!(bad.field.as_deref(), Some("weights"));
}

/// A trend's points are the figures at the end of each period, as ledgerStats(asOf:) gives them;
/// dueSoon lists what falls due next.
async fn a_trend_shows_each_period_end_and_due_soon_the_countdown(app: TestApp) {
    let f = app.fixture().await;
    let supervisor = app
        .account("ducha", "县委督查组", Some(("SUPERVISOR", None)), None)
        .await;
    let ids = six_measures(&app, &f, &supervisor).await;
    // Two days later (2026-07-02) the overdue one is closed, late.
    app.clock.advance(chrono::Duration::days(2));
    let supervisor = app
        .account("ducha2", "县委督查组（值班）", Some(("SUPERVISOR", None)), None)
        .await;
    close_out(&app, &supervisor, &ids[2]).await;
    let q = "query($c: ID!, $i: TrendInterval!, $from: Date!, $to: Date!) { trend(campaignId: $c, interval: $i, from: $from, to: $to) { periodEnd stats { total closed closedLate overdue completionRate asOf } } }";
    let days = app
        .ok(
            q,
            json!({"c": f.campaign, "i": "DAY", "from": "2026-06-29", "to": "2026-07-05"}),
        )
        .await;
    let points: Vec<(String, i64, i64, i64)> = days["trend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["periodEnd"].as_str().unwrap().to_owned(),
                p["stats"]["total"].as_i64().unwrap(),
                p["stats"]["closed"].as_i64().unwrap(),
                p["stats"]["overdue"].as_i64().unwrap(),
            )
        })
        .collect();
    // Nothing before the 30th; on the 30th and the 1st: 5 measures, 2 closed, 1 overdue; on
    // the 2nd (today, cut at now): 3 closed, none overdue. No point after today.
    assert_eq!(
        points,
        vec![
            ("2026-06-29".to_owned(), 0, 0, 0),
            ("2026-06-30".to_owned(), 5, 2, 1),
            ("2026-07-01".to_owned(), 5, 2, 1),
            ("2026-07-02".to_owned(), 5, 3, 0),
        ]
    );
    assert!(days["trend"][0]["stats"]["completionRate"].is_null());
    assert_eq!(
        days["trend"][1]["stats"]["asOf"], "2026-06-30T15:59:59.999999Z",
        "the last instant of the day in CST"
    );
    let half = app
        .ok(
            q,
            json!({"c": f.campaign, "i": "HALF_MONTH", "from": "2026-06-01", "to": "2026-07-31"}),
        )
        .await;
    let ends: Vec<&str> = half["trend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["periodEnd"].as_str().unwrap())
        .collect();
    assert_eq!(ends, ["2026-06-15", "2026-06-30", "2026-07-02"]);
    let too_long = app
        .err(
            q,
            json!({"c": f.campaign, "i": "DAY", "from": "2026-01-01", "to": "2026-07-02"}),
        )
        .await;
    assert_eq!(too_long.field.as_deref(), Some("to"));
    // Due soon: from 2026-07-02, within 60 days, only the pending one due 2026-08-31 is open.
    let soon = app.ok("{ dueSoon(days: 60) { deadline status } }", json!({})).await;
    assert_eq!(
        soon["dueSoon"],
        json!([{"deadline": "2026-08-31", "status": "PENDING"}])
    );
    let bad = app.err("{ dueSoon(days: -1) { id } }", json!({})).await;
    assert_eq!(bad.field.as_deref(), Some("days"));
    assert_eq!(bad.message, "days must be between 0 and 3650");
}
