//! Ranking as offices rank: within ranking categories (县直部门, 乡镇), a 股室's measures counted
//! for its department and the department's survey applied, weights stored with the campaign,
//! and 排后约谈 issued as supervision actions, not left a flag.

use serde_json::{json, Value};

use crate::helpers::{start_and_close_out, step, TestApp};
use crate::on_both_engines;

const RANKING: &str = "query($c: ID!, $b: Int) { unitRanking(campaignId: $c, bottom: $b) { rows { category rank rankedInCategory score total unit { shortCode } satisfactionRate flaggedForTalk } } }";
const SET_WEIGHTS: &str = "mutation($i: SetRankingWeightsInput!) { setRankingWeights(input: $i) { campaign { version rankingWeightsSet rankingWeights { completion overduePenalty relapsePenalty } } } }";
const TALKS: &str = "mutation($i: IssueRankingTalksInput!) { issueRankingTalks(input: $i) { supervisionActions { kind content responseDue targetUnit { shortCode } measure { leadUnit { shortCode } } } } }";

/// (category, rank, unit, score, flagged) of each row.
fn rows(data: &Value) -> Vec<(String, i64, String, f64, bool)> {
    data["unitRanking"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["category"].as_str().unwrap_or("未分类").to_owned(),
                r["rank"].as_i64().unwrap(),
                r["unit"]["shortCode"].as_str().unwrap().to_owned(),
                r["score"].as_f64().unwrap(),
                r["flaggedForTalk"].as_bool().unwrap(),
            )
        })
        .collect()
}

async fn set_category(app: &TestApp, unit: &str, category: &str) {
    let q = "mutation($i: UpdateUnitInput!) { updateUnit(input: $i) { unit { rankingCategory } } }";
    let done = app
        .ok(
            q,
            json!({"i": {"id": unit, "expectedVersion": 1, "rankingCategory": category}}),
        )
        .await;
    assert_eq!(done["updateUnit"]["unit"]["rankingCategory"], category);
}

/// A campaign where 县水利局's measure is led by its 股室 and 河西乡's by a village branch.
async fn ranked_county(app: &TestApp) -> (crate::helpers::Fixture, Vec<String>) {
    let f = app.fixture().await;
    let town = app.create_unit("城关镇", "QS-CGZ", "TOWNSHIP", Some(&f.county)).await;
    let village = app.create_unit("河西乡", "QS-HXX", "TOWNSHIP", Some(&f.county)).await;
    let branch = app
        .create_unit("河西乡东坪村党支部", "QS-HXX-DP", "BRANCH", Some(&village))
        .await;
    for unit in [&f.water, &f.education] {
        set_category(app, unit, "县直部门").await;
    }
    for unit in [&town, &village] {
        set_category(app, unit, "乡镇").await;
    }
    let supervisor = app
        .account("ducha", "县委督查组", Some(("SUPERVISOR", None)), None)
        .await;
    let problem = app.create_problem(&f, "A-001", &f.county, "HIGH").await;
    let mut ids = Vec::new();
    for (unit, deadline) in [
        (&f.water_division, "2026-07-31"),
        (&f.education, "2026-06-20"),
        (&town, "2026-07-31"),
        (&branch, "2026-06-20"),
    ] {
        ids.push(
            app.create_measure(&f, &problem, unit, &[], deadline).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    for i in [0, 2] {
        start_and_close_out(app, &supervisor, &ids[i]).await;
    }
    for i in [1, 3] {
        let input = json!({"id": ids[i], "expectedVersion": 1});
        step(app, None, "startMeasure", "MeasureTransitionInput", input).await;
    }
    // The department is surveyed at 90 %; its 股室 at 50 %, which does not count.
    let survey =
        "mutation($i: RecordSatisfactionSurveyInput!) { recordSatisfactionSurvey(input: $i) { survey { id } } }";
    for (unit, satisfied) in [(&f.water, 45), (&f.water_division, 25)] {
        let input = json!({"i": {"campaignId": f.campaign, "unitId": unit, "heldOn": "2026-06-28", "method": "REPRESENTATIVES",
                                 "participants": 50, "satisfied": satisfied, "basicallySatisfied": 0, "dissatisfied": 50 - satisfied}});
        app.ok(survey, input).await;
    }
    (f, ids)
}

async fn units_are_ranked_within_their_category_and_sub_units_count_for_their_department(app: TestApp) {
    let (f, _) = ranked_county(&app).await;
    let data = app.ok(RANKING, json!({"c": f.campaign, "b": 1})).await;
    // 县水利局: 100 × (0.4 + 0.4 + 0.2 × 0.9) = 98, from its 股室's measure and its own survey.
    // 县教育局 and 河西乡 (its village branch's measure): nothing closed, one overdue, −2.
    assert_eq!(
        rows(&data),
        vec![
            ("乡镇".to_owned(), 1, "QS-CGZ".to_owned(), 100.0, false),
            ("乡镇".to_owned(), 2, "QS-HXX".to_owned(), -2.0, true),
            ("县直部门".to_owned(), 1, "QS-SLJ".to_owned(), 98.0, false),
            ("县直部门".to_owned(), 2, "QS-JYJ".to_owned(), -2.0, true),
        ],
        "{data}"
    );
    let water = &data["unitRanking"]["rows"][2];
    assert_eq!(
        (water["total"].as_i64(), water["satisfactionRate"].as_f64()),
        (Some(1), Some(0.9))
    );
    assert_eq!(water["rankedInCategory"], 2);
    // As of that instant, the ranking stays the one taken then, whatever the tree became.
    let instant = app.ok("{ ledgerStats { asOf } }", json!({})).await["ledgerStats"]["asOf"].clone();
    app.clock.advance(chrono::Duration::minutes(1));
    let q = "mutation($i: UpdateUnitInput!) { updateUnit(input: $i) { unit { rankingCategory } } }";
    app.ok(
        q,
        json!({"i": {"id": f.education, "expectedVersion": 2, "rankingCategory": "乡镇"}}),
    )
    .await;
    let moved = app.ok(RANKING, json!({"c": f.campaign, "b": 1})).await;
    assert!(
        rows(&moved).iter().any(|r| r.0 == "乡镇" && r.2 == "QS-JYJ"),
        "县教育局 now ranks with the townships: {moved}"
    );
    let at = "query($c: ID!, $b: Int, $t: DateTime) { unitRanking(campaignId: $c, bottom: $b, asOf: $t) { rows { category rank rankedInCategory score total unit { shortCode } satisfactionRate flaggedForTalk } } }";
    let then = app.ok(at, json!({"c": f.campaign, "b": 1, "t": instant})).await;
    assert_eq!(
        then["unitRanking"]["rows"], data["unitRanking"]["rows"],
        "as of the instant"
    );
    // A unit ranked alone is not flagged for being last of one, nor are units all tied.
    let lone = app
        .create_unit("县信访局", "QS-XFJ", "DEPARTMENT", Some(&f.county))
        .await;
    set_category(&app, &lone, "信访").await;
    let problem = app.create_problem(&f, "X-001", &lone, "LOW").await;
    app.create_measure(&f, &problem, &lone, &[], "2026-06-01").await;
    let data = app.ok(RANKING, json!({"c": f.campaign, "b": 3})).await;
    let alone: Vec<_> = rows(&data).into_iter().filter(|r| r.0 == "信访").collect();
    assert_eq!(alone, vec![("信访".to_owned(), 1, "QS-XFJ".to_owned(), -2.0, false)]);
    let twin = app
        .create_unit("县档案局", "QS-DAJ", "DEPARTMENT", Some(&f.county))
        .await;
    set_category(&app, &twin, "信访").await;
    app.create_measure(&f, &problem, &twin, &[], "2026-06-01").await;
    let data = app.ok(RANKING, json!({"c": f.campaign, "b": 3})).await;
    let tied: Vec<_> = rows(&data).into_iter().filter(|r| r.0 == "信访").collect();
    assert!(
        tied.iter().all(|r| r.1 == 1 && !r.4),
        "all tied with the best, none flagged: {tied:?}"
    );
    // A category is checked like any text.
    let q = "mutation($i: UpdateUnitInput!) { updateUnit(input: $i) { unit { id } } }";
    let e = app
        .err(
            q,
            json!({"i": {"id": lone, "expectedVersion": 2, "rankingCategory": "类".repeat(51)}}),
        )
        .await;
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        ("BAD_USER_INPUT", Some("rankingCategory"))
    );
}

async fn a_campaign_keeps_its_ranking_weights_and_the_lowest_are_summoned(app: TestApp) {
    let (f, _) = ranked_county(&app).await;
    let liaison = app
        .account("slj", "县水利局联络员", Some(("EDITOR", Some(&f.water))), None)
        .await;
    let head = app.head_seq().await;
    let heavier = |version: i64, completion: f64| json!({"i": {"campaignId": f.campaign, "expectedVersion": version, "weights": {"completion": completion, "overduePenalty": 10}}});
    assert_eq!(
        app.err_as(&liaison, SET_WEIGHTS, heavier(1, 0.4)).await.code,
        "FORBIDDEN"
    );
    assert_eq!(app.err(SET_WEIGHTS, heavier(9, 0.4)).await.code, "CONFLICT");
    let bad = app.err(SET_WEIGHTS, heavier(1, -1.0)).await;
    assert_eq!(
        (bad.code.as_str(), bad.field.as_deref()),
        ("BAD_USER_INPUT", Some("weights"))
    );
    assert_eq!(app.head_seq().await, head, "refusals write nothing");

    let set = app.ok(SET_WEIGHTS, heavier(1, 0.4)).await;
    assert_eq!(
        set["setRankingWeights"]["campaign"],
        json!({"version": 2, "rankingWeightsSet": true, "rankingWeights": {"completion": 0.4, "overduePenalty": 10.0, "relapsePenalty": 3.0}})
    );
    let data = app.ok(RANKING, json!({"c": f.campaign, "b": 1})).await;
    let education = rows(&data).into_iter().find(|r| r.2 == "QS-JYJ").unwrap();
    assert_eq!(education.3, -10.0, "the campaign's overdue penalty applies: {data}");

    // 排后约谈: one TALK to each flagged unit, in one change; asked again, nobody twice.
    let past = json!({"i": {"campaignId": f.campaign, "bottom": 1, "responseDue": "2026-06-01"}});
    let e = app.err(TALKS, past).await;
    assert_eq!(e.field.as_deref(), Some("responseDue"));
    assert_eq!(
        app.err_as(&liaison, TALKS, json!({"i": {"campaignId": f.campaign}}))
            .await
            .code,
        "FORBIDDEN"
    );
    let input = json!({"i": {"campaignId": f.campaign, "bottom": 1, "responseDue": "2026-07-10"}});
    let issued = app.ok(TALKS, input.clone()).await["issueRankingTalks"]["supervisionActions"].clone();
    let targets: Vec<&str> = issued
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["targetUnit"]["shortCode"].as_str().unwrap())
        .collect();
    assert_eq!(targets, ["QS-HXX", "QS-JYJ"]);
    assert_eq!(
        (issued[0]["kind"].as_str(), issued[0]["responseDue"].as_str()),
        (Some("TALK"), Some("2026-07-10"))
    );
    // Filed under a measure of the unit's in this campaign (the branch's, for 河西乡).
    assert_eq!(issued[0]["measure"]["leadUnit"]["shortCode"], "QS-HXX-DP");
    let text = issued[0]["content"].as_str().unwrap();
    assert!(text.contains("河西乡在乡镇中列第2名（共2个单位"), "{text}");
    let again = app.ok(TALKS, input).await;
    assert_eq!(
        again["issueRankingTalks"]["supervisionActions"],
        json!([]),
        "already summoned"
    );
    let listed = app
        .ok("{ supervisionActions(filter: {kind: TALK}) { totalCount } }", json!({}))
        .await;
    assert_eq!(listed["supervisionActions"]["totalCount"], 2);
    // Back to the defaults.
    let reset = json!({"i": {"campaignId": f.campaign, "expectedVersion": 2, "weights": null}});
    let done = app.ok(SET_WEIGHTS, reset).await;
    assert_eq!(done["setRankingWeights"]["campaign"]["rankingWeightsSet"], false);
    assert_eq!(
        done["setRankingWeights"]["campaign"]["rankingWeights"]["overduePenalty"],
        2.0
    );
}

on_both_engines!(
    units_are_ranked_within_their_category_and_sub_units_count_for_their_department,
    a_campaign_keeps_its_ranking_weights_and_the_lowest_are_summoned,
);
