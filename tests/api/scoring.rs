//! 考核: 加分/减分 items proposed by one supervisor, approved or refused by another; an
//! approved item changes the ranking from the instant of its approval (as of before, the
//! ranking is unchanged), the bulletin shows both parts of the score, and every refusal writes
//! nothing.

use serde_json::{json, Value};

use crate::helpers::{start_and_close_out, TestApp};
use crate::on_both_engines;

const PROPOSE: &str = "mutation($i: ProposeScoreAdjustmentInput!) { proposeScoreAdjustment(input: $i) { scoreAdjustment { id version kind points signedPoints status proposerName unit { shortCode } } } }";
const DECIDE: &str = "mutation($i: DecideScoreAdjustmentInput!) { decideScoreAdjustment(input: $i) { scoreAdjustment { version status deciderName decidedAt decisionNote } } }";
const RANKING: &str = "query($c: ID!, $t: DateTime) { unitRanking(campaignId: $c, bottom: 0, asOf: $t) { rows { rank unit { shortCode } computedScore adjustment score } } }";

fn rows(data: &Value) -> Vec<(i64, String, f64, f64, f64)> {
    data["unitRanking"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["rank"].as_i64().unwrap(),
                r["unit"]["shortCode"].as_str().unwrap().to_owned(),
                r["computedScore"].as_f64().unwrap(),
                r["adjustment"].as_f64().unwrap(),
                r["score"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn item(campaign: &str, unit: &str, kind: &str, points: f64) -> Value {
    json!({"i": {"campaignId": campaign, "unitId": unit, "kind": kind, "points": points,
                 "item": "未按时报送半月报", "basis": "《整改工作考核办法》第十二条：迟报一次扣30分",
                 "evidence": "6月15日半月报迟报记录（督查组登记簿第3页）"}})
}

/// 县水利局 closes its one measure (100); 县教育局 closes one of two (75), both 县直部门.
async fn two_departments(app: &TestApp) -> (crate::helpers::Fixture, String, String) {
    let f = app.fixture().await;
    let proposer = app.account("kaohe", "县考核办", Some(("SUPERVISOR", None)), None).await;
    let decider = app
        .account("weiyuanhui", "县考核委员会", Some(("SUPERVISOR", None)), None)
        .await;
    let q = "mutation($i: UpdateUnitInput!) { updateUnit(input: $i) { unit { rankingCategory } } }";
    for unit in [&f.water, &f.education] {
        app.ok(
            q,
            json!({"i": {"id": unit, "expectedVersion": 1, "rankingCategory": "县直部门"}}),
        )
        .await;
    }
    let problem = app.create_problem(&f, "A-001", &f.county, "HIGH").await;
    for (unit, deadline, close) in [
        (&f.water, "2026-07-31", true),
        (&f.education, "2026-07-31", true),
        (&f.education, "2026-08-31", false),
    ] {
        let m = app.create_measure(&f, &problem, unit, &[], deadline).await;
        if close {
            start_and_close_out(app, &proposer, m["id"].as_str().unwrap()).await;
        }
    }
    (f, proposer, decider)
}

async fn an_approved_deduction_changes_the_ranking_from_its_approval_and_a_refused_item_counts_nothing(app: TestApp) {
    let (f, proposer, decider) = two_departments(&app).await;
    let plain = vec![
        (1, "QS-SLJ".to_owned(), 100.0, 0.0, 100.0),
        (2, "QS-JYJ".to_owned(), 75.0, 0.0, 75.0),
    ];
    assert_eq!(rows(&app.ok(RANKING, json!({"c": f.campaign})).await), plain);
    let proposed = app
        .ok_as(&proposer, PROPOSE, item(&f.campaign, &f.water, "DEDUCTION", 30.0))
        .await["proposeScoreAdjustment"]["scoreAdjustment"]
        .clone();
    assert_eq!(
        (
            proposed["status"].as_str(),
            proposed["signedPoints"].as_f64(),
            proposed["proposerName"].as_str()
        ),
        (Some("PROPOSED"), Some(-30.0), Some("县考核办"))
    );
    assert_eq!(
        rows(&app.ok(RANKING, json!({"c": f.campaign})).await),
        plain,
        "a proposal counts nothing"
    );
    let decide = |approve: bool, note: Option<&str>| json!({"i": {"id": proposed["id"], "expectedVersion": 1, "approve": approve, "note": note}});
    // viewerCanDecide answers what the mutation then does.
    let can = "query($id: ID!) { node(id: $id) { ... on ScoreAdjustment { viewerCanDecide } } }";
    let id = json!({"id": proposed["id"]});
    let app = &app;
    let can_decide = |token: &String| {
        let (token, id) = (token.clone(), id.clone());
        async move { app.ok_as(&token, can, id).await }
    };
    assert_eq!(can_decide(&proposer).await["node"]["viewerCanDecide"], false);
    assert_eq!(can_decide(&decider).await["node"]["viewerCanDecide"], true);
    let own = app.err_as(&proposer, DECIDE, decide(true, None)).await;
    assert_eq!(own.code, "FORBIDDEN", "the proposer does not decide: {own:?}");
    let instant = app.ok("{ ledgerStats { asOf } }", json!({})).await["ledgerStats"]["asOf"].clone();
    app.clock.advance(chrono::Duration::minutes(1));
    let approved =
        app.ok_as(&decider, DECIDE, decide(true, None)).await["decideScoreAdjustment"]["scoreAdjustment"].clone();
    assert_eq!(
        (
            approved["status"].as_str(),
            approved["deciderName"].as_str(),
            approved["version"].as_i64()
        ),
        (Some("APPROVED"), Some("县考核委员会"), Some(2))
    );
    assert_eq!(
        can_decide(&decider).await["node"]["viewerCanDecide"],
        false,
        "decided already"
    );
    let deducted = app.ok(RANKING, json!({"c": f.campaign})).await;
    assert_eq!(
        rows(&deducted),
        vec![
            (1, "QS-JYJ".to_owned(), 75.0, 0.0, 75.0),
            (2, "QS-SLJ".to_owned(), 100.0, -30.0, 70.0),
        ],
        "{deducted}"
    );
    let then = app.ok(RANKING, json!({"c": f.campaign, "t": instant})).await;
    assert_eq!(rows(&then), plain, "as of before the approval");
    let twice = app
        .err_as(
            &decider,
            DECIDE,
            json!({"i": {"id": proposed["id"], "expectedVersion": 2, "approve": false, "note": "重议"}}),
        )
        .await;
    assert_eq!(
        (twice.code.as_str(), twice.field.as_deref()),
        ("BAD_USER_INPUT", Some("id"))
    );

    // A bonus refused (with a note) counts nothing.
    let bonus = app
        .ok_as(&proposer, PROPOSE, item(&f.campaign, &f.education, "BONUS", 2.5))
        .await["proposeScoreAdjustment"]["scoreAdjustment"]["id"]
        .clone();
    let refuse = |note: Option<&str>| json!({"i": {"id": bonus, "expectedVersion": 1, "approve": false, "note": note}});
    let bare = app.err_as(&decider, DECIDE, refuse(None)).await;
    assert_eq!(
        (bare.code.as_str(), bare.field.as_deref()),
        ("BAD_USER_INPUT", Some("note"))
    );
    let refused = app
        .ok_as(&decider, DECIDE, refuse(Some("佐证材料不足，不予认定")))
        .await;
    assert_eq!(refused["decideScoreAdjustment"]["scoreAdjustment"]["status"], "REFUSED");
    assert_eq!(rows(&app.ok(RANKING, json!({"c": f.campaign})).await), rows(&deducted));
    let list = "query($f: ScoreAdjustmentFilter) { scoreAdjustments(filter: $f) { totalCount nodes { status item } } }";
    let approved_only = app
        .ok(list, json!({"f": {"campaignId": f.campaign, "status": "APPROVED"}}))
        .await;
    assert_eq!(approved_only["scoreAdjustments"]["totalCount"], 1);
    let outsider = app
        .account("jyj", "县教育局", Some(("VIEWER", Some(&f.education))), None)
        .await;
    let seen = app
        .ok_as(&outsider, list, json!({"f": {"campaignId": f.campaign}}))
        .await;
    assert_eq!(
        seen["scoreAdjustments"]["totalCount"], 1,
        "only its own unit's items: {seen}"
    );

    // The bulletin shows both parts of the score.
    app.clock.advance(chrono::Duration::minutes(1));
    let generate = "mutation($i: GenerateBulletinInput!) { generateBulletin(input: $i) { bulletin { markdown } } }";
    let b = app
        .ok_as(
            &decider,
            generate,
            json!({"i": {"campaignId": f.campaign, "period": {"from": "2026-06-16", "to": "2026-06-30"}}}),
        )
        .await;
    let md = b["generateBulletin"]["bulletin"]["markdown"].as_str().unwrap();
    for expected in [
        "| 类别 | 名次 | 单位 | 计算得分 | 考核加减分 | 得分 |",
        "| 县直部门 | 1 | 县教育局 | 75.00 | +0.00 | 75.00 |",
        "| 县直部门 | 2 | 县水利局 | 100.00 | -30.00 | 70.00 |",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in\n{md}");
    }
}

async fn bad_score_adjustments_are_refused_and_write_nothing(app: TestApp) {
    let (f, proposer, decider) = two_departments(&app).await;
    let education_supervisor = app
        .account(
            "jyj-ducha",
            "县教育局督查",
            Some(("SUPERVISOR", Some(&f.education))),
            None,
        )
        .await;
    let water_supervisor = app
        .account("slj-ducha", "县水利局督查", Some(("SUPERVISOR", Some(&f.water))), None)
        .await;
    let editor = app
        .account("slj", "县水利局联络员", Some(("EDITOR", Some(&f.water))), None)
        .await;
    let proposed = app
        .ok_as(&proposer, PROPOSE, item(&f.campaign, &f.water, "DEDUCTION", 3.0))
        .await["proposeScoreAdjustment"]["scoreAdjustment"]["id"]
        .clone();
    let head = app.head_seq().await;
    let with = |field: &str, value: Value| {
        let mut v = item(&f.campaign, &f.water, "DEDUCTION", 3.0);
        v["i"][field] = value;
        v
    };
    for (input, field) in [
        (with("points", json!(0)), "points"),
        (with("points", json!(100.01)), "points"),
        (with("points", json!(1.234)), "points"),
        (with("points", json!(-5)), "points"),
        (with("item", json!(" ")), "item"),
        (with("basis", json!("据".repeat(1001))), "basis"),
        (with("evidence", json!("")), "evidence"),
        (with("unitId", json!("0190b6f5-0000-7000-8000-000000000000")), "unitId"),
        (
            with("campaignId", json!("0190b6f5-0000-7000-8000-000000000000")),
            "campaignId",
        ),
        (with("unitId", json!("not-an-id")), "unitId"),
    ] {
        let e = app.err_as(&proposer, PROPOSE, input.clone()).await;
        assert_eq!(
            (e.code.as_str(), e.field.as_deref()),
            ("BAD_USER_INPUT", Some(field)),
            "{input}: {e:?}"
        );
    }
    let good = item(&f.campaign, &f.water, "DEDUCTION", 3.0);
    for token in [&education_supervisor, &editor] {
        assert_eq!(app.err_as(token, PROPOSE, good.clone()).await.code, "FORBIDDEN");
    }
    assert_eq!(app.err_anonymous(PROPOSE, good).await.code, "UNAUTHENTICATED");
    let decide = |version: i64| json!({"i": {"id": proposed, "expectedVersion": version, "approve": true}});
    // Deciding is the whole county's: a supervisor of the unit alone may not.
    assert_eq!(app.err_as(&water_supervisor, DECIDE, decide(1)).await.code, "FORBIDDEN");
    assert_eq!(app.err_as(&decider, DECIDE, decide(5)).await.code, "CONFLICT");
    let missing = json!({"i": {"id": "0190b6f5-0000-7000-8000-000000000000", "expectedVersion": 1, "approve": true}});
    assert_eq!(app.err_as(&decider, DECIDE, missing).await.code, "NOT_FOUND");
    assert_eq!(app.head_seq().await, head, "refusals write nothing");
}

on_both_engines!(
    an_approved_deduction_changes_the_ranking_from_its_approval_and_a_refused_item_counts_nothing,
    bad_score_adjustments_are_refused_and_write_nothing
);
