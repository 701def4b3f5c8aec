use serde_json::json;

use crate::helpers::{TestApp, CREATE_UNIT};
use crate::on_both_engines;

const UPDATE_UNIT: &str =
    "mutation($i: UpdateUnitInput!) { updateUnit(input: $i) { unit { id version name parent { id } head { name } } } }";
const ARCHIVE_UNIT: &str =
    "mutation($i: ArchiveUnitInput!) { archiveUnit(input: $i) { unit { id version archived } } }";

async fn a_unit_tree_is_built_and_read_back_both_ways(app: TestApp) {
    let f = app.fixture().await;
    let data = app
        .ok(
            "{ units(filter: {rootsOnly: true}) { totalCount edges { node { name children { name shortCode children { name } parent { name } } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["units"]["totalCount"], 1);
    let root = &data["units"]["edges"][0]["node"];
    assert_eq!(root["name"], "中共青山县委");
    let children: Vec<&str> = root["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    // Same sort order: by name.
    assert_eq!(children, ["县教育局", "县水利局"]);
    assert_eq!(root["children"][1]["children"][0]["name"], "农村水利股");
    assert_eq!(root["children"][1]["parent"]["name"], "中共青山县委");
    let by_parent = app
        .ok(
            "query($p: ID!) { units(filter: {parentId: $p}) { totalCount } }",
            json!({"p": f.water}),
        )
        .await;
    assert_eq!(by_parent["units"]["totalCount"], 1);
    let by_kind = app
        .ok("{ units(filter: {kind: DEPARTMENT}) { totalCount } }", json!({}))
        .await;
    assert_eq!(by_kind["units"]["totalCount"], 2);
    let by_name = app
        .ok("{ units(filter: {search: \"水利\"}) { totalCount } }", json!({}))
        .await;
    assert_eq!(by_name["units"]["totalCount"], 2);
}

async fn bad_unit_input_names_the_field_and_writes_nothing(app: TestApp) {
    let f = app.fixture().await;
    let before = app.head_seq().await;
    let cases = [
        (json!({"name": "  ", "shortCode": "A1", "kind": "OFFICE"}), "name"),
        (
            json!({"name": "办".repeat(201), "shortCode": "A1", "kind": "OFFICE"}),
            "name",
        ),
        (
            json!({"name": "办公室", "shortCode": "has space", "kind": "OFFICE"}),
            "shortCode",
        ),
        (
            json!({"name": "办公室", "shortCode": "", "kind": "OFFICE"}),
            "shortCode",
        ),
        (
            json!({"name": "县水利局二", "shortCode": "QS-SLJ", "kind": "OFFICE"}),
            "shortCode",
        ),
        (
            json!({"name": "办公室", "shortCode": "A1", "kind": "OFFICE", "parentId": "not-a-uuid"}),
            "parentId",
        ),
        (
            json!({"name": "办公室", "shortCode": "A1", "kind": "OFFICE", "parentId": uuid::Uuid::now_v7()}),
            "parentId",
        ),
    ];
    for (input, field) in cases {
        let err = app.err(CREATE_UNIT, json!({"i": input})).await;
        assert_eq!(err.code, "BAD_USER_INPUT", "{input}: {err:?}");
        assert_eq!(err.field.as_deref(), Some(field), "{input}: {err:?}");
        assert!(err.message.contains(field), "message names the field: {err:?}");
    }
    // An enum value that does not exist fails validation, also with a code.
    let err = app
        .err(
            CREATE_UNIT,
            json!({"i": {"name": "x", "shortCode": "X", "kind": "PALACE"}}),
        )
        .await;
    assert_eq!(err.code, "BAD_USER_INPUT");
    assert_eq!(app.head_seq().await, before, "no audit event for a refused change");
    let count = app.ok("{ units { totalCount } }", json!({})).await;
    assert_eq!(count["units"]["totalCount"], 4);
    let _ = f;
}

async fn a_stale_version_is_a_conflict_and_changes_nothing(app: TestApp) {
    let f = app.fixture().await;
    let first = app
        .ok(
            UPDATE_UNIT,
            json!({"i": {"id": f.water, "expectedVersion": 1, "name": "青山县水利局"}}),
        )
        .await;
    assert_eq!(first["updateUnit"]["unit"]["version"], 2);
    let before = app.head_seq().await;
    let err = app
        .err(
            UPDATE_UNIT,
            json!({"i": {"id": f.water, "expectedVersion": 1, "name": "别的名字"}}),
        )
        .await;
    assert_eq!(err.code, "CONFLICT");
    assert!(err.message.contains("expected version 1"), "{err:?}");
    let unit = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Unit { name version } } }",
            json!({"id": f.water}),
        )
        .await;
    assert_eq!(unit["node"]["name"], "青山县水利局");
    assert_eq!(unit["node"]["version"], 2);
    assert_eq!(app.head_seq().await, before);
    let missing = app
        .err(
            UPDATE_UNIT,
            json!({"i": {"id": uuid::Uuid::now_v7(), "expectedVersion": 1, "name": "x"}}),
        )
        .await;
    assert_eq!(missing.code, "NOT_FOUND");
}

async fn the_unit_tree_refuses_cycles(app: TestApp) {
    let f = app.fixture().await;
    let err = app
        .err(
            UPDATE_UNIT,
            json!({"i": {"id": f.county, "expectedVersion": 1, "parentId": f.water_division}}),
        )
        .await;
    assert_eq!(
        (err.code.as_str(), err.field.as_deref()),
        ("BAD_USER_INPUT", Some("parentId"))
    );
    assert!(err.message.contains("cycle"), "{err:?}");
    let err = app
        .err(
            UPDATE_UNIT,
            json!({"i": {"id": f.water, "expectedVersion": 1, "parentId": f.water}}),
        )
        .await;
    assert_eq!(err.field.as_deref(), Some("parentId"));
    // Moving a division to another department is fine, and clearing the parent makes a root.
    let moved = app
        .ok(
            UPDATE_UNIT,
            json!({"i": {"id": f.water_division, "expectedVersion": 1, "parentId": f.education}}),
        )
        .await;
    assert_eq!(moved["updateUnit"]["unit"]["parent"]["id"], f.education.as_str());
    let root = app
        .ok(
            UPDATE_UNIT,
            json!({"i": {"id": f.water_division, "expectedVersion": 2, "parentId": null}}),
        )
        .await;
    assert!(root["updateUnit"]["unit"]["parent"].is_null());
}

async fn the_head_must_be_an_active_person_of_the_unit(app: TestApp) {
    let f = app.fixture().await;
    let err = app
        .err(
            UPDATE_UNIT,
            json!({"i": {"id": f.water, "expectedVersion": 1, "headId": f.teacher}}),
        )
        .await;
    assert_eq!(err.field.as_deref(), Some("headId"));
    let ok = app
        .ok(
            UPDATE_UNIT,
            json!({"i": {"id": f.water, "expectedVersion": 1, "headId": f.leader}}),
        )
        .await;
    assert_eq!(ok["updateUnit"]["unit"]["head"]["name"], "王建国");
}

async fn units_are_archived_not_deleted_and_archived_units_take_no_new_work(app: TestApp) {
    let f = app.fixture().await;
    let err = app
        .err(ARCHIVE_UNIT, json!({"i": {"id": f.water, "expectedVersion": 1}}))
        .await;
    assert_eq!(err.code, "BAD_USER_INPUT");
    assert!(err.message.contains("active subunits"), "{err:?}");
    let archived = app
        .ok(
            ARCHIVE_UNIT,
            json!({"i": {"id": f.water_division, "expectedVersion": 1, "reason": "机构改革撤并"}}),
        )
        .await;
    assert_eq!(archived["archiveUnit"]["unit"]["archived"], true);
    let err = app
        .err(
            CREATE_UNIT,
            json!({"i": {"name": "新股室", "shortCode": "NEW", "kind": "DIVISION", "parentId": f.water_division}}),
        )
        .await;
    assert_eq!(err.field.as_deref(), Some("parentId"));
    assert!(err.message.contains("archived"), "{err:?}");
    let lists = app
        .ok(
            "{ active: units { totalCount } archived: units(filter: {archived: true}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        (
            lists["active"]["totalCount"].as_i64(),
            lists["archived"]["totalCount"].as_i64()
        ),
        (Some(3), Some(1))
    );
    let history = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Unit { history { edges { node { action reason } } } } } }",
            json!({"id": f.water_division}),
        )
        .await;
    assert_eq!(history["node"]["history"]["edges"][0]["node"]["action"], "unit.archive");
    assert_eq!(history["node"]["history"]["edges"][0]["node"]["reason"], "机构改革撤并");
}

/// Two editors each hang one unit under the other at the same moment: one of them must lose.
async fn concurrent_moves_cannot_make_a_cycle(app: TestApp) {
    let f = app.fixture().await;
    for _ in 0..5 {
        let a = app
            .create_unit("甲", &format!("A{}", app.head_seq().await), "OFFICE", Some(&f.county))
            .await;
        let b = app
            .create_unit("乙", &format!("B{}", app.head_seq().await), "OFFICE", Some(&f.county))
            .await;
        let (first, second) = futures_util::future::join(
            app.post(
                UPDATE_UNIT,
                json!({"i": {"id": a, "expectedVersion": 1, "parentId": b}}),
            ),
            app.post(
                UPDATE_UNIT,
                json!({"i": {"id": b, "expectedVersion": 1, "parentId": a}}),
            ),
        )
        .await;
        let accepted = [&first, &second].iter().filter(|r| r["errors"].is_null()).count();
        assert_eq!(accepted, 1, "exactly one move wins: {first} {second}");
    }
}

async fn the_head_of_a_unit_cannot_be_moved_away_or_archived(app: TestApp) {
    let f = app.fixture().await;
    app.ok(
        UPDATE_UNIT,
        json!({"i": {"id": f.water, "expectedVersion": 1, "headId": f.leader}}),
    )
    .await;
    let moved = app
        .err(
            "mutation($i: UpdatePersonInput!) { updatePerson(input: $i) { person { id } } }",
            json!({"i": {"id": f.leader, "expectedVersion": 1, "unitId": f.education}}),
        )
        .await;
    assert_eq!(moved.field.as_deref(), Some("unitId"));
    assert!(moved.message.contains("head"), "{moved:?}");
    let archived = app
        .err(
            "mutation($i: ArchivePersonInput!) { archivePerson(input: $i) { person { id } } }",
            json!({"i": {"id": f.leader, "expectedVersion": 1}}),
        )
        .await;
    assert_eq!(archived.field.as_deref(), Some("id"));
}

on_both_engines!(
    a_unit_tree_is_built_and_read_back_both_ways,
    bad_unit_input_names_the_field_and_writes_nothing,
    a_stale_version_is_a_conflict_and_changes_nothing,
    the_unit_tree_refuses_cycles,
    the_head_must_be_an_active_person_of_the_unit,
    units_are_archived_not_deleted_and_archived_units_take_no_new_work,
    concurrent_moves_cannot_make_a_cycle,
    the_head_of_a_unit_cannot_be_moved_away_or_archived,
);
