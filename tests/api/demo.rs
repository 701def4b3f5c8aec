use std::sync::Arc;

use chrono::{TimeZone, Utc};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;
use taizhang::domain::clock::FixedClock;
use taizhang::domain::Ledger;

use crate::helpers::TestApp;
use crate::on_both_engines;

async fn the_demo_ledger_loads_with_overdue_and_closed_measures_and_an_intact_trail(app: TestApp) {
    // The demo is relative to "today"; load it as of the test server's fixed date.
    let clock = Arc::new(FixedClock(Utc.with_ymd_and_hms(2026, 6, 30, 2, 0, 0).unwrap()));
    let summary = taizhang::demo::load(&Ledger::new(app.db.clone(), clock))
        .await
        .expect("demo loads");
    assert!(
        summary.units >= 10 && summary.problems >= 30 && summary.measures >= 60,
        "{summary}"
    );
    assert!(summary.closed > 0 && summary.overdue > 0, "{summary}");
    let data = app
        .ok(
            "{ overdue: measures(filter: {overdue: true}) { totalCount } closed: measures(filter: {status: [CLOSED]}) { totalCount edges { node { closedLate closedOn deadline progressPercent evidence { withdrawn } verifications { verifierName } } } } problems { totalCount } units { totalCount } verifyAudit { ok checkedEvents headSeq } }",
            json!({}),
        )
        .await;
    assert_eq!(data["overdue"]["totalCount"].as_u64(), Some(summary.overdue as u64));
    assert_eq!(data["closed"]["totalCount"].as_u64(), Some(summary.closed as u64));
    assert_eq!(data["problems"]["totalCount"].as_u64(), Some(summary.problems as u64));
    assert_eq!(data["verifyAudit"]["ok"], true);
    assert_eq!(data["verifyAudit"]["headSeq"].as_i64(), Some(summary.audit_seq));
    for edge in data["closed"]["edges"].as_array().unwrap() {
        assert_eq!(
            edge["node"]["closedLate"], false,
            "demo measures are closed on time: {edge}"
        );
        // Each passed the close-out gate and was verified by the county's inspection group.
        assert_eq!(edge["node"]["progressPercent"], 100, "{edge}");
        assert_eq!(edge["node"]["evidence"][0]["withdrawn"], false, "{edge}");
        let verifier = edge["node"]["verifications"][0]["verifierName"]
            .as_str()
            .unwrap_or_default();
        assert!(verifier.starts_with("郑国栋"), "{edge}");
    }
    // Every problem but the two findings of the 督查组's 暗访 came from a sorted opinion; six
    // more opinions are pending or dismissed; two of the eight surveyed units fall under the
    // 95 % target.
    let intake = app
        .ok(
            "{ merged: feedback(filter: {status: MERGED}) { totalCount } all: feedback { totalCount } satisfactionSurveys { totalCount nodes { belowThreshold unit { shortCode } } } }",
            json!({}),
        )
        .await;
    let from_opinions = summary.problems as u64 - 2;
    assert_eq!(intake["merged"]["totalCount"].as_u64(), Some(from_opinions));
    assert_eq!(intake["all"]["totalCount"].as_u64(), Some(from_opinions + 6));
    let mut below: Vec<&str> = intake["satisfactionSurveys"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["belowThreshold"] == true)
        .map(|s| s["unit"]["shortCode"].as_str().unwrap())
        .collect();
    below.sort_unstable();
    assert_eq!(intake["satisfactionSurveys"]["totalCount"], 8);
    assert_eq!(below, ["QS-WJJ", "QS-ZJJ"]);
    let pledges = app
        .ok(
            "{ commitments { totalCount } kept: commitments(filter: {status: FULFILLED}) { totalCount } late: commitments(filter: {overdue: true}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        (
            pledges["commitments"]["totalCount"].as_u64(),
            pledges["kept"]["totalCount"].as_u64(),
            pledges["late"]["totalCount"].as_u64()
        ),
        (Some(4), Some(2), Some(1))
    );
    // 刘志远's account holds no role, yet as 责任领导 he sees his four measures wherever they
    // are; the surveys are disclosed to the public (将测评情况向群众通报).
    let (_, password, _) = summary
        .accounts
        .iter()
        .find(|(u, _, _)| u == "liuzhiyuan")
        .expect("a demo account for 刘志远");
    let login = "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }";
    let token = app.ok(login, json!({"u": "liuzhiyuan", "p": password})).await["login"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let seen = app
        .ok_as(
            &token,
            "{ measures(first: 100) { nodes { responsibleLeader { name } } } }",
            json!({}),
        )
        .await;
    let his = seen["measures"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["responsibleLeader"]["name"] == "刘志远")
        .count();
    assert_eq!(his, 4, "{seen}");
    let public = app
        .ok_anonymous("{ satisfactionSurveys { totalCount } }", json!({}))
        .await;
    assert_eq!(public["satisfactionSurveys"]["totalCount"], 8);
    // 签收: most units signed the next day; some never did and some a week late, so the
    // campaign has late acknowledgements, some still outstanding, and one open action was urged.
    let campaign = app
        .ok("{ campaigns { nodes { id acknowledgeWithinDays } } }", json!({}))
        .await["campaigns"]["nodes"][0]
        .clone();
    assert_eq!(campaign["acknowledgeWithinDays"], 3);
    let signed = app
        .ok(
            "query($c: ID!) { lateAcknowledgements(campaignId: $c) { totalCount stillUnacknowledged byUnit { late } } supervisionActions(filter: {open: true}) { nodes { receipt { acknowledgedAt } urgings { note } } } }",
            json!({"c": campaign["id"]}),
        )
        .await;
    let late = &signed["lateAcknowledgements"];
    let (total, outstanding) = (
        late["totalCount"].as_i64().unwrap(),
        late["stillUnacknowledged"].as_i64().unwrap(),
    );
    assert!(total > outstanding && outstanding > 0, "{late}");
    let urged: Vec<&serde_json::Value> = signed["supervisionActions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| !a["urgings"].as_array().unwrap().is_empty())
        .collect();
    assert_eq!(urged.len(), 1, "{signed}");
    assert!(urged[0]["receipt"]["acknowledgedAt"].is_null());
    let again = taizhang::demo::load(&Ledger::new(
        app.db.clone(),
        Arc::new(FixedClock(Utc.with_ymd_and_hms(2026, 6, 30, 2, 0, 0).unwrap())),
    ))
    .await;
    assert!(again.is_err(), "the demo refuses to load twice");
}

/// The local (China Standard Time) date of an RFC 3339 instant.
fn local_date(instant: &serde_json::Value) -> String {
    let at = chrono::DateTime::parse_from_rfc3339(instant.as_str().unwrap()).unwrap();
    (at.to_utc() + chrono::Duration::hours(8)).date_naive().to_string()
}

async fn the_demo_bulletin_of_the_last_half_month_reports_the_surveys_held_in_it(app: TestApp) {
    // Loaded on 2026-12-01 at 10:00 in Beijing: the bulletin is that of 2026年11月下半月, and
    // the eight surveys were held on 11-25…11-28, inside it.
    let clock = Arc::new(FixedClock(Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap()));
    let summary = taizhang::demo::load(&Ledger::new(app.db.clone(), clock))
        .await
        .expect("demo loads");
    let (_, title) = summary.bulletin.clone().expect("a bulletin");
    assert!(title.ends_with("（2026年11月下半月）"), "{title}");
    let b = app.ok("{ bulletins(first: 1) { markdown } }", json!({})).await["bulletins"][0]["markdown"].clone();
    let md = b.as_str().unwrap();
    assert!(!md.contains("尚未开展满意度测评"), "{md}");
    assert!(md.contains("共 8 个单位开展测评"), "{md}");
    assert!(
        md.contains("| 县水利局 | 2026-11-28 | 群众代表测评 | 96 | 78 | 15 | 3 |"),
        "{md}"
    );
    assert!(
        md.contains("须开展“回头看”、进行补课：县卫生健康局、县住房和城乡建设局"),
        "{md}"
    );
    // The half month's 问责 (an 诫勉谈话 and a 通报批评 by the 纪委), its 减分 (approved by the
    // 组织部, in the ranking) and the 暗访's two findings (problems of the campaign).
    assert!(md.contains("本期共问责 2 起：通报批评1起、诫勉谈话1起。"), "{md}");
    assert!(
        md.contains("中共青山县纪律检查委员会（青纪发〔2026〕21号） | 2026-11-28 |"),
        "{md}"
    );
    assert!(md.contains("| -20.00 |"), "{md}");
    let more = app
        .ok(
            "{ accountabilities { totalCount } approved: scoreAdjustments(filter: {status: APPROVED}) { nodes { kind points deciderName } } proposed: scoreAdjustments(filter: {status: PROPOSED}) { totalCount } inspections { nodes { mode groupUnit { shortCode } findings { code source foundOn } } } }",
            json!({}),
        )
        .await;
    assert_eq!(more["accountabilities"]["totalCount"], 2, "{more}");
    assert_eq!(
        more["approved"]["nodes"],
        json!([{"kind": "DEDUCTION", "points": 20.0, "deciderName": "贺春生（县委组织部）"}])
    );
    assert_eq!(more["proposed"]["totalCount"], 1);
    let inspection = &more["inspections"]["nodes"][0];
    assert_eq!(
        (
            inspection["mode"].as_str(),
            inspection["groupUnit"]["shortCode"].as_str()
        ),
        (Some("UNANNOUNCED"), Some("QS-XWB-DCZ"))
    );
    assert_eq!(
        inspection["findings"],
        json!([
            {"code": "DC-01", "source": "UNANNOUNCED_VISIT", "foundOn": "2026-11-24"},
            {"code": "DC-02", "source": "UNANNOUNCED_VISIT", "foundOn": "2026-11-24"}
        ])
    );
}

async fn the_demo_records_every_fact_at_its_day_and_its_trail_in_time_order(app: TestApp) {
    // Loaded on 2026-12-01 at 10:00 in Beijing.
    let clock = Arc::new(FixedClock(Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap()));
    let summary = taizhang::demo::load(&Ledger::new(app.db.clone(), clock))
        .await
        .expect("demo loads");
    assert!(summary.measures > 0);
    // Each survey, opinion and pledge was recorded on its own day, not on the day of loading.
    let data = app
        .ok(
            "{ satisfactionSurveys { nodes { heldOn history(first: 1) { edges { node { occurredAt } } } } } feedback(first: 100) { nodes { receivedOn createdAt } } commitments { nodes { createdAt fulfilledOn history(first: 1) { edges { node { action occurredAt } } } } } }",
            json!({}),
        )
        .await;
    for s in data["satisfactionSurveys"]["nodes"].as_array().unwrap() {
        assert_eq!(
            local_date(&s["history"]["edges"][0]["node"]["occurredAt"]),
            s["heldOn"],
            "{s}"
        );
    }
    for f in data["feedback"]["nodes"].as_array().unwrap() {
        assert_eq!(local_date(&f["createdAt"]), f["receivedOn"], "{f}");
    }
    let pledges = data["commitments"]["nodes"].as_array().unwrap();
    assert_eq!(pledges.len(), 4);
    for c in pledges {
        // Pledged when the campaign began, 100 days before; fulfilled (if kept) that day.
        assert_eq!(local_date(&c["createdAt"]), "2026-08-23", "{c}");
        if !c["fulfilledOn"].is_null() {
            let last = &c["history"]["edges"][0]["node"];
            assert_eq!(
                (&last["action"], local_date(&last["occurredAt"])),
                (
                    &json!("commitment.fulfil"),
                    c["fulfilledOn"].as_str().unwrap().to_owned()
                ),
                "{c}"
            );
        }
    }
    // The trail runs in time order: no event happened before the one chained before it.
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM audit_event a JOIN audit_event b ON b.seq = a.seq + 1 WHERE b.occurred_at < a.occurred_at",
        ))
        .await
        .unwrap()
        .unwrap();
    let backwards: i64 = row.try_get("", "n").unwrap();
    assert_eq!(backwards, 0, "events out of time order");
}

on_both_engines!(
    the_demo_ledger_loads_with_overdue_and_closed_measures_and_an_intact_trail,
    the_demo_bulletin_of_the_last_half_month_reports_the_surveys_held_in_it,
    the_demo_records_every_fact_at_its_day_and_its_trail_in_time_order
);
