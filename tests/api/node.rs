use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_engines;

async fn node_resolves_every_object_type(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let measure = app.create_measure(&f, &problem, &f.water, &[], "2026-07-31").await;
    let ids = [
        (f.water.clone(), "Unit"),
        (f.person.clone(), "Person"),
        (f.campaign.clone(), "Campaign"),
        (problem, "Problem"),
        (measure["id"].as_str().unwrap().to_owned(), "Measure"),
        ("audit-event:1".to_owned(), "AuditEvent"),
    ];
    for (id, typename) in ids {
        let data = app
            .ok("query($id: ID!) { node(id: $id) { __typename id } }", json!({"id": id}))
            .await;
        assert_eq!(data["node"]["__typename"], typename);
        assert_eq!(data["node"]["id"], id.as_str());
    }
    for missing in [
        uuid::Uuid::now_v7().to_string(),
        "garbage".to_owned(),
        "audit-event:999999".to_owned(),
    ] {
        let data = app
            .ok("query($id: ID!) { node(id: $id) { id } }", json!({"id": missing}))
            .await;
        assert!(data["node"].is_null(), "{missing}");
    }
}

on_both_engines!(node_resolves_every_object_type);
