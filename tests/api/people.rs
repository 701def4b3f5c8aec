use serde_json::json;

use crate::helpers::{TestApp, CREATE_PERSON};
use crate::on_both_engines;

const UPDATE_PERSON: &str =
    "mutation($i: UpdatePersonInput!) { updatePerson(input: $i) { person { version name position contact unit { name } } } }";
const ARCHIVE_PERSON: &str =
    "mutation($i: ArchivePersonInput!) { archivePerson(input: $i) { person { archived version } } }";

async fn people_are_created_updated_archived_and_listed_by_unit(app: TestApp) {
    let f = app.fixture().await;
    let updated = app
        .ok(
            UPDATE_PERSON,
            json!({"i": {"id": f.person, "expectedVersion": 1, "position": "股长", "contact": null, "unitId": f.water}}),
        )
        .await;
    let p = &updated["updatePerson"]["person"];
    assert_eq!((p["version"].as_i64(), p["position"].as_str()), (Some(2), Some("股长")));
    assert!(p["contact"].is_null(), "null clears a nullable field");
    assert_eq!(p["unit"]["name"], "县水利局");
    let of_water = app
        .ok(
            "query($u: ID!) { people(filter: {unitId: $u}) { totalCount } }",
            json!({"u": f.water}),
        )
        .await;
    assert_eq!(of_water["people"]["totalCount"], 2);
    let of_county = app
        .ok(
            "query($u: ID!) { people(filter: {unitId: $u, includeSubunits: true}) { totalCount } }",
            json!({"u": f.county}),
        )
        .await;
    assert_eq!(of_county["people"]["totalCount"], 3);
    let archived = app
        .ok(
            ARCHIVE_PERSON,
            json!({"i": {"id": f.teacher, "expectedVersion": 1, "reason": "调离"}}),
        )
        .await;
    assert_eq!(archived["archivePerson"]["person"]["archived"], true);
    let again = app
        .err(ARCHIVE_PERSON, json!({"i": {"id": f.teacher, "expectedVersion": 2}}))
        .await;
    assert_eq!(again.code, "BAD_USER_INPUT");
    let active = app.ok("{ people { totalCount } }", json!({})).await;
    assert_eq!(active["people"]["totalCount"], 2);
}

async fn bad_person_input_is_refused_with_the_field(app: TestApp) {
    let f = app.fixture().await;
    let before = app.head_seq().await;
    let cases = [
        (json!({"name": "", "unitId": f.water}), "name"),
        (json!({"name": "张".repeat(101), "unitId": f.water}), "name"),
        (json!({"name": "张三", "unitId": uuid::Uuid::now_v7()}), "unitId"),
        (json!({"name": "张三", "unitId": "x"}), "unitId"),
        (
            json!({"name": "张三", "unitId": f.water, "contact": "1".repeat(201)}),
            "contact",
        ),
        (json!({"name": "张三\u{0007}", "unitId": f.water}), "name"),
    ];
    for (input, field) in cases {
        let err = app.err(CREATE_PERSON, json!({"i": input})).await;
        assert_eq!(
            (err.code.as_str(), err.field.as_deref()),
            ("BAD_USER_INPUT", Some(field)),
            "{input}"
        );
    }
    let stale = app
        .err(
            UPDATE_PERSON,
            json!({"i": {"id": f.person, "expectedVersion": 7, "name": "李"}}),
        )
        .await;
    assert_eq!(stale.code, "CONFLICT");
    assert_eq!(app.head_seq().await, before);
}

on_both_engines!(
    people_are_created_updated_archived_and_listed_by_unit,
    bad_person_input_is_refused_with_the_field
);
