use std::collections::HashSet;

use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_engines;

const PAGE: &str = "query($first: Int, $after: String, $o: UnitOrderBy) { units(first: $first, after: $after, orderBy: $o) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id name } } } }";

async fn paging_through_a_list_has_no_duplicates_or_gaps_even_while_rows_are_added(app: TestApp) {
    let county = app.create_unit("中共青山县委", "QS", "COMMITTEE", None).await;
    for i in 0..44 {
        app.create_unit(&format!("乡镇{i:02}"), &format!("T{i:02}"), "TOWNSHIP", Some(&county))
            .await;
    }
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let data = app.ok(PAGE, json!({"first": 20, "after": after})).await;
        let units = &data["units"];
        assert_eq!(
            units["totalCount"].as_i64(),
            Some(45 + pages),
            "the total follows inserts"
        );
        for edge in units["edges"].as_array().unwrap() {
            seen.push(edge["node"]["id"].as_str().unwrap().to_owned());
        }
        assert_eq!(units["pageInfo"]["hasPreviousPage"], after.is_some());
        pages += 1;
        // A unit added while paging sorts after everything seen so far (same sort order, newer id).
        app.create_unit(&format!("新增{pages}"), &format!("N{pages}"), "OFFICE", Some(&county))
            .await;
        if units["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = units["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    let unique: HashSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no duplicates");
    assert_eq!(pages, 3);
    assert_eq!(
        seen.len(),
        45 + 2,
        "all 45 and the two inserted before the last page, no gaps"
    );
}

async fn ordering_is_stable_and_default_page_size_is_twenty(app: TestApp) {
    for (i, name) in ["Charlie", "Alpha", "Delta", "Bravo"].into_iter().enumerate() {
        app.create_unit(name, &format!("U{i}"), "OFFICE", None).await;
    }
    let desc = app.ok(PAGE, json!({"o": "NAME_DESC", "first": 2})).await;
    let names: Vec<&str> = desc["units"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap())
        .collect();
    let expected = ["Delta", "Charlie", "Bravo", "Alpha"];
    assert_eq!(names, expected[..2]);
    let next = app
        .ok(
            PAGE,
            json!({"o": "NAME_DESC", "first": 2, "after": desc["units"]["pageInfo"]["endCursor"]}),
        )
        .await;
    let rest: Vec<&str> = next["units"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(rest, expected[2..]);
    for i in 0..20 {
        app.create_unit(&format!("单位{i}"), &format!("X{i}"), "OTHER", None)
            .await;
    }
    let default = app.ok(PAGE, json!({})).await;
    assert_eq!(default["units"]["edges"].as_array().unwrap().len(), 20);
}

async fn page_size_and_cursors_are_checked(app: TestApp) {
    let err = app.err(PAGE, json!({"first": 101})).await;
    assert_eq!(
        (err.code.as_str(), err.field.as_deref()),
        ("BAD_USER_INPUT", Some("first"))
    );
    assert!(err.message.contains("100"), "{err:?}");
    let err = app.err(PAGE, json!({"first": -1})).await;
    assert_eq!(err.field.as_deref(), Some("first"));
    let err = app.err(PAGE, json!({"after": "not-a-cursor"})).await;
    assert_eq!(err.field.as_deref(), Some("after"));
    let err = app
        .err("{ auditEvents(after: \"bm9wZQ\") { totalCount } }", json!({}))
        .await;
    assert_eq!(err.field.as_deref(), Some("after"));
    let ok = app.ok(PAGE, json!({"first": 100})).await;
    assert_eq!(ok["units"]["totalCount"], 0);
    assert_eq!(ok["units"]["pageInfo"]["hasNextPage"], false);
}

/// Page numbers: `offset` gives the same rows as the cursors' pages, and is checked.
async fn tables_page_by_number_with_offset(app: TestApp) {
    let county = app.create_unit("中共青山县委", "QS", "COMMITTEE", None).await;
    for i in 0..24 {
        app.create_unit(&format!("乡镇{i:02}"), &format!("T{i:02}"), "TOWNSHIP", Some(&county))
            .await;
    }
    let numbered = "query($first: Int, $offset: Int) { units(first: $first, offset: $offset, orderBy: NAME_ASC) { totalCount pageInfo { hasNextPage hasPreviousPage } edges { node { id } } } }";
    let all = app.ok(numbered, json!({"first": 100})).await;
    let ids: Vec<&str> = all["units"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 25);
    for page in 1..=3 {
        let data = app.ok(numbered, json!({"first": 10, "offset": (page - 1) * 10})).await;
        let units = &data["units"];
        let got: Vec<&str> = units["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap())
            .collect();
        let from = (page - 1) * 10;
        assert_eq!(got, ids[from..(from + 10).min(25)], "page {page}");
        assert_eq!(units["totalCount"], 25);
        assert_eq!(units["pageInfo"]["hasPreviousPage"], page > 1, "page {page}");
        assert_eq!(units["pageInfo"]["hasNextPage"], page < 3, "page {page}");
    }
    let past = app.ok(numbered, json!({"first": 10, "offset": 40})).await;
    assert_eq!(past["units"]["edges"].as_array().unwrap().len(), 0);
    let err = app.err(numbered, json!({"first": 10, "offset": -1})).await;
    assert_eq!(
        (err.code.as_str(), err.field.as_deref()),
        ("BAD_USER_INPUT", Some("offset")),
        "{err:?}"
    );
    let cursor = app.ok(PAGE, json!({"first": 5})).await["units"]["pageInfo"]["endCursor"].clone();
    let both = "query($after: String) { units(first: 5, after: $after, offset: 5) { totalCount } }";
    let err = app.err(both, json!({"after": cursor})).await;
    assert_eq!(err.field.as_deref(), Some("offset"), "{err:?}");
    assert!(err.message.contains("cannot be combined"), "{err:?}");
    // The audit trail pages by number too.
    let events = "query($o: Int) { auditEvents(first: 5, offset: $o) { totalCount pageInfo { hasPreviousPage } nodes { seq } } }";
    let all = app.ok("{ auditEvents(first: 100) { nodes { seq } } }", json!({})).await;
    let second = app.ok(events, json!({"o": 5})).await;
    assert_eq!(
        second["auditEvents"]["nodes"],
        json!(all["auditEvents"]["nodes"].as_array().unwrap()[5..10])
    );
    assert_eq!(second["auditEvents"]["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(app.err(events, json!({"o": -5})).await.field.as_deref(), Some("offset"));
    // The ledger's tables: measures and problems take it too.
    app.ok(
        "{ measures(first: 10, offset: 10) { totalCount } problems(first: 10, offset: 0) { totalCount } }",
        json!({}),
    )
    .await;
}

on_both_engines!(
    tables_page_by_number_with_offset,
    paging_through_a_list_has_no_duplicates_or_gaps_even_while_rows_are_added,
    ordering_is_stable_and_default_page_size_is_twenty,
    page_size_and_cursors_are_checked,
);
