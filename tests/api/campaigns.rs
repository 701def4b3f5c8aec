use serde_json::json;

use crate::helpers::{TestApp, CREATE_CAMPAIGN};
use crate::on_both_engines;

const UPDATE_CAMPAIGN: &str =
    "mutation($i: UpdateCampaignInput!) { updateCampaign(input: $i) { campaign { version phase startsOn endsOn description } } }";

async fn campaigns_are_created_updated_and_listed(app: TestApp) {
    let created = app
        .ok(
            CREATE_CAMPAIGN,
            json!({"i": {"name": "第二批学习实践活动", "description": "县直部门", "startsOn": "2026-04-01", "endsOn": "2026-09-30"}}),
        )
        .await;
    let id = created["createCampaign"]["campaign"]["id"].as_str().unwrap().to_owned();
    let updated = app
        .ok(
            UPDATE_CAMPAIGN,
            json!({"i": {"id": id, "expectedVersion": 1, "phase": "ANALYSIS", "endsOn": null}}),
        )
        .await;
    let c = &updated["updateCampaign"]["campaign"];
    assert_eq!(
        (c["phase"].as_str(), c["version"].as_i64()),
        (Some("ANALYSIS"), Some(2))
    );
    assert!(c["endsOn"].is_null());
    assert_eq!(c["startsOn"], "2026-04-01");
    let list = app
        .ok(
            "{ campaigns(filter: {phase: ANALYSIS}) { totalCount edges { node { name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(list["campaigns"]["edges"][0]["node"]["name"], "第二批学习实践活动");
}

async fn campaign_dates_and_names_are_checked(app: TestApp) {
    let head = app.head_seq().await;
    let err = app
        .err(
            CREATE_CAMPAIGN,
            json!({"i": {"name": "活动", "startsOn": "2026-04-01", "endsOn": "2026-03-01"}}),
        )
        .await;
    assert_eq!(
        (err.code.as_str(), err.field.as_deref()),
        ("BAD_USER_INPUT", Some("endsOn"))
    );
    let err = app
        .err(CREATE_CAMPAIGN, json!({"i": {"name": " ", "startsOn": "2026-04-01"}}))
        .await;
    assert_eq!(err.field.as_deref(), Some("name"));
    let err = app
        .err(
            CREATE_CAMPAIGN,
            json!({"i": {"name": "活动", "startsOn": "2026-02-30"}}),
        )
        .await;
    assert_eq!(err.code, "BAD_USER_INPUT");
    assert!(err.message.contains("YYYY-MM-DD"), "{err:?}");
    // Only the ten-character form: chrono alone would read 2026-1-1 as a date.
    for loose in ["2026-1-1", "2026-01-1", " 2026-01-01", "2026/01/01", "2026-02-30"] {
        let err = app
            .err(CREATE_CAMPAIGN, json!({"i": {"name": "活动", "startsOn": loose}}))
            .await;
        assert_eq!(err.code, "BAD_USER_INPUT", "{loose}: {err:?}");
        assert!(
            err.message.contains(&format!("\"{loose}\" is not a date")),
            "{loose}: {err:?}"
        );
    }
    // A value of the wrong type written in the document names its argument as `field`.
    let err = app
        .err("{ units(filter: {search: 5}) { totalCount } }", json!({}))
        .await;
    assert_eq!(
        (err.code.as_str(), err.field.as_deref()),
        ("BAD_USER_INPUT", Some("filter.search")),
        "{err:?}"
    );
    let err = app
        .err(
            CREATE_CAMPAIGN,
            json!({"i": {"name": "活动", "startsOn": "-9999-01-01"}}),
        )
        .await;
    assert_eq!(err.code, "BAD_USER_INPUT", "{err:?}");
    assert_eq!(app.head_seq().await, head);
}

on_both_engines!(
    campaigns_are_created_updated_and_listed,
    campaign_dates_and_names_are_checked
);
