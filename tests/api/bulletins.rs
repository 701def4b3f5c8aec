//! Bulletins (通报): a half-month bulletin that names the units and people with overdue items,
//! ranks the units, reports satisfaction and supervision and stands on an audit checkpoint;
//! generated again later as of the same instant it is the same document; the checkpoint stops
//! verifying once the trail is tampered with.

use serde_json::{json, Value};

use crate::helpers::{close_out, rename, six_measures, tamper, TestApp};
use crate::on_both_engines;

const GENERATE: &str = "mutation($i: GenerateBulletinInput!) { generateBulletin(input: $i) { bulletin { id title issueNumber periodFrom periodTo asOf auditSeq auditHash markdown html generatedBy campaign { name } } } }";
const CHECK: &str = "query($s: BigInt!, $h: String!) { verifyCheckpoint(seq: $s, hash: $h) }";
const SURVEY: &str =
    "mutation($i: RecordSatisfactionSurveyInput!) { recordSatisfactionSurvey(input: $i) { survey { id } } }";
const ISSUE: &str = "mutation($i: IssueSupervisionInput!) { issueSupervision(input: $i) { supervisionAction { id } } }";

async fn bulletin_count(app: &TestApp) -> usize {
    app.ok("{ bulletins(first: 100) { id } }", json!({})).await["bulletins"]
        .as_array()
        .unwrap()
        .len()
}

async fn page(app: &TestApp, token: Option<&str>, id: &str) -> (u16, String) {
    let mut request = app.client().get(app.url(&format!("/bulletins/{id}.html")));
    if let Some(token) = token {
        request = request.insert_header(("Authorization", format!("Bearer {token}")));
    }
    let mut response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.body().await.unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

const DISCLOSE: &str =
    "mutation($i: DiscloseBulletinInput!) { discloseBulletin(input: $i) { bulletin { disclosure } } }";

/// The public edition (公开版): published by a supervisor, read without login, naming units
/// and no person; withdrawn, it is gone again. Accounts keep reading the full edition.
async fn public_edition(app: &TestApp, supervisor: &str, liaison: &str, id: &str) {
    let head = app.head_seq().await;
    let public = |d: &str| json!({"i": {"id": id, "disclosure": d}});
    assert_eq!(app.err_as(liaison, DISCLOSE, public("PUBLIC")).await.code, "FORBIDDEN");
    let system = app.err_as(supervisor, DISCLOSE, public("SYSTEM")).await;
    assert_eq!(
        (system.code.as_str(), system.field.as_deref()),
        ("BAD_USER_INPUT", Some("disclosure"))
    );
    assert_eq!(
        app.err_anonymous(DISCLOSE, public("PUBLIC")).await.code,
        "UNAUTHENTICATED"
    );
    assert_eq!(app.head_seq().await, head, "refusals write nothing");
    let done = app.ok_as(supervisor, DISCLOSE, public("PUBLIC")).await;
    assert_eq!(done["discloseBulletin"]["bulletin"]["disclosure"], "PUBLIC");
    let read =
        "query($id: ID!) { bulletin(id: $id) { disclosure markdown publicMarkdown generatedBy } bulletins { id } }";
    let seen = app.ok_anonymous(read, json!({"id": id})).await;
    assert_eq!(seen["bulletins"][0]["id"], id, "{seen}");
    let md = seen["bulletin"]["markdown"].as_str().unwrap();
    assert_eq!(Some(md), seen["bulletin"]["publicMarkdown"].as_str());
    assert_eq!(
        seen["bulletin"]["generatedBy"],
        Value::Null,
        "the generator is a person too"
    );
    for expected in [
        "第1期（公开版）",
        "## 二、逾期未完成事项（点单位）",
        "以下 1 个单位共 1 项整改措施逾期未完成（含时间节点逾期）：县水利局农村水利股（1项）。（公开版不列具体事项和责任人。）",
        "## 三、单位排名",
        "## 四、群众满意度测评",
        "## 七、审计校验点",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in\n{md}");
    }
    // Its surveys are INTERNAL: the public edition shows none of their results.
    assert!(md.contains("截至统计时点，尚无公开的满意度测评结果。"), "{md}");
    for hidden in ["李明", "王建国", "完成饮水工程维修", "A-001", "92.00%", "县委督查组"] {
        assert!(!md.contains(hidden), "the public edition names {hidden}:\n{md}");
    }
    let (status, html) = page(app, None, id).await;
    assert_eq!(status, 200);
    assert!(html.contains("公开版") && !html.contains("李明"), "{html}");
    let full = app.ok_as(liaison, read, json!({"id": id})).await;
    assert!(full["bulletin"]["markdown"]
        .as_str()
        .unwrap()
        .contains("| 王建国 | 李明 |"));
    let actions = app
        .ok_as(
            liaison,
            "query($id: ID!) { node(id: $id) { ... on Bulletin { history { edges { node { action } } } } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        actions["node"]["history"]["edges"][0]["node"]["action"],
        "bulletin.disclose"
    );
    app.ok_as(supervisor, DISCLOSE, public("INTERNAL")).await;
    assert_eq!(app.ok_anonymous(read, json!({"id": id})).await["bulletin"], Value::Null);
    assert_eq!(page(app, None, id).await.0, 401);
}

async fn a_bulletin_names_units_and_people_and_stands_on_a_checkpoint(app: TestApp) {
    let f = app.fixture().await;
    let supervisor = app
        .account("ducha", "县委督查组", Some(("SUPERVISOR", None)), None)
        .await;
    // Today is 2026-06-30: two closed (one late), one overdue since 2026-06-25 (农村水利股,
    // 王建国 and 李明), one long-term, one cancelled, one pending.
    let ids = six_measures(&app, &f, &supervisor).await;
    for (unit, satisfied, basically, dissatisfied) in [(&f.water, 80, 12, 8), (&f.education, 90, 8, 2)] {
        let input = json!({"campaignId": f.campaign, "unitId": unit, "heldOn": "2026-06-28", "method": "REPRESENTATIVES",
                           "participants": 100, "satisfied": satisfied, "basicallySatisfied": basically, "dissatisfied": dissatisfied});
        app.ok_as(&supervisor, SURVEY, json!({"i": input})).await;
    }
    app.ok_as(
        &supervisor,
        ISSUE,
        json!({"i": {"kind": "NOTICE", "targetUnitId": f.water_division, "measureId": ids[2],
                      "content": "限期完成饮水工程维修", "responseDue": "2026-07-05"}}),
    )
    .await;
    let instant = app.ok("{ ledgerStats { asOf } }", json!({})).await["ledgerStats"]["asOf"].clone();
    let head = app.head_seq().await;
    let hash = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on AuditEvent { hash } } }",
            json!({"id": format!("audit-event:{head}")}),
        )
        .await["node"]["hash"]
        .clone();
    // Generated a minute later, as of the last change.
    app.clock.advance(chrono::Duration::minutes(1));
    let input =
        json!({"campaignId": f.campaign, "period": {"from": "2026-06-16", "to": "2026-06-30"}, "asOf": instant});
    let b = app.ok_as(&supervisor, GENERATE, json!({"i": input.clone()})).await["generateBulletin"]["bulletin"].clone();
    assert_eq!(
        b["title"],
        "深入学习实践科学发展观活动（第一批）整改工作通报（2026年6月下半月）"
    );
    assert_eq!((b["auditSeq"].as_i64(), &b["auditHash"]), (Some(head), &hash));
    assert_eq!(b["generatedBy"], "县委督查组");
    // The campaign's first bulletin: 第1期, printed under the title.
    assert_eq!(b["issueNumber"], 1);
    let md = b["markdown"].as_str().unwrap();
    assert!(
        md.starts_with("# 深入学习实践科学发展观活动（第一批）整改工作通报（2026年6月下半月）\n\n第1期\n"),
        "{md}"
    );
    for expected in [
        "## 一、总体情况",
        "共有整改措施 5 项（不含已撤销），已销号 2 项，完成率 40.00%；其中按期完成 1 项、逾期完成 1 项，按期完成率 50.00%",
        "逾期未完成 1 项",
        // Closed in the period: both (2026-06-30); due in it: 2026-06-20 and 2026-06-25.
        "本期（2026年6月16日至2026年6月30日）销号 2 项，本期到期 2 项",
        "## 二、逾期未完成事项（点单位、点姓名）",
        // A division is named with its department; the deadline it missed with its date.
        "以下 1 个单位共 1 项整改措施逾期未完成（含时间节点逾期），予以通报：县水利局农村水利股（1项）",
        "| 逾期节点（到期日） | 逾期天数 |",
        "| 1 | 县水利局农村水利股 | 王建国 | 李明 | A-001 | 完成饮水工程维修 | 整改时限（2026-06-25） | 5 |",
        "## 三、单位排名",
        "排后约谈",
        "## 四、群众满意度测评",
        "| 县水利局 | 2026-06-28 | 群众代表测评 | 100 | 80 | 12 | 8 | 92.00% | 未达标 |",
        "| 县教育局 | 2026-06-28 | 群众代表测评 | 100 | 90 | 8 | 2 | 98.00% | 达标 |",
        "以下单位满意率低于 95.00%，须开展“回头看”、进行补课：县水利局",
        "## 五、督办情况",
        "本期共发出督办 1 件：整改通知书1件；逾期未回复 0 件",
        "## 六、问责情况",
        "本期无问责事项。",
        "## 七、审计校验点",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in\n{md}");
    }
    assert!(md.contains(&format!("第 {head} 条事件")) && md.contains(hash.as_str().unwrap()));
    let html = b["html"].as_str().unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<p class=\"issue\">第1期</p>\n<h1>"), "{html}");
    assert!(html.contains("<h2>二、逾期未完成事项（点单位、点姓名）</h2>") && html.contains("<td>李明</td>"));
    // Anyone, without logging in, can check the checkpoint still holds.
    let holds = app.ok_anonymous(CHECK, json!({"s": head, "h": hash})).await;
    assert_eq!(holds["verifyCheckpoint"], true);
    // Every account reads bulletins: the list, the node, the printable page; not the public.
    let liaison = app
        .account("slj", "县水利局联络员", Some(("EDITOR", Some(&f.water))), None)
        .await;
    let id = b["id"].as_str().unwrap();
    let listed = app
        .ok_as(
            &liaison,
            "query($c: ID) { bulletins(campaignId: $c) { id title } }",
            json!({"c": f.campaign}),
        )
        .await;
    assert_eq!(listed["bulletins"][0]["id"], id);
    let node = app
        .ok_as(
            &liaison,
            "query($id: ID!) { node(id: $id) { ... on Bulletin { auditSeq history { edges { node { action } } } } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(node["node"]["auditSeq"].as_i64(), Some(head));
    assert_eq!(
        node["node"]["history"]["edges"][0]["node"]["action"],
        "bulletin.generate"
    );
    assert_eq!(page(&app, Some(&liaison), id).await, (200, html.to_owned()));
    assert_eq!(page(&app, None, id).await.0, 401);
    assert_eq!(
        page(&app, Some(&liaison), &uuid::Uuid::now_v7().to_string()).await.0,
        404
    );
    assert_eq!(
        app.ok_anonymous("{ bulletins { id } }", json!({})).await["bulletins"],
        json!([])
    );
    assert_eq!(
        app.ok_anonymous("query($id: ID!) { node(id: $id) { id } }", json!({"id": id}))
            .await["node"],
        Value::Null
    );
    public_edition(&app, &supervisor, &liaison, id).await;

    // A week later the overdue measure is closed; the bulletin as of the same instant is the
    // same document, and the one as of now no longer names anybody.
    app.clock.advance(chrono::Duration::days(7));
    let supervisor = app
        .account("ducha2", "县委督查组（值班）", Some(("SUPERVISOR", None)), None)
        .await;
    close_out(&app, &supervisor, &ids[2]).await;
    // The division renamed, the responsible person's name corrected, the threshold raised: the
    // bulletin as of the instant still names and judges them as they were.
    rename(&app, "Unit", &f.water_division, "农村水利水电股").await;
    rename(&app, "Person", &f.person, "李明华").await;
    app.ok(
        "mutation($i: UpdateCampaignInput!) { updateCampaign(input: $i) { campaign { satisfactionThreshold } } }",
        json!({"i": {"id": f.campaign, "expectedVersion": 1, "satisfactionThreshold": 0.99}}),
    )
    .await;
    let again = app.ok_as(&supervisor, GENERATE, json!({"i": input})).await["generateBulletin"]["bulletin"].clone();
    // A new issue of the same document: only its number differs.
    assert_eq!(again["issueNumber"], 2);
    let renumbered = |text: &Value| text.as_str().unwrap().replacen("第1期", "第2期", 1);
    assert_eq!(again["markdown"].as_str().unwrap(), renumbered(&b["markdown"]));
    assert_eq!(again["html"].as_str().unwrap(), renumbered(&b["html"]));
    let now = app
        .ok_as(
            &supervisor,
            GENERATE,
            json!({"i": {"campaignId": f.campaign, "period": {"from": "2026-07-01", "to": "2026-07-07"}}}),
        )
        .await["generateBulletin"]["bulletin"]
        .clone();
    assert_eq!(now["issueNumber"], 3);
    let now_md = now["markdown"].as_str().unwrap();
    assert!(now_md.contains("截至统计时点，无逾期未完成事项。"), "{now_md}");
    assert!(
        now_md.contains("以下单位满意率低于 99.00%，须开展“回头看”、进行补课：县教育局、县水利局"),
        "{now_md}"
    );
    assert!(now["title"]
        .as_str()
        .unwrap()
        .ends_with("（2026年7月1日至2026年7月7日）"));

    // Someone edits an event the checkpoint covers: it no longer verifies.
    tamper(&app, "UPDATE audit_event SET reason = '改过的' WHERE seq = 3").await;
    let broken = app.ok_anonymous(CHECK, json!({"s": head, "h": hash})).await;
    assert_eq!(broken["verifyCheckpoint"], false);
}

async fn a_bulletin_names_the_missed_milestone_and_numbers_issues_per_campaign(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    // Due at the end of August, but its first step was due on 2026-06-20 and is not done:
    // overdue by its milestone for 10 days on 2026-06-30.
    let late = app
        .create_measure(&f, &problem, &f.water_division, &[], "2026-08-31")
        .await;
    let on_time = app.create_measure(&f, &problem, &f.water, &[], "2026-08-31").await;
    for (measure, title, due) in [
        (&late, "完成管网摸排", "2026-06-20"),
        (&late, "完成维修招标", "2026-06-27"),
        (&on_time, "完成方案编制", "2026-07-20"),
    ] {
        app.ok(
            "mutation($i: AddMilestoneInput!) { addMilestone(input: $i) { milestone { id } } }",
            json!({"i": {"measureId": measure["id"], "title": title, "dueOn": due}}),
        )
        .await;
    }
    let input = json!({"campaignId": f.campaign, "period": {"from": "2026-06-16", "to": "2026-06-30"}});
    let b = app.ok(GENERATE, json!({"i": input})).await["generateBulletin"]["bulletin"].clone();
    let md = b["markdown"].as_str().unwrap();
    assert!(
        md.contains("| 1 | 县水利局农村水利股 | 王建国 | 李明 | A-001 | 完成饮水工程维修 | 时间节点“完成管网摸排”（2026-06-20） | 10 |"),
        "{md}"
    );
    assert!(!md.contains("2026-08-31"), "not the final deadline: {md}");
    assert!(md.contains("予以通报：县水利局农村水利股（1项）"), "{md}");
    assert_eq!(b["issueNumber"], 1);
    // Numbers run per campaign: another campaign's first bulletin is its 第1期 too.
    let other = app
        .ok(
            "mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { campaign { id } } }",
            json!({"i": {"name": "第二批", "phase": "RECTIFICATION", "startsOn": "2026-06-01"}}),
        )
        .await["createCampaign"]["campaign"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (campaign, expected) in [(&f.campaign, 2), (&other, 1), (&f.campaign, 3)] {
        let input = json!({"campaignId": campaign, "period": {"from": "2026-06-16", "to": "2026-06-30"}});
        let b = app.ok(GENERATE, json!({"i": input})).await["generateBulletin"]["bulletin"].clone();
        assert_eq!(b["issueNumber"], expected, "{campaign}");
        let wanted = format!("\n\n第{expected}期\n");
        assert!(b["markdown"].as_str().unwrap().contains(&wanted), "{}", b["markdown"]);
    }
    let listed = app
        .ok(
            "query($c: ID) { bulletins(campaignId: $c) { issueNumber } }",
            json!({"c": f.campaign}),
        )
        .await;
    assert_eq!(
        listed["bulletins"],
        json!([{"issueNumber": 3}, {"issueNumber": 2}, {"issueNumber": 1}])
    );
}

async fn bad_bulletin_requests_are_refused_and_store_nothing(app: TestApp) {
    let f = app.fixture().await;
    let department = app
        .account("slj", "县水利局督查员", Some(("SUPERVISOR", Some(&f.water))), None)
        .await;
    let ok = json!({"campaignId": f.campaign, "period": {"from": "2026-06-16", "to": "2026-06-30"}});
    let head = app.head_seq().await;
    let with = |path: &str, value: Value| {
        let mut input = ok.clone();
        match path.split_once('.') {
            Some((outer, inner)) => input[outer][inner] = value,
            None => input[path] = value,
        }
        json!({"i": input})
    };
    for (variables, field) in [
        (with("period.to", json!("2026-06-15")), "period.to"),
        (with("period.to", json!("2027-07-01")), "period.to"),
        (
            with("period", json!({"from": "2026-07-01", "to": "2026-07-15"})),
            "period.from",
        ),
        (with("asOf", json!("2026-07-01T00:00:00Z")), "asOf"),
        (with("asOf", json!("2026-06-15T00:00:00Z")), "asOf"),
        (with("campaignId", json!(uuid::Uuid::now_v7())), "campaignId"),
        (with("campaignId", json!("not-an-id")), "campaignId"),
        (with("bottom", json!(-1)), "bottom"),
    ] {
        let e = app.err(GENERATE, variables.clone()).await;
        assert_eq!(
            (e.code.as_str(), e.field.as_deref()),
            ("BAD_USER_INPUT", Some(field)),
            "{variables}: {e:?}"
        );
    }
    let e = app.err_as(&department, GENERATE, json!({"i": ok})).await;
    assert_eq!(
        e.code, "FORBIDDEN",
        "a department's supervisor cannot circulate to the county: {e:?}"
    );
    assert_eq!(
        app.err_anonymous(GENERATE, json!({"i": ok})).await.code,
        "UNAUTHENTICATED"
    );
    assert_eq!(app.head_seq().await, head, "no event written");
    assert_eq!(bulletin_count(&app).await, 0, "no bulletin stored");
}

on_both_engines!(
    a_bulletin_names_units_and_people_and_stands_on_a_checkpoint,
    a_bulletin_names_the_missed_milestone_and_numbers_issues_per_campaign,
    bad_bulletin_requests_are_refused_and_store_nothing
);
