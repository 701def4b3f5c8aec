//! Whole stories of the access rules, start to end through GraphQL.

use serde_json::json;

use crate::helpers::TestApp;

const SET_PROBLEM_DISCLOSURE: &str =
    "mutation($i: UpdateProblemInput!) { updateProblem(input: $i) { problem { version disclosure } } }";
const SET_MEASURE_DISCLOSURE: &str =
    "mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { version disclosure } } }";
const PUBLIC_VIEW: &str = "{ problems(first: 50) { totalCount edges { node { code title status leadUnit { name } measures { title deadline status responsiblePerson { name contact } } } } } measures(first: 50) { totalCount } }";

/// 公示: anonymous readers see PUBLIC items only, without contacts or internal details; SYSTEM
/// items reach every logged-in account; only a supervisor discloses; a measure never shows
/// more widely than its problem.
async fn disclosure_decides_who_reads_what(app: TestApp) {
    let f = app.fixture().await;
    let public = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let system = app.create_problem(&f, "A-002", &f.water, "MEDIUM").await;
    let internal = app.create_problem(&f, "A-003", &f.water, "LOW").await;
    let m_public = app.create_measure(&f, &public, &f.water, &[], "2026-07-31").await;
    app.create_measure(&f, &system, &f.water, &[], "2026-07-31").await;
    app.create_measure(&f, &internal, &f.water, &[], "2026-07-31").await;
    let editor = app
        .account("slj", "县水利局联络员", Some(("EDITOR", Some(&f.water))), None)
        .await;
    // The liaison may edit the problem but not disclose it.
    let refused = app
        .err_as(
            &editor,
            SET_PROBLEM_DISCLOSURE,
            json!({"i": {"id": public, "expectedVersion": 1, "disclosure": "PUBLIC"}}),
        )
        .await;
    assert_eq!(refused.code, "FORBIDDEN", "{refused:?}");
    assert!(refused.message.contains("SUPERVISOR"), "{refused:?}");
    let supervisor = app
        .account("ducha", "县委督查组", Some(("SUPERVISOR", None)), None)
        .await;
    // A measure may not be disclosed more widely than its problem.
    let wider = app
        .err_as(
            &supervisor,
            SET_MEASURE_DISCLOSURE,
            json!({"i": {"id": m_public["id"], "expectedVersion": 1, "disclosure": "PUBLIC"}}),
        )
        .await;
    assert_eq!(
        (wider.code.as_str(), wider.field.as_deref()),
        ("BAD_USER_INPUT", Some("disclosure"))
    );
    for (id, level) in [(&public, "PUBLIC"), (&system, "SYSTEM")] {
        app.ok_as(
            &supervisor,
            SET_PROBLEM_DISCLOSURE,
            json!({"i": {"id": id, "expectedVersion": 1, "disclosure": level}}),
        )
        .await;
    }
    app.ok_as(
        &supervisor,
        SET_MEASURE_DISCLOSURE,
        json!({"i": {"id": m_public["id"], "expectedVersion": 1, "disclosure": "PUBLIC"}}),
    )
    .await;
    // Lowering the problem below its measure is refused.
    let lower = app
        .err_as(
            &supervisor,
            SET_PROBLEM_DISCLOSURE,
            json!({"i": {"id": public, "expectedVersion": 2, "disclosure": "INTERNAL"}}),
        )
        .await;
    assert_eq!(lower.field.as_deref(), Some("disclosure"), "{lower:?}");

    // Anonymous: only the PUBLIC problem and its PUBLIC measure, with names but no contacts.
    let seen = app.ok_anonymous(PUBLIC_VIEW, json!({})).await;
    assert_eq!(seen["problems"]["totalCount"], 1, "{seen}");
    assert_eq!(seen["measures"]["totalCount"], 1, "{seen}");
    let p = &seen["problems"]["edges"][0]["node"];
    assert_eq!(p["code"], "A-001");
    assert_eq!(p["leadUnit"]["name"], "县水利局");
    assert_eq!(
        p["measures"][0]["responsiblePerson"],
        json!({"name": "李明", "contact": null})
    );
    for internal_field in [
        "history { totalCount }",
        "verifications { result }",
        "progressReports { text }",
        "extensions { status }",
    ] {
        let q = format!("query($id: ID!) {{ node(id: $id) {{ ... on Measure {{ {internal_field} }} }} }}");
        let err = app.err_anonymous(&q, json!({"id": m_public["id"]})).await;
        assert_eq!(err.code, "UNAUTHENTICATED", "{internal_field}: {err:?}");
    }
    let hidden = app
        .ok_anonymous("query($id: ID!) { node(id: $id) { id } }", json!({"id": internal}))
        .await;
    assert!(hidden["node"].is_null());
    for list in [
        "{ people { totalCount } }",
        "{ supervisionActions { totalCount } }",
        "{ auditEvents { totalCount } }",
    ] {
        assert_eq!(
            app.err_anonymous(list, json!({})).await.code,
            "UNAUTHENTICATED",
            "{list}"
        );
    }
    // An account of another unit sees SYSTEM and PUBLIC problems, and no contacts outside its scope.
    let teacher = app
        .account("jyj", "县教育局联络员", Some(("EDITOR", Some(&f.education))), None)
        .await;
    let seen = app.ok_as(&teacher, PUBLIC_VIEW, json!({})).await;
    let codes: Vec<&str> = seen["problems"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 2, "{seen}");
    assert!(codes.contains(&"A-001") && codes.contains(&"A-002") && !codes.contains(&"A-003"));
    // Its measure is still INTERNAL: the SYSTEM problem shows without it.
    let system_problem = seen["problems"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["code"] == "A-002")
        .unwrap();
    assert_eq!(system_problem["node"]["measures"], json!([]));
    let p = &seen["problems"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["code"] == "A-001")
        .unwrap()["node"];
    assert!(p["measures"][0]["responsiblePerson"]["contact"].is_null());
    // The water liaison sees all three, with contacts.
    let seen = app.ok_as(&editor, PUBLIC_VIEW, json!({})).await;
    assert_eq!(seen["problems"]["totalCount"], 3);
    assert_eq!(seen["measures"]["totalCount"], 3);
    // The disclosure change is in the problem's history.
    let history = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Problem { history { edges { node { action actor { displayName } before after } } } } } }",
            json!({"id": public}),
        )
        .await;
    let last = &history["node"]["history"]["edges"][0]["node"];
    assert_eq!(last["action"], "problem.update");
    assert_eq!(last["actor"]["displayName"], "县委督查组");
    assert_eq!(
        (
            last["before"]["disclosure"].as_str(),
            last["after"]["disclosure"].as_str()
        ),
        (Some("INTERNAL"), Some("PUBLIC"))
    );
}

/// A measure is in scope for its cooperating units too: their liaison reads it, its problem,
/// and reports progress on it; a unit that is neither lead nor cooperating is refused.
async fn cooperating_units_share_the_measure(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "B-001", &f.education, "HIGH").await;
    let shared = app
        .create_measure(&f, &problem, &f.education, &[&f.water_division], "2026-07-31")
        .await;
    let own = app.create_measure(&f, &problem, &f.education, &[], "2026-08-31").await;
    let liaison = app
        .account(
            "nsg",
            "农村水利股联络员",
            Some(("EDITOR", Some(&f.water_division))),
            None,
        )
        .await;
    let seen = app
        .ok_as(
            &liaison,
            "{ problems { edges { node { code measures { id } } } } measures { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(seen["measures"]["totalCount"], 1);
    assert_eq!(seen["problems"]["edges"][0]["node"]["code"], "B-001");
    assert_eq!(
        seen["problems"]["edges"][0]["node"]["measures"],
        json!([{"id": shared["id"]}]),
        "only the shared measure"
    );
    let report =
        "mutation($i: ReportProgressInput!) { reportProgress(input: $i) { measure { status progressPercent } } }";
    let done = app
        .ok_as(
            &liaison,
            report,
            json!({"i": {"id": shared["id"], "expectedVersion": 1, "percent": 30, "text": "配合完成水源勘测"}}),
        )
        .await;
    assert_eq!(done["reportProgress"]["measure"]["progressPercent"], 30);
    let head = app.head_seq().await;
    let refused = app
        .err_as(
            &liaison,
            report,
            json!({"i": {"id": own["id"], "expectedVersion": 1, "percent": 30, "text": "越权填报"}}),
        )
        .await;
    assert_eq!(refused.code, "FORBIDDEN", "{refused:?}");
    assert_eq!(app.head_seq().await, head, "nothing written");
    // Out of scope, a measure is not found rather than refused on reads.
    let hidden = app
        .ok_as(
            &liaison,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": own["id"]}),
        )
        .await;
    assert!(hidden["node"].is_null());
    // Moving the lead unit into the liaison's scope needs rights on the old place too.
    let moved = app
        .err_as(
            &liaison,
            "mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { id } } }",
            json!({"i": {"id": shared["id"], "expectedVersion": 2, "leadUnitId": f.water_division, "cooperatingUnitIds": []}}),
        )
        .await;
    assert_eq!(moved.code, "FORBIDDEN", "{moved:?}");
}

/// Administration: an administrator of a subtree grants only inside it, nobody disables
/// themselves, and the last whole-tree administrator stays.
async fn administrators_are_bounded(app: TestApp) {
    let f = app.fixture().await;
    let water_admin = app
        .account("slj.admin", "县水利局管理员", Some(("ADMIN", Some(&f.water))), None)
        .await;
    let create = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { account { id grants { role } } } }";
    let new = app
        .ok_as(&water_admin, create, json!({"i": {"username": "li.ming", "displayName": "李明", "personId": f.person, "password": "青山县水利局2026年"}}))
        .await;
    let account = new["createAccount"]["account"]["id"].as_str().unwrap().to_owned();
    assert_eq!(new["createAccount"]["account"]["grants"], json!([]));
    let grant = "mutation($i: GrantRoleInput!) { grantRole(input: $i) { grant { id role wholeTree unit { name } } account { grants { role } } } }";
    let granted = app
        .ok_as(
            &water_admin,
            grant,
            json!({"i": {"accountId": account, "role": "EDITOR", "unitId": f.water_division}}),
        )
        .await;
    assert_eq!(granted["grantRole"]["grant"]["unit"]["name"], "农村水利股");
    for unit in [json!(f.education), json!(null)] {
        let refused = app
            .err_as(
                &water_admin,
                grant,
                json!({"i": {"accountId": account, "role": "SUPERVISOR", "unitId": unit}}),
            )
            .await;
        assert_eq!(refused.code, "FORBIDDEN", "{unit}: {refused:?}");
    }
    let teacher = app
        .err_as(&water_admin, create, json!({"i": {"username": "zhao", "displayName": "赵老师", "personId": f.teacher, "password": "青山县教育局2026年"}}))
        .await;
    assert_eq!(teacher.code, "FORBIDDEN", "a person of another department: {teacher:?}");
    let twice = app
        .err_as(
            &water_admin,
            grant,
            json!({"i": {"accountId": account, "role": "EDITOR", "unitId": f.water_division}}),
        )
        .await;
    assert_eq!(
        (twice.code.as_str(), twice.field.as_deref()),
        ("BAD_USER_INPUT", Some("role"))
    );
    // The new liaison now works in its division.
    let token = app
        .post(
            "mutation { login(input: {username: \"li.ming\", password: \"青山县水利局2026年\"}) { token } }",
            json!({}),
        )
        .await["data"]["login"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = app
        .ok_as(
            &token,
            "{ me { username grants { role wholeTree unit { name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        me["me"]["grants"],
        json!([{"role": "EDITOR", "wholeTree": false, "unit": {"name": "农村水利股"}}])
    );
    // Root is the only whole-tree administrator: it can neither lose that grant nor disable itself.
    let root = app.ok("{ me { id grants { id } } }", json!({})).await;
    let revoke = "mutation($i: RevokeGrantInput!) { revokeGrant(input: $i) { account { id } } }";
    let last = app
        .err(
            revoke,
            json!({"i": {"grantId": root["me"]["grants"][0]["id"], "reason": "测试"}}),
        )
        .await;
    assert_eq!(
        (last.code.as_str(), last.field.as_deref()),
        ("BAD_USER_INPUT", Some("grantId")),
        "{last:?}"
    );
    let disable = "mutation($i: SetAccountDisabledInput!) { setAccountDisabled(input: $i) { account { disabled } } }";
    let self_disable = app
        .err(disable, json!({"i": {"accountId": root["me"]["id"], "disabled": true}}))
        .await;
    assert_eq!(self_disable.field.as_deref(), Some("accountId"), "{self_disable:?}");
    // Revoking the liaison's grant takes effect on its next request, and is audited.
    let revoked = app
        .ok(
            revoke,
            json!({"i": {"grantId": granted["grantRole"]["grant"]["id"], "reason": "岗位调整"}}),
        )
        .await;
    assert_eq!(revoked["revokeGrant"]["account"]["id"], account.as_str());
    let after = app.ok_as(&token, "{ people { totalCount } }", json!({})).await;
    assert_eq!(after["people"]["totalCount"], 0, "no grant, no people");
    let events = app
        .ok("{ auditEvents(filter: {entityType: \"RoleGrant\"}, first: 3) { edges { node { action reason before after actor { displayName } } } } }", json!({}))
        .await;
    let last = &events["auditEvents"]["edges"][0]["node"];
    assert_eq!(last["action"], "role_grant.revoke");
    assert_eq!(last["reason"], "岗位调整");
    assert_eq!(last["before"]["role"], "EDITOR");
    assert!(last["after"].is_null());
    assert_eq!(
        events["auditEvents"]["edges"][1]["node"]["actor"]["displayName"],
        "县水利局管理员"
    );
}

/// The scenario of the access issue, start to end through GraphQL: an administrator creates
/// the accounts, the water department's liaison works on its own ledger only, the county's
/// supervisor closes out and presses, the public reads what was disclosed, and every event
/// names the account that made it.
async fn the_liaison_the_supervisor_and_the_public(app: TestApp) {
    let f = app.fixture().await;
    let water_problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let water_measure = app
        .create_measure(&f, &water_problem, &f.water_division, &[], "2026-07-15")
        .await;
    let school_problem = app.create_problem(&f, "C-001", &f.education, "MEDIUM").await;
    // Carried out by the school's own people: 李明 answers for none of it (personal scope).
    let school_input = json!({
        "problemId": school_problem, "title": "完成校舍维修", "acceptanceCriteria": "校舍安全达标",
        "leadUnitId": f.education, "responsibleLeaderId": f.teacher, "responsiblePersonId": f.teacher,
        "deadline": "2026-07-31"
    });
    let school_measure =
        app.ok(crate::helpers::CREATE_MEASURE, json!({"i": school_input})).await["createMeasure"]["measure"].clone();
    // The administrator creates two accounts linked to people and grants their roles.
    let create = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { account { id } } }";
    let grant = "mutation($i: GrantRoleInput!) { grantRole(input: $i) { grant { id } } }";
    for (username, name, person, role, unit) in [
        ("li.ming", "李明（县水利局）", &f.person, "EDITOR", json!(f.water)),
        ("zhao", "赵老师（县委督查组）", &f.teacher, "SUPERVISOR", json!(null)),
    ] {
        let created = app
            .ok(create, json!({"i": {"username": username, "displayName": name, "personId": person, "password": "青山县整改台账2026"}}))
            .await;
        let id = created["createAccount"]["account"]["id"].as_str().unwrap().to_owned();
        app.ok(grant, json!({"i": {"accountId": id, "role": role, "unitId": unit}}))
            .await;
    }
    let login = |username: &'static str| {
        let app = &app;
        async move {
            app.post_anonymous(
                "mutation($u: String!) { login(input: {username: $u, password: \"青山县整改台账2026\"}) { token } }",
                json!({"u": username}),
            )
            .await["data"]["login"]["token"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let liaison = login("li.ming").await;
    let supervisor = login("zhao").await;
    // The liaison sees the water department's ledger and nothing else.
    let seen = app
        .ok_as(
            &liaison,
            "{ problems { edges { node { code } } } measures { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(seen["problems"]["edges"], json!([{"node": {"code": "A-001"}}]));
    assert_eq!(seen["measures"]["totalCount"], 1);
    let report = "mutation($i: ReportProgressInput!) { reportProgress(input: $i) { measure { version status } } }";
    let reported = app
        .ok_as(
            &liaison,
            report,
            json!({"i": {"id": water_measure["id"], "expectedVersion": 1, "percent": 100, "text": "管网维修完成"}}),
        )
        .await;
    assert_eq!(reported["reportProgress"]["measure"]["status"], "IN_PROGRESS");
    let refused = app
        .err_as(
            &liaison,
            report,
            json!({"i": {"id": school_measure["id"], "expectedVersion": 1, "percent": 10, "text": "x"}}),
        )
        .await;
    assert_eq!(refused.code, "FORBIDDEN");
    assert!(refused.message.contains("EDITOR"), "{refused:?}");
    crate::helpers::attach_report(&app, &liaison, water_measure["id"].as_str().unwrap()).await;
    let submit = "mutation($i: MeasureTransitionInput!) { submitMeasure(input: $i) { measure { version } } }";
    app.ok_as(
        &liaison,
        submit,
        json!({"i": {"id": water_measure["id"], "expectedVersion": 2}}),
    )
    .await;
    // The liaison cannot close out its own work; the county's supervisor can.
    let verify = "mutation($i: VerifyMeasureInput!) { verifyMeasure(input: $i) { measure { status closedOn } verification { verifierName } } }";
    let input = json!({"i": {"id": water_measure["id"], "expectedVersion": 3, "result": "PASS", "comment": "整改到位，同意销号"}});
    assert_eq!(app.err_as(&liaison, verify, input.clone()).await.code, "FORBIDDEN");
    let closed = app.ok_as(&supervisor, verify, input).await;
    assert_eq!(closed["verifyMeasure"]["measure"]["status"], "CLOSED");
    assert_eq!(
        closed["verifyMeasure"]["verification"]["verifierName"],
        "赵老师（县委督查组）"
    );
    // The supervisor sees the whole county, decides an extension and presses a unit.
    let all = app.ok_as(&supervisor, "{ measures { totalCount } }", json!({})).await;
    assert_eq!(all["measures"]["totalCount"], 2);
    let asked = app
        .ok(
            "mutation($i: RequestDeadlineExtensionInput!) { requestDeadlineExtension(input: $i) { extension { id } } }",
            json!({"i": {"id": school_measure["id"], "expectedVersion": 1, "newDeadline": "2026-08-31", "reason": "暑期施工"}}),
        )
        .await;
    let decided = app
        .ok_as(
            &supervisor,
            "mutation($i: DecideDeadlineExtensionInput!) { decideDeadlineExtension(input: $i) { measure { deadline originalDeadline } } }",
            json!({"i": {"id": asked["requestDeadlineExtension"]["extension"]["id"], "decision": "APPROVE"}}),
        )
        .await;
    assert_eq!(
        decided["decideDeadlineExtension"]["measure"],
        json!({"deadline": "2026-08-31", "originalDeadline": "2026-07-31"})
    );
    app.ok_as(
        &supervisor,
        "mutation($i: IssueSupervisionInput!) { issueSupervision(input: $i) { supervisionAction { id } } }",
        json!({"i": {"kind": "NOTICE", "targetUnitId": f.education, "measureId": school_measure["id"], "content": "请按延期后的时限完成"}}),
    )
    .await;
    // The supervisor discloses the water problem; the public reads it without logging in.
    let disclose = "mutation($i: UpdateProblemInput!) { updateProblem(input: $i) { problem { disclosure } } }";
    app.ok_as(
        &supervisor,
        disclose,
        json!({"i": {"id": water_problem, "expectedVersion": 1, "disclosure": "PUBLIC"}}),
    )
    .await;
    let public = app
        .ok_anonymous(
            "{ problems { edges { node { code status measures { status } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        public["problems"]["edges"],
        json!([{"node": {"code": "A-001", "status": "RECTIFIED", "measures": []}}]),
        "the measure itself stays INTERNAL"
    );
    // Every event since the accounts were made names the account that caused it.
    let events = app
        .ok(
            "{ auditEvents(first: 12) { edges { node { action actor { id displayName } } } } }",
            json!({}),
        )
        .await;
    let by: Vec<(String, String)> = events["auditEvents"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["node"]["action"].as_str().unwrap().to_owned(),
                e["node"]["actor"]["displayName"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expect = |action: &str, who: &str| {
        assert!(
            by.iter().any(|(a, w)| a == action && w == who),
            "{action} by {who} in {by:?}"
        );
    };
    expect("measure.report_progress", "李明（县水利局）");
    expect("measure.submit", "李明（县水利局）");
    expect("measure.verify_pass", "赵老师（县委督查组）");
    expect("supervision.issue", "赵老师（县委督查组）");
    expect("problem.update", "赵老师（县委督查组）");
    assert!(by.iter().all(|(_, w)| w != "system" && w != "anonymous"), "{by:?}");
}

/// Rights are checked before anything else is revealed, and the units a write names must be
/// the caller's (found by an independent review of the first version).
async fn writes_reveal_nothing_outside_scope(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let measure = app.create_measure(&f, &problem, &f.water, &[], "2026-07-31").await;
    let teacher = app
        .account("jyj", "县教育局联络员", Some(("EDITOR", Some(&f.education))), None)
        .await;
    // A measure for another unit's problem, even led by one's own unit: refused, nothing made.
    let head = app.head_seq().await;
    let input =
        json!({"problemId": problem, "title": "借题建措施", "leadUnitId": f.education, "deadline": "2026-08-31"});
    let refused = app
        .err_as(&teacher, crate::helpers::CREATE_MEASURE, json!({"i": input}))
        .await;
    assert_eq!(refused.code, "FORBIDDEN", "{refused:?}");
    assert!(refused.message.contains("the problem's lead unit"), "{refused:?}");
    assert_eq!(app.head_seq().await, head);
    let hidden = app
        .ok_as(
            &teacher,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": problem}),
        )
        .await;
    assert!(hidden["node"].is_null());
    // A stale version does not tell an outsider anything: FORBIDDEN, not CONFLICT.
    let update = "mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { id } } }";
    let stale = json!({"i": {"id": measure["id"], "expectedVersion": 99, "title": "x"}});
    assert_eq!(app.err_as(&teacher, update, stale.clone()).await.code, "FORBIDDEN");
    assert_eq!(app.err_anonymous(update, stale.clone()).await.code, "UNAUTHENTICATED");
    assert_eq!(app.err(update, stale).await.code, "CONFLICT");
    // Supervision is about the target unit's own work (or its subunits').
    let issue = "mutation($i: IssueSupervisionInput!) { issueSupervision(input: $i) { supervisionAction { id } } }";
    let wrong = app
        .err(
            issue,
            json!({"i": {"kind": "NOTICE", "targetUnitId": f.education, "measureId": measure["id"], "content": "x"}}),
        )
        .await;
    assert_eq!(wrong.field.as_deref(), Some("measureId"), "{wrong:?}");
    let wrong = app
        .err(
            issue,
            json!({"i": {"kind": "NOTICE", "targetUnitId": f.education, "problemId": problem, "content": "x"}}),
        )
        .await;
    assert_eq!(wrong.field.as_deref(), Some("problemId"), "{wrong:?}");
    app.ok(issue, json!({"i": {"kind": "TALK", "targetUnitId": f.county, "measureId": measure["id"], "content": "约谈县委分管领导"}}))
        .await;
    // A person's history (whose snapshots hold the contact) only within scope.
    app.ok(
        "mutation($i: UpdateUnitInput!) { updateUnit(input: $i) { unit { id } } }",
        json!({"i": {"id": f.water, "expectedVersion": 1, "headId": f.leader}}),
    )
    .await;
    let heads = "{ units(filter: {search: \"QS-SLJ\"}) { nodes { head { name contact history { totalCount } } } } }";
    let body = app.post_as(&teacher, heads, json!({})).await.1;
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN", "{body}");
    let own = app
        .account("slj", "县水利局联络员", Some(("EDITOR", Some(&f.water))), None)
        .await;
    let seen = app.ok_as(&own, heads, json!({})).await;
    assert_eq!(seen["units"]["nodes"][0]["head"]["contact"], "138 0000 0001");
    // Accounts: a subtree administrator does not browse other accounts through node().
    let local_admin = app
        .account("slj.admin", "县水利局管理员", Some(("ADMIN", Some(&f.water))), None)
        .await;
    let root = app.ok("{ me { id } }", json!({})).await["me"]["id"].clone();
    let q = "query($id: ID!) { node(id: $id) { ... on Account { username } } }";
    assert!(app.ok_as(&local_admin, q, json!({"id": root})).await["node"].is_null());
    let me = app.ok_as(&local_admin, "{ me { id } }", json!({})).await["me"]["id"].clone();
    assert_eq!(
        app.ok_as(&local_admin, q, json!({"id": me})).await["node"]["username"],
        "slj.admin"
    );
    // Moving a unit needs the role where it leaves too.
    let two_places = app
        .account("mover", "调整机构", Some(("ADMIN", Some(&f.water_division))), None)
        .await;
    let ledger = taizhang::domain::Ledger::new(app.db.clone(), app.clock.clone());
    let ctx = taizhang::domain::context::RequestContext::system(None);
    let mover = app.ok_as(&two_places, "{ me { id } }", json!({})).await["me"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    taizhang::domain::accounts::grants::grant(
        &ledger,
        &ctx,
        mover,
        taizhang::domain::access::Role::Admin,
        Some(f.education.parse().unwrap()),
    )
    .await
    .unwrap();
    let moved = app
        .err_as(
            &two_places,
            "mutation($i: UpdateUnitInput!) { updateUnit(input: $i) { unit { id } } }",
            json!({"i": {"id": f.water_division, "expectedVersion": 1, "parentId": f.education}}),
        )
        .await;
    assert_eq!(moved.code, "FORBIDDEN", "{moved:?}");
}

crate::on_both_engines!(
    disclosure_decides_who_reads_what,
    cooperating_units_share_the_measure,
    administrators_are_bounded,
    the_liaison_the_supervisor_and_the_public,
    writes_reveal_nothing_outside_scope,
);
