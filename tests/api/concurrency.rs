use futures_util::future::join_all;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_engines;

const CLIENTS: usize = 16;
const MUTATIONS_PER_CLIENT: usize = 50;

/// One client: mostly new people, every fifth mutation a rename of a shared unit with the
/// version it last saw (so some of those lose the race and get CONFLICT). Returns how many
/// mutations were accepted.
async fn client(app: &TestApp, unit: &str, client: usize) -> (usize, usize) {
    let (mut accepted, mut conflicts) = (0, 0);
    let mut version = 1;
    for i in 0..MUTATIONS_PER_CLIENT {
        let body = if i % 5 == 0 {
            app.post(
                "mutation($i: UpdateUnitInput!) { updateUnit(input: $i) { unit { version } } }",
                json!({"i": {"id": unit, "expectedVersion": version, "name": format!("县水利局-{client}-{i}")}}),
            )
            .await
        } else {
            app.post(
                "mutation($i: CreatePersonInput!) { createPerson(input: $i) { person { id } } }",
                json!({"i": {"name": format!("联络员{client}-{i}"), "unitId": unit}}),
            )
            .await
        };
        match body["errors"][0]["extensions"]["code"].as_str() {
            None => accepted += 1,
            Some("CONFLICT") => {
                conflicts += 1;
                let current = app
                    .ok(
                        "query($id: ID!) { node(id: $id) { ... on Unit { version } } }",
                        json!({"id": unit}),
                    )
                    .await;
                version = current["node"]["version"].as_i64().unwrap();
                continue;
            }
            Some(other) => panic!("unexpected error {other}: {body}"),
        }
        if let Some(v) = body["data"]["updateUnit"]["unit"]["version"].as_i64() {
            version = v;
        }
    }
    (accepted, conflicts)
}

async fn sixteen_concurrent_clients_leave_a_gapless_valid_chain(app: TestApp) {
    let unit = app.create_unit("县水利局", "QS-SLJ", "DEPARTMENT", None).await;
    let before = app.head_seq().await;
    let results = join_all((0..CLIENTS).map(|c| client(&app, &unit, c))).await;
    let accepted: usize = results.iter().map(|r| r.0).sum();
    let conflicts: usize = results.iter().map(|r| r.1).sum();
    assert_eq!(accepted + conflicts, CLIENTS * MUTATIONS_PER_CLIENT);
    let head = app.head_seq().await;
    assert_eq!(
        head,
        before + accepted as i64,
        "one event per accepted mutation, none for refused ones"
    );
    let v = app
        .ok("{ verifyAudit { ok checkedEvents firstBrokenSeq headSeq } }", json!({}))
        .await;
    assert_eq!(
        v["verifyAudit"],
        json!({"ok": true, "checkedEvents": head, "firstBrokenSeq": null, "headSeq": head})
    );
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi FROM audit_event",
        ))
        .await
        .unwrap()
        .unwrap();
    let (n, lo, hi): (i64, i64, i64) = (
        row.try_get("", "n").unwrap(),
        row.try_get("", "lo").unwrap(),
        row.try_get("", "hi").unwrap(),
    );
    assert_eq!((n, lo, hi), (head, 1, head), "seq runs 1..=head without gaps");
    let people = app.ok("{ people { totalCount } }", json!({})).await;
    let creates = CLIENTS * MUTATIONS_PER_CLIENT * 4 / 5;
    assert_eq!(people["people"]["totalCount"].as_u64(), Some(creates as u64));
}

on_both_engines!(sixteen_concurrent_clients_leave_a_gapless_valid_chain);
