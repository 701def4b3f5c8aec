use serde_json::json;

use crate::helpers::{spawn_app, Engine};

#[test]
fn schema_graphql_equals_the_served_schema() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let served = taizhang::graphql::sdl();
    assert!(
        committed == served,
        "schema.graphql differs from the served schema; regenerate it with `cargo run -- schema > schema.graphql` and review the diff"
    );
}

#[actix_web::test]
async fn the_core_operation_names_are_served() {
    let app = spawn_app(Engine::Sqlite).await;
    let data = app
        .ok(
            "{ __schema { queryType { fields { name } } mutationType { fields { name } } } }",
            json!({}),
        )
        .await;
    let names = |kind: &str| -> Vec<String> {
        data["__schema"][kind]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let queries = names("queryType");
    for q in [
        "node",
        "units",
        "people",
        "campaigns",
        "problems",
        "measures",
        "auditEvents",
        "auditHead",
        "verifyAudit",
    ] {
        assert!(queries.iter().any(|n| n == q), "query {q} missing");
    }
    let mutations = names("mutationType");
    for m in [
        "createUnit",
        "updateUnit",
        "archiveUnit",
        "createPerson",
        "updatePerson",
        "archivePerson",
        "createCampaign",
        "updateCampaign",
        "createProblem",
        "updateProblem",
        "archiveProblem",
        "createMeasure",
        "updateMeasure",
    ] {
        assert!(mutations.iter().any(|n| n == m), "mutation {m} missing");
    }
}
