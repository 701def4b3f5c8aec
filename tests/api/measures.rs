use serde_json::json;

use crate::helpers::{TestApp, CREATE_MEASURE, TODAY};
use crate::on_both_engines;

const UPDATE_MEASURE: &str = "mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { version title status deadline cooperatingUnits { name } leadUnit { name } responsiblePerson { name } } } }";

async fn a_measure_starts_pending_with_its_original_deadline_and_links_both_ways(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let m = app
        .create_measure(&f, &problem, &f.water, &[&f.education], "2026-07-15")
        .await;
    assert_eq!(m["status"], "PENDING");
    assert_eq!(
        (m["deadline"].as_str(), m["originalDeadline"].as_str()),
        (Some("2026-07-15"), Some("2026-07-15"))
    );
    assert_eq!(m["overdue"], false);
    let id = m["id"].as_str().unwrap();
    let data = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Measure { problem { code status measures { id } } leadUnit { name measures { totalCount } } cooperatingUnits { name measures(role: COOPERATING) { totalCount } } responsibleLeader { name } responsiblePerson { name unit { name } measures { totalCount } } } } }",
            json!({"id": id}),
        )
        .await;
    let n = &data["node"];
    assert_eq!(n["problem"]["code"], "A-001");
    assert_eq!(n["problem"]["status"], "IN_PROGRESS");
    assert_eq!(n["problem"]["measures"][0]["id"], id);
    assert_eq!(n["leadUnit"]["measures"]["totalCount"], 1);
    assert_eq!(n["cooperatingUnits"][0]["name"], "县教育局");
    assert_eq!(n["cooperatingUnits"][0]["measures"]["totalCount"], 1);
    assert_eq!(n["responsibleLeader"]["name"], "王建国");
    assert_eq!(n["responsiblePerson"]["unit"]["name"], "农村水利股");
    assert_eq!(n["responsiblePerson"]["measures"]["totalCount"], 1);
}

async fn bad_measure_input_is_refused_with_the_field(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let before = app.head_seq().await;
    let base = json!({"problemId": problem, "title": "维修管网", "leadUnitId": f.water, "deadline": "2026-07-15",
        "responsibleLeaderId": f.leader, "responsiblePersonId": f.person, "acceptanceCriteria": "管网修复"});
    let with = |key: &str, value: serde_json::Value| {
        let mut input = base.clone();
        input[key] = value;
        input
    };
    let cases = [
        (with("deadline", json!("2026-05-09")), "deadline"),
        (with("title", json!("")), "title"),
        (with("cooperatingUnitIds", json!([f.water])), "cooperatingUnitIds"),
        (
            with("cooperatingUnitIds", json!([f.education, f.education])),
            "cooperatingUnitIds",
        ),
        (
            with("cooperatingUnitIds", json!([uuid::Uuid::now_v7()])),
            "cooperatingUnitIds",
        ),
        (
            with("responsiblePersonId", json!(uuid::Uuid::now_v7())),
            "responsiblePersonId",
        ),
        (with("responsibleLeaderId", json!("nope")), "responsibleLeaderId"),
        (with("problemId", json!(uuid::Uuid::now_v7())), "problemId"),
        (with("description", json!("描".repeat(5001))), "description"),
    ];
    for (input, field) in cases {
        let err = app.err(CREATE_MEASURE, json!({"i": input})).await;
        assert_eq!(
            (err.code.as_str(), err.field.as_deref()),
            ("BAD_USER_INPUT", Some(field)),
            "{input}: {err:?}"
        );
    }
    assert_eq!(app.head_seq().await, before, "refused measures leave no event");
    let count = app.ok("{ measures { totalCount } }", json!({})).await;
    assert_eq!(count["measures"]["totalCount"], 0);
}

async fn update_measure_changes_owners_but_never_status_or_deadline(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let m = app
        .create_measure(&f, &problem, &f.water, &[&f.education], "2026-07-15")
        .await;
    let id = m["id"].as_str().unwrap();
    let updated = app
        .ok(
            UPDATE_MEASURE,
            json!({"i": {"id": id, "expectedVersion": 1, "title": "完成管网维修并验收", "cooperatingUnitIds": [f.water_division], "responsiblePersonId": f.teacher}}),
        )
        .await;
    let u = &updated["updateMeasure"]["measure"];
    assert_eq!(u["version"], 2);
    assert_eq!(u["cooperatingUnits"][0]["name"], "农村水利股");
    assert_eq!(u["responsiblePerson"]["name"], "赵老师");
    assert_eq!(
        (u["status"].as_str(), u["deadline"].as_str()),
        (Some("PENDING"), Some("2026-07-15"))
    );
    for field in ["status: CLOSED", "deadline: \"2027-01-01\""] {
        let query = format!("mutation($id: ID!) {{ updateMeasure(input: {{id: $id, expectedVersion: 2, {field}}}) {{ measure {{ id }} }} }}");
        let err = app.err(&query, json!({"id": id})).await;
        assert_eq!(err.code, "BAD_USER_INPUT", "{field}: {err:?}");
    }
    let lead_is_coop = app
        .err(
            UPDATE_MEASURE,
            json!({"i": {"id": id, "expectedVersion": 2, "leadUnitId": f.water_division}}),
        )
        .await;
    assert_eq!(lead_is_coop.field.as_deref(), Some("leadUnitId"));
    let stale = app
        .err(
            UPDATE_MEASURE,
            json!({"i": {"id": id, "expectedVersion": 1, "title": "x"}}),
        )
        .await;
    assert_eq!(stale.code, "CONFLICT");
    let history = app
        .ok("query($id: ID!) { node(id: $id) { ... on Measure { history { totalCount edges { node { action before after } } } } } }", json!({"id": id}))
        .await;
    let events = &history["node"]["history"];
    assert_eq!(events["totalCount"], 2);
    let update = &events["edges"][0]["node"];
    assert_eq!(update["action"], "measure.update");
    assert_eq!(update["before"]["cooperating_unit_ids"], json!([f.education]));
    assert_eq!(update["after"]["cooperating_unit_ids"], json!([f.water_division]));
    assert_eq!(update["before"]["title"], "完成饮水工程维修");
    assert_eq!(update["after"]["title"], "完成管网维修并验收");
}

async fn measures_are_filtered_by_unit_role_deadline_status_and_overdue(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let late = app
        .create_measure(&f, &problem, &f.water_division, &[], "2026-06-01")
        .await;
    let soon = app.create_measure(&f, &problem, &f.water, &[&f.education], TODAY).await;
    let later = app
        .create_measure(&f, &problem, &f.education, &[&f.water_division], "2026-09-01")
        .await;
    let q = "query($f: MeasureFilter, $o: MeasureOrderBy) { measures(filter: $f, orderBy: $o) { totalCount edges { node { id deadline overdue } } } }";
    let ids = |data: serde_json::Value| -> Vec<String> {
        data["measures"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let id = |m: &serde_json::Value| m["id"].as_str().unwrap().to_owned();
    assert_eq!(ids(app.ok(q, json!({"f": {"overdue": true}})).await), [id(&late)]);
    assert_eq!(
        ids(app.ok(q, json!({"f": {"overdue": false}})).await),
        [id(&soon), id(&later)]
    );
    assert_eq!(
        ids(app.ok(q, json!({"f": {"unitId": f.water, "unitRole": "LEAD"}})).await),
        [id(&soon)]
    );
    assert_eq!(
        ids(app
            .ok(
                q,
                json!({"f": {"unitId": f.water, "unitRole": "LEAD", "includeSubunits": true}})
            )
            .await),
        [id(&late), id(&soon)]
    );
    assert_eq!(
        ids(app
            .ok(q, json!({"f": {"unitId": f.water_division, "unitRole": "COOPERATING"}}))
            .await),
        [id(&later)]
    );
    assert_eq!(
        ids(app
            .ok(q, json!({"f": {"unitId": f.water, "includeSubunits": true}}))
            .await),
        [id(&late), id(&soon), id(&later)]
    );
    assert_eq!(
        ids(app.ok(q, json!({"f": {"unitId": f.education}})).await),
        [id(&soon), id(&later)]
    );
    assert_eq!(
        ids(app
            .ok(q, json!({"f": {"deadlineFrom": TODAY, "deadlineTo": "2026-08-31"}}))
            .await),
        [id(&soon)]
    );
    assert_eq!(
        ids(app
            .ok(q, json!({"f": {"status": ["PENDING"]}, "o": "DEADLINE_DESC"}))
            .await),
        [id(&later), id(&soon), id(&late)]
    );
    assert_eq!(
        ids(app.ok(q, json!({"f": {"status": ["CLOSED", "SUBMITTED"]}})).await).len(),
        0
    );
    assert_eq!(
        ids(app
            .ok(
                q,
                json!({"f": {"responsiblePersonId": f.person, "campaignId": f.campaign, "problemId": problem}})
            )
            .await)
        .len(),
        3
    );
    assert_eq!(ids(app.ok(q, json!({"f": {"search": "管网"}})).await).len(), 3);
}

/// 逐步解决: what the public is told about a measure solved step by step is a field of the
/// measure, public once the measure is disclosed.
async fn a_long_term_measure_tells_the_public_why(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "E-001", &f.water, "HIGH").await;
    let m = app.create_measure(&f, &problem, &f.water, &[], "2026-12-31").await;
    let id = m["id"].as_str().unwrap();
    app.ok(
        "mutation($i: UpdateProblemInput!) { updateProblem(input: $i) { problem { id } } }",
        json!({"i": {"id": problem, "expectedVersion": 1, "disclosure": "PUBLIC"}}),
    )
    .await;
    let update =
        "mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { version publicExplanation } } }";
    app.ok(
        update,
        json!({"i": {"id": id, "expectedVersion": 1, "disclosure": "PUBLIC"}}),
    )
    .await;
    let why = "受资金限制，饮水工程分三年逐步改造，2026年先完成12个村组";
    let declared = app
        .ok(
            "mutation($i: MeasureReasonInput!) { declareLongTerm(input: $i) { measure { status version publicExplanation } } }",
            json!({"i": {"id": id, "expectedVersion": 2, "reason": why}}),
        )
        .await;
    assert_eq!(declared["declareLongTerm"]["measure"]["publicExplanation"], why);
    let public = "query($id: ID!) { node(id: $id) { ... on Measure { status publicExplanation } } }";
    let seen = app.ok_anonymous(public, json!({"id": id})).await;
    assert_eq!(seen["node"]["status"], "LONG_TERM");
    assert_eq!(
        seen["node"]["publicExplanation"], why,
        "the public reads the explanation"
    );
    // The office rewrites it as the work goes on; the trail keeps both versions.
    let later = "第一期12个村组已完工，其余村组2027年汛前完成";
    app.ok(
        update,
        json!({"i": {"id": id, "expectedVersion": 3, "publicExplanation": later}}),
    )
    .await;
    assert_eq!(
        app.ok_anonymous(public, json!({"id": id})).await["node"]["publicExplanation"],
        later
    );
    let history = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Measure { history(first: 1) { nodes { action before after } } } } }",
            json!({"id": id}),
        )
        .await;
    let event = &history["node"]["history"]["nodes"][0];
    assert_eq!(event["action"], "measure.update");
    assert_eq!(event["before"]["public_explanation"], why);
    assert_eq!(event["after"]["public_explanation"], later);
    let err = app
        .err(
            update,
            json!({"i": {"id": id, "expectedVersion": 4, "publicExplanation": "说".repeat(5001)}}),
        )
        .await;
    assert_eq!(
        (err.code.as_str(), err.field.as_deref()),
        ("BAD_USER_INPUT", Some("publicExplanation"))
    );
}

on_both_engines!(
    a_long_term_measure_tells_the_public_why,
    a_measure_starts_pending_with_its_original_deadline_and_links_both_ways,
    bad_measure_input_is_refused_with_the_field,
    update_measure_changes_owners_but_never_status_or_deadline,
    measures_are_filtered_by_unit_role_deadline_status_and_overdue,
);
