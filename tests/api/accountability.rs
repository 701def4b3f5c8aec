//! 问责: the 纪委 (DISCIPLINE) records who was held accountable, how and on what basis; a
//! person's case is read by the 纪委 and the supervisors, a unit's by whoever reads the unit; the
//! next bulletin names them (the public edition names no person); a 一票否决 ranks the unit last
//! of its category while it stands, as of any instant; a revocation keeps the record. Every
//! refusal writes nothing.

use serde_json::{json, Value};

use crate::helpers::{start_and_close_out, step, TestApp};
use crate::on_both_engines;

const RECORD: &str = "mutation($i: RecordAccountabilityInput!) { recordAccountability(input: $i) { accountability { id version kind inForce facts decidingBody documentNumber decidedOn recorderName subjectUnit { name } subjectPerson { name } measure { id } problem { code } campaign { name } } } }";
const REVOKE: &str = "mutation($i: RevokeAccountabilityInput!) { revokeAccountability(input: $i) { accountability { version inForce revokedAt revokerName revokeReason } } }";
const LIST: &str = "query($f: AccountabilityFilter) { accountabilities(filter: $f) { totalCount edges { node { kind subjectUnit { shortCode } subjectPerson { name } } } } }";
const GENERATE: &str =
    "mutation($i: GenerateBulletinInput!) { generateBulletin(input: $i) { bulletin { id markdown publicMarkdown } } }";
const RANKING: &str = "query($c: ID!, $t: DateTime) { unitRanking(campaignId: $c, bottom: 0, asOf: $t) { rows { rank unit { shortCode } score flaggedForTalk vetoed } } }";

/// A case: `subject` is {"subjectUnitId": …} or {"subjectPersonId": …}.
fn case(campaign: &str, kind: &str, subject: Value, measure: &str) -> Value {
    let mut input = json!({
        "campaignId": campaign, "kind": kind, "measureId": measure,
        "facts": "整改措施逾期未完成，经督办后仍未整改到位", "decidingBody": "中共青山县纪律检查委员会",
        "documentNumber": "青纪发〔2026〕21号", "decidedOn": "2026-06-29"
    });
    for (k, v) in subject.as_object().unwrap() {
        input[k] = v.clone();
    }
    json!({ "i": input })
}

fn kinds(data: &Value) -> Vec<String> {
    data["accountabilities"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["kind"].as_str().unwrap().to_owned())
        .collect()
}

async fn the_discipline_committee_holds_a_person_and_a_unit_to_account_and_the_bulletin_names_them(app: TestApp) {
    let f = app.fixture().await;
    let jiwei = app
        .account("jiwei", "县纪委监委", Some(("DISCIPLINE", None)), None)
        .await;
    let supervisor = app
        .account("ducha", "县委督查组", Some(("SUPERVISOR", None)), None)
        .await;
    let problem = app.create_problem(&f, "A-001", &f.water_division, "HIGH").await;
    let measure = app
        .create_measure(&f, &problem, &f.water_division, &[], "2026-06-20")
        .await;
    let mid = measure["id"].as_str().unwrap();
    // 诫勉谈话 of 李明 (农村水利股), the measure's 责任人.
    let person = app
        .ok_as(
            &jiwei,
            RECORD,
            case(&f.campaign, "ADMONITION", json!({"subjectPersonId": f.person}), mid),
        )
        .await["recordAccountability"]["accountability"]
        .clone();
    assert_eq!(
        (
            person["subjectUnit"]["name"].as_str(),
            person["subjectPerson"]["name"].as_str()
        ),
        (Some("农村水利股"), Some("李明")),
        "a person's case is filed under the person's unit: {person}"
    );
    assert_eq!(
        (
            person["inForce"].as_bool(),
            person["recorderName"].as_str(),
            person["problem"].clone()
        ),
        (Some(true), Some("县纪委监委"), Value::Null)
    );
    assert_eq!(person["measure"]["id"], mid);
    // 通报批评 of 县水利局.
    let unit_case = app
        .ok_as(
            &jiwei,
            RECORD,
            case(
                &f.campaign,
                "BULLETIN_CRITICISM",
                json!({"subjectUnitId": f.water}),
                mid,
            ),
        )
        .await["recordAccountability"]["accountability"]
        .clone();
    // Who reads what: a VIEWER of 县水利局 sees the unit's case, not the person's; the
    // supervisor and the 纪委 see both; a VIEWER of 县教育局 neither; anonymous is refused.
    let viewer = app
        .account("slj-viewer", "县水利局", Some(("VIEWER", Some(&f.water))), None)
        .await;
    let outsider = app
        .account("jyj-viewer", "县教育局", Some(("VIEWER", Some(&f.education))), None)
        .await;
    let all = json!({"f": {"campaignId": f.campaign}});
    assert_eq!(
        kinds(&app.ok_as(&viewer, LIST, all.clone()).await),
        ["BULLETIN_CRITICISM"]
    );
    assert_eq!(
        kinds(&app.ok_as(&supervisor, LIST, all.clone()).await),
        ["BULLETIN_CRITICISM", "ADMONITION"]
    );
    assert_eq!(kinds(&app.ok_as(&jiwei, LIST, all.clone()).await).len(), 2);
    assert!(kinds(&app.ok_as(&outsider, LIST, all.clone()).await).is_empty());
    // A VIEWER of the whole tree reads the unit's case, not the person's.
    let county_viewer = app.account("xianwei", "县委办", Some(("VIEWER", None)), None).await;
    assert_eq!(
        kinds(&app.ok_as(&county_viewer, LIST, all.clone()).await),
        ["BULLETIN_CRITICISM"]
    );
    assert_eq!(app.err_anonymous(LIST, all.clone()).await.code, "UNAUTHENTICATED");
    let node =
        "query($id: ID!) { node(id: $id) { ... on Accountability { kind history { edges { node { action } } } } } }";
    let hidden = app.ok_as(&viewer, node, json!({"id": person["id"]})).await;
    assert_eq!(hidden["node"], Value::Null, "{hidden}");
    let seen = app.ok_as(&supervisor, node, json!({"id": person["id"]})).await;
    assert_eq!(
        seen["node"]["history"]["edges"][0]["node"]["action"],
        "accountability.record"
    );
    // Filters: by unit subtree, person, kind, in force.
    let by_subtree = json!({"f": {"unitId": f.water, "includeSubunits": true}});
    assert_eq!(kinds(&app.ok_as(&jiwei, LIST, by_subtree).await).len(), 2);
    let by_person = json!({"f": {"personId": f.person, "kind": "ADMONITION"}});
    assert_eq!(kinds(&app.ok_as(&jiwei, LIST, by_person).await), ["ADMONITION"]);

    // The half month's bulletin names both; its public edition the unit only.
    let instant = app.ok("{ ledgerStats { asOf } }", json!({})).await["ledgerStats"]["asOf"].clone();
    app.clock.advance(chrono::Duration::minutes(1));
    let input =
        json!({"campaignId": f.campaign, "period": {"from": "2026-06-16", "to": "2026-06-30"}, "asOf": instant});
    let b = app.ok_as(&supervisor, GENERATE, json!({"i": input.clone()})).await["generateBulletin"]["bulletin"].clone();
    let md = b["markdown"].as_str().unwrap();
    for expected in [
        "## 六、问责情况",
        "本期共问责 2 起：通报批评1起、诫勉谈话1起。",
        "| 问责对象 | 所在单位 | 问责方式 | 问责事由 | 决定机关及文号 | 决定日期 |",
        "| 1 | 李明 | 县水利局农村水利股 | 诫勉谈话 | 整改措施逾期未完成，经督办后仍未整改到位 | 中共青山县纪律检查委员会（青纪发〔2026〕21号） | 2026-06-29 |",
        "| 2 | 县水利局 | 县水利局 | 通报批评 |",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in\n{md}");
    }
    let public = b["publicMarkdown"].as_str().unwrap();
    assert!(
        public.contains("| 序号 | 问责对象 | 所在单位 | 问责方式 | 决定机关及文号 | 决定日期 |")
            && public.contains(
                "| 1 | 县水利局 | 县水利局 | 通报批评 | 中共青山县纪律检查委员会（青纪发〔2026〕21号） | 2026-06-29 |"
            )
            && public.contains("另有对个人问责 1 起（公开版不列姓名）。"),
        "{public}"
    );
    assert!(
        !public.contains("经督办后仍未整改到位"),
        "the public edition prints no 问责事由:\n{public}"
    );
    assert!(
        !public.contains("李明"),
        "the public edition names no person:\n{public}"
    );

    // Revoked (撤销) with a reason: the record stays, no longer in force; the next bulletin
    // leaves it out, the bulletin as of the earlier instant still names it.
    let revoke = |version: i64, reason: &str| json!({"i": {"id": unit_case["id"], "expectedVersion": version, "reason": reason}});
    // viewerCanRevoke answers what the mutation then does: the 纪委 may, an ADMIN may not.
    let can = "query($id: ID!) { node(id: $id) { ... on Accountability { viewerCanRevoke } } }";
    let app = &app;
    let can_revoke = |token: String| {
        let q = json!({"id": unit_case["id"]});
        async move { app.ok_as(&token, can, q).await["node"]["viewerCanRevoke"].as_bool() }
    };
    assert_eq!(can_revoke(jiwei.clone()).await, Some(true));
    assert_eq!(can_revoke(app.root_token()).await, Some(false));
    assert_eq!(
        app.err_as(&app.root_token(), REVOKE, revoke(1, "管理员撤销"))
            .await
            .code,
        "FORBIDDEN"
    );
    let stale = app.err_as(&jiwei, REVOKE, revoke(7, "经复查，问责依据不足")).await;
    assert_eq!(stale.code, "CONFLICT", "{stale:?}");
    let done = app.ok_as(&jiwei, REVOKE, revoke(1, "经复查，问责依据不足")).await["revokeAccountability"]
        ["accountability"]
        .clone();
    assert_eq!(
        (
            done["inForce"].as_bool(),
            done["version"].as_i64(),
            done["revokeReason"].as_str()
        ),
        (Some(false), Some(2), Some("经复查，问责依据不足"))
    );
    assert_eq!(can_revoke(jiwei.clone()).await, Some(false), "revoked already");
    let twice = app.err_as(&jiwei, REVOKE, revoke(2, "再次撤销")).await;
    assert_eq!(
        (twice.code.as_str(), twice.field.as_deref()),
        ("BAD_USER_INPUT", Some("id"))
    );
    let in_force = json!({"f": {"campaignId": f.campaign, "inForce": true}});
    assert_eq!(kinds(&app.ok_as(&jiwei, LIST, in_force).await), ["ADMONITION"]);
    app.clock.advance(chrono::Duration::minutes(1));
    let now = json!({"i": {"campaignId": f.campaign, "period": {"from": "2026-06-16", "to": "2026-06-30"}}});
    let later = app.ok_as(&supervisor, GENERATE, now).await["generateBulletin"]["bulletin"]["markdown"].clone();
    assert!(
        later.as_str().unwrap().contains("本期共问责 1 起：诫勉谈话1起。"),
        "{later}"
    );
    let again =
        app.ok_as(&supervisor, GENERATE, json!({"i": input})).await["generateBulletin"]["bulletin"]["markdown"].clone();
    let section = |md: &str| {
        md.split("## 六、问责情况")
            .nth(1)
            .unwrap()
            .split("## 七")
            .next()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        section(again.as_str().unwrap()),
        section(md),
        "as of the same instant, the same section"
    );
}

/// 县水利局 closes its measure (100 points), 县教育局 is overdue (−2): a 一票否决 of 县水利局
/// puts it last, flagged, and its revocation puts it back; as of an instant before, unchanged.
async fn a_one_vote_veto_ranks_the_unit_last_of_its_category_while_it_stands(app: TestApp) {
    let f = app.fixture().await;
    let supervisor = app
        .account("ducha", "县委督查组", Some(("SUPERVISOR", None)), None)
        .await;
    let jiwei = app
        .account("jiwei", "县纪委监委", Some(("DISCIPLINE", None)), None)
        .await;
    let q = "mutation($i: UpdateUnitInput!) { updateUnit(input: $i) { unit { rankingCategory } } }";
    for unit in [&f.water, &f.education] {
        app.ok(
            q,
            json!({"i": {"id": unit, "expectedVersion": 1, "rankingCategory": "县直部门"}}),
        )
        .await;
    }
    let problem = app.create_problem(&f, "A-001", &f.county, "HIGH").await;
    let closed = app.create_measure(&f, &problem, &f.water, &[], "2026-07-31").await;
    let late = app.create_measure(&f, &problem, &f.education, &[], "2026-06-20").await;
    start_and_close_out(&app, &supervisor, closed["id"].as_str().unwrap()).await;
    let input = json!({"id": late["id"], "expectedVersion": 1});
    step(&app, None, "startMeasure", "MeasureTransitionInput", input).await;
    let rows = |data: &Value| -> Vec<(i64, String, bool, bool)> {
        data["unitRanking"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["rank"].as_i64().unwrap(),
                    r["unit"]["shortCode"].as_str().unwrap().to_owned(),
                    r["flaggedForTalk"].as_bool().unwrap(),
                    r["vetoed"].as_bool().unwrap(),
                )
            })
            .collect()
    };
    let before = app.ok(RANKING, json!({"c": f.campaign})).await;
    let plain = vec![
        (1, "QS-SLJ".to_owned(), false, false),
        (2, "QS-JYJ".to_owned(), false, false),
    ];
    assert_eq!(rows(&before), plain);
    let instant = app.ok("{ ledgerStats { asOf } }", json!({})).await["ledgerStats"]["asOf"].clone();
    app.clock.advance(chrono::Duration::minutes(1));
    let veto = app
        .ok_as(
            &jiwei,
            RECORD,
            case(
                &f.campaign,
                "ONE_VOTE_VETO",
                json!({"subjectUnitId": f.water}),
                late["id"].as_str().unwrap(),
            ),
        )
        .await["recordAccountability"]["accountability"]
        .clone();
    let vetoed = app.ok(RANKING, json!({"c": f.campaign})).await;
    assert_eq!(
        rows(&vetoed),
        vec![
            (1, "QS-JYJ".to_owned(), false, false),
            (2, "QS-SLJ".to_owned(), true, true)
        ],
        "{vetoed}"
    );
    assert_eq!(
        vetoed["unitRanking"]["rows"][1]["score"].as_f64(),
        Some(100.0),
        "the score stays; the place does not"
    );
    let then = app.ok(RANKING, json!({"c": f.campaign, "t": instant})).await;
    assert_eq!(rows(&then), plain, "as of before the veto");
    app.clock.advance(chrono::Duration::minutes(1));
    let after_veto = app.ok("{ ledgerStats { asOf } }", json!({})).await["ledgerStats"]["asOf"].clone();
    app.clock.advance(chrono::Duration::minutes(1));
    app.ok_as(
        &jiwei,
        REVOKE,
        json!({"i": {"id": veto["id"], "expectedVersion": 1, "reason": "上级纪委复核后撤销"}}),
    )
    .await;
    assert_eq!(rows(&app.ok(RANKING, json!({"c": f.campaign})).await), plain, "revoked");
    let during = app.ok(RANKING, json!({"c": f.campaign, "t": after_veto})).await;
    assert_eq!(rows(&during), rows(&vetoed), "as of while it stood");
}

async fn bad_accountability_input_is_refused_and_writes_nothing(app: TestApp) {
    let f = app.fixture().await;
    let jiwei = app
        .account("jiwei", "县纪委监委", Some(("DISCIPLINE", None)), None)
        .await;
    let jiwei_education = app
        .account(
            "jiwei-jyj",
            "派驻纪检组",
            Some(("DISCIPLINE", Some(&f.education))),
            None,
        )
        .await;
    let editor = app
        .account("slj", "县水利局联络员", Some(("EDITOR", Some(&f.water))), None)
        .await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let other_problem = app.create_problem(&f, "A-002", &f.water, "HIGH").await;
    let measure = app.create_measure(&f, &problem, &f.water, &[], "2026-06-20").await;
    let mid = measure["id"].as_str().unwrap();
    let other_campaign = app
        .ok(
            crate::helpers::CREATE_CAMPAIGN,
            json!({"i": {"name": "第二批", "startsOn": "2026-03-01"}}),
        )
        .await["createCampaign"]["campaign"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let base = || case(&f.campaign, "TALK", json!({"subjectUnitId": f.water}), mid);
    let with = |changes: Value| {
        let mut v = base();
        for (k, val) in changes.as_object().unwrap() {
            if val.is_null() {
                v["i"].as_object_mut().unwrap().remove(k);
            } else {
                v["i"][k] = val.clone();
            }
        }
        v
    };
    let head = app.head_seq().await;
    for (input, field) in [
        (with(json!({"subjectUnitId": null})), "subjectUnitId"),
        (with(json!({"subjectPersonId": f.person})), "subjectUnitId"),
        (
            with(json!({"subjectUnitId": null, "subjectPersonId": f.person, "kind": "ONE_VOTE_VETO"})),
            "subjectPersonId",
        ),
        (
            with(json!({"subjectUnitId": null, "subjectPersonId": "0190b6f5-0000-7000-8000-000000000000"})),
            "subjectPersonId",
        ),
        (with(json!({"measureId": null})), "problemId"),
        (with(json!({"measureId": null, "problemId": "not-an-id"})), "problemId"),
        (with(json!({"campaignId": other_campaign})), "measureId"),
        (with(json!({"problemId": other_problem})), "measureId"),
        (with(json!({"decidedOn": "2026-07-01"})), "decidedOn"),
        (with(json!({"facts": "  "})), "facts"),
        (with(json!({"decidingBody": "纪".repeat(201)})), "decidingBody"),
        (with(json!({"documentNumber": "号".repeat(101)})), "documentNumber"),
        (
            with(json!({"campaignId": "0190b6f5-0000-7000-8000-000000000000"})),
            "campaignId",
        ),
    ] {
        let e = app.err_as(&jiwei, RECORD, input.clone()).await;
        assert_eq!(
            (e.code.as_str(), e.field.as_deref()),
            ("BAD_USER_INPUT", Some(field)),
            "{input}: {e:?}"
        );
    }
    // An ADMIN may not give itself the 纪委's role.
    let me = app.ok("{ me { id } }", json!({})).await["me"]["id"].clone();
    let grant = "mutation($i: GrantRoleInput!) { grantRole(input: $i) { grant { role } } }";
    let self_grant = app
        .err(grant, json!({"i": {"accountId": me, "role": "DISCIPLINE"}}))
        .await;
    assert_eq!(self_grant.code, "FORBIDDEN", "{self_grant:?}");
    // The right: DISCIPLINE on the unit; an ADMIN of the whole tree does not hold it.
    for token in [&jiwei_education, &editor, &app.root_token()] {
        assert_eq!(app.err_as(token, RECORD, base()).await.code, "FORBIDDEN");
    }
    assert_eq!(app.err_anonymous(RECORD, base()).await.code, "UNAUTHENTICATED");
    assert_eq!(app.head_seq().await, head, "refusals write nothing");
    let id = app.ok_as(&jiwei, RECORD, base()).await["recordAccountability"]["accountability"]["id"].clone();
    let teacher = app
        .account("jyj", "县教育局", Some(("VIEWER", Some(&f.education))), None)
        .await;
    let head = app.head_seq().await;
    let revoke = |reason: &str| json!({"i": {"id": id, "expectedVersion": 1, "reason": reason}});
    let e = app.err_as(&jiwei, REVOKE, revoke(" ")).await;
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        ("BAD_USER_INPUT", Some("reason"))
    );
    assert_eq!(
        app.err_as(&app.root_token(), REVOKE, revoke("撤销")).await.code,
        "FORBIDDEN"
    );
    for token in [&jiwei_education, &teacher] {
        assert_eq!(app.err_as(token, REVOKE, revoke("撤销")).await.code, "FORBIDDEN");
    }
    let missing = json!({"i": {"id": "0190b6f5-0000-7000-8000-000000000000", "expectedVersion": 1, "reason": "撤销"}});
    assert_eq!(app.err_as(&jiwei, REVOKE, missing).await.code, "NOT_FOUND");
    assert_eq!(app.head_seq().await, head, "refusals write nothing");
}

on_both_engines!(
    the_discipline_committee_holds_a_person_and_a_unit_to_account_and_the_bulletin_names_them,
    a_one_vote_veto_ranks_the_unit_last_of_its_category_while_it_stands,
    bad_accountability_input_is_refused_and_writes_nothing
);
