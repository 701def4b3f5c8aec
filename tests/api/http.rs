use serde_json::{json, Value};

use crate::helpers::{spawn_app, Engine, TestApp};

async fn body_json(
    mut response: awc::ClientResponse<
        impl futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>> + Unpin,
    >,
) -> Value {
    response.json::<Value>().limit(1 << 20).await.expect("json")
}

async fn app() -> TestApp {
    spawn_app(Engine::Sqlite).await
}

#[actix_web::test]
async fn healthz_reports_a_working_database() {
    let app = app().await;
    let response = app.client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(body_json(response).await, json!({"status": "ok"}));
}

#[actix_web::test]
async fn a_browser_gets_graphiql_on_get() {
    let app = app().await;
    let mut response = app
        .client()
        .get(app.url("/graphql"))
        .insert_header(("Accept", "text/html"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body = response.body().await.unwrap();
    let html = String::from_utf8_lossy(&body);
    // The page built into the binary (web/dist/graphiql.html), not one that loads a CDN.
    assert!(
        html.contains("id=\"graphiql\"") && html.contains("src=\"/assets/graphiql-"),
        "{html}"
    );
}

#[actix_web::test]
async fn queries_work_over_get_but_mutations_do_not() {
    let app = app().await;
    let head = app.head_seq().await;
    let response = app
        .client()
        .get(app.url("/graphql?query=%7B%20auditHead%20%7B%20seq%20%7D%20%7D"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(body_json(response).await["data"]["auditHead"]["seq"], head);
    let mutation = "mutation%20%7B%20createCampaign(input%3A%20%7Bname%3A%20%22x%22%2C%20startsOn%3A%20%222026-01-01%22%7D)%20%7B%20campaign%20%7B%20id%20%7D%20%7D%20%7D";
    let response = app
        .client()
        .get(app.url(&format!("/graphql?query={mutation}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(app.head_seq().await, head);
}

#[actix_web::test]
async fn malformed_and_oversized_requests_are_refused() {
    let app = app().await;
    let response = app
        .client()
        .post(app.url("/graphql"))
        .insert_header(("Content-Type", "application/json"))
        .send_body("{not json")
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(
        body_json(response).await["errors"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
    let huge = json!({"query": format!("{{ auditHead {{ seq }} }} # {}", "x".repeat(70 * 1024))});
    let response = app.client().post(app.url("/graphql")).send_json(&huge).await.unwrap();
    assert_eq!(response.status(), 413);
}

#[actix_web::test]
async fn spec_clients_get_400_for_documents_that_do_not_validate() {
    let app = app().await;
    let bad = json!({"query": "{ units { nope } }"});
    let response = app
        .client()
        .post(app.url("/graphql"))
        .insert_header(("Accept", "application/graphql-response+json"))
        .send_json(&bad)
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert!(response
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("application/graphql-response+json"));
    let body = body_json(response).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("nope"));
    // An error raised while executing (here NOT_FOUND) is a GraphQL result, not a bad request.
    let missing = json!({"query": "mutation { updateUnit(input: {id: \"0190f5d2-0000-7000-8000-000000000000\", expectedVersion: 1, name: \"x\"}) { unit { id } } }"});
    let response = app
        .client()
        .post(app.url("/graphql"))
        .insert_header(("Accept", "application/graphql-response+json"))
        .send_json(&missing)
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        body_json(response).await["errors"][0]["extensions"]["code"],
        "NOT_FOUND"
    );
    let legacy = app.client().post(app.url("/graphql")).send_json(&bad).await.unwrap();
    assert_eq!(legacy.status(), 200);
    assert!(legacy
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("application/json"));
}

#[actix_web::test]
async fn too_deep_and_too_complex_queries_get_a_clear_error() {
    let app = app().await;
    let mut deep = String::from("id");
    for _ in 0..14 {
        deep = format!("parent {{ {deep} }}");
    }
    let err = app
        .err(&format!("{{ units {{ edges {{ node {{ {deep} }} }} }} }}"), json!({}))
        .await;
    assert_eq!(err.code, "BAD_USER_INPUT");
    assert!(err.message.to_lowercase().contains("too deep"), "{err:?}");
    let node = "edges { node { id name shortCode kind version sortOrder archived createdAt updatedAt children { id name } head { name } } }";
    let wide: String = (0..60)
        .map(|i| format!("a{i}: units(first: 100) {{ {node} }} "))
        .collect();
    let err = app.err(&format!("{{ {wide} }}"), json!({})).await;
    assert_eq!(err.code, "BAD_USER_INPUT");
    assert!(err.message.to_lowercase().contains("too complex"), "{err:?}");
    // verifyAudit reads the whole trail: a handful of aliases is already too much.
    let verifies: String = (0..5).map(|i| format!("v{i}: verifyAudit {{ ok }} ")).collect();
    let err = app.err(&format!("{{ {verifies} }}"), json!({})).await;
    assert!(err.message.to_lowercase().contains("too complex"), "{err:?}");
    // An ordinary page of 100 measures with its links is within the limits.
    app.ok("{ measures(first: 100) { edges { node { id problem { code } leadUnit { name } cooperatingUnits { name } responsiblePerson { name } } } } }", json!({})).await;
}
