//! Intake (征求意见) and satisfaction surveys (满意度测评): opinions by channel sorted into
//! problems, counts by channel and status, surveys whose counts must add up, flagged under the
//! campaign's threshold.

use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_engines;

const RECORD: &str = "mutation($i: RecordFeedbackInput!) { recordFeedback(input: $i) { feedback { id version status channel submitter } } }";
const MERGE: &str =
    "mutation($i: MergeFeedbackInput!) { mergeFeedback(input: $i) { feedback { status version } problem { code } } }";
const DISMISS: &str =
    "mutation($i: DismissFeedbackInput!) { dismissFeedback(input: $i) { feedback { status dismissReason } } }";
const SURVEY: &str = "mutation($i: RecordSatisfactionSurveyInput!) { recordSatisfactionSurvey(input: $i) { survey { id rate belowThreshold } } }";

async fn opinions_are_counted_by_channel_and_sorted_into_problems(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let mut ids = Vec::new();
    // The seeds' shape: forums, forms, boxes; one anonymous box note.
    for (channel, content, submitter) in [
        ("FORUM", "座谈会上群众反映饮水工程年久失修", Some("东坪村村民代表")),
        ("FORUM", "部分村组停水时间长，无人答复", Some("河西乡人大代表")),
        ("FORM", "希望公开维修经费使用情况", Some("县政协委员")),
        ("SUGGESTION_BOX", "办事窗口人员态度生硬", None),
    ] {
        let input = json!({"campaignId": f.campaign, "unitId": f.water_division, "channel": channel,
                           "receivedOn": "2026-05-08", "content": content, "submitter": submitter});
        let r = app.ok(RECORD, json!({"i": input})).await["recordFeedback"]["feedback"].clone();
        assert_eq!(r["status"], "NEW");
        ids.push(r["id"].as_str().unwrap().to_owned());
    }
    let counts = "query($c: ID!) { feedbackCounts(filter: {campaignId: $c}) { channel status count } }";
    let before = app.ok(counts, json!({"c": f.campaign})).await;
    assert_eq!(
        before["feedbackCounts"],
        json!([{"channel": "FORUM", "status": "NEW", "count": 2}, {"channel": "FORM", "status": "NEW", "count": 1}, {"channel": "SUGGESTION_BOX", "status": "NEW", "count": 1}])
    );
    // The two forum opinions and the form become one problem; the box note is dismissed.
    let merged = app
        .ok(
            MERGE,
            json!({"i": {"feedbackIds": [ids[0], ids[1], ids[2]], "problemId": problem}}),
        )
        .await;
    assert_eq!(merged["mergeFeedback"]["problem"]["code"], "A-001");
    assert!(merged["mergeFeedback"]["feedback"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["status"] == "MERGED"));
    let dismissed = app
        .ok(
            DISMISS,
            json!({"i": {"id": ids[3], "expectedVersion": 1, "reason": "属于个人服务态度问题，已转单位当面处理"}}),
        )
        .await;
    assert_eq!(dismissed["dismissFeedback"]["feedback"]["status"], "DISMISSED");
    let after = app.ok(counts, json!({"c": f.campaign})).await;
    assert_eq!(
        after["feedbackCounts"],
        json!([{"channel": "FORUM", "status": "MERGED", "count": 2}, {"channel": "FORM", "status": "MERGED", "count": 1}, {"channel": "SUGGESTION_BOX", "status": "DISMISSED", "count": 1}])
    );
    let of_problem = app
        .ok(
            "query($p: ID!) { feedback(filter: {problemId: $p}) { totalCount } }",
            json!({"p": problem}),
        )
        .await;
    assert_eq!(of_problem["feedback"]["totalCount"], 3);
    // Sorted once: merging or dismissing again is refused, all or none.
    let head = app.head_seq().await;
    let again = app
        .err(MERGE, json!({"i": {"feedbackIds": [ids[0]], "problemId": problem}}))
        .await;
    assert_eq!(again.field.as_deref(), Some("feedbackIds.0"), "{again:?}");
    let fresh = app
        .ok(RECORD, json!({"i": {"campaignId": f.campaign, "unitId": f.water, "channel": "LETTER", "receivedOn": "2026-06-01", "content": "来信反映水费收取不规范"}}))
        .await["recordFeedback"]["feedback"]["id"]
        .clone();
    let mixed = app
        .err(
            MERGE,
            json!({"i": {"feedbackIds": [fresh, ids[3]], "problemId": problem}}),
        )
        .await;
    assert_eq!(mixed.field.as_deref(), Some("feedbackIds.1"));
    let unchanged = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Feedback { status } } }",
            json!({"id": fresh}),
        )
        .await;
    assert_eq!(unchanged["node"]["status"], "NEW", "nothing merged");
    assert_eq!(app.head_seq().await, head + 1, "only the letter was recorded");
    // Input checks.
    for (input, field) in [
        (
            json!({"campaignId": f.campaign, "unitId": f.water, "channel": "FORUM", "receivedOn": "2026-07-01", "content": "x"}),
            "receivedOn",
        ),
        (
            json!({"campaignId": f.campaign, "unitId": f.water, "channel": "FORUM", "receivedOn": "2026-06-01", "content": " "}),
            "content",
        ),
        (
            json!({"campaignId": f.water, "unitId": f.water, "channel": "FORUM", "receivedOn": "2026-06-01", "content": "x"}),
            "campaignId",
        ),
    ] {
        let err = app.err(RECORD, json!({"i": input})).await;
        assert_eq!(
            (err.code.as_str(), err.field.as_deref()),
            ("BAD_USER_INPUT", Some(field)),
            "{err:?}"
        );
    }
    // Opinions are not public, and out of scope they are not listed.
    assert_eq!(
        app.err_anonymous("{ feedback { totalCount } }", json!({})).await.code,
        "UNAUTHENTICATED"
    );
    let teacher = app
        .account("jyj", "县教育局联络员", Some(("EDITOR", Some(&f.education))), None)
        .await;
    assert_eq!(
        app.ok_as(&teacher, "{ feedback { totalCount } }", json!({})).await["feedback"]["totalCount"],
        0
    );
}

async fn surveys_must_add_up_and_units_under_the_threshold_are_flagged(app: TestApp) {
    let f = app.fixture().await;
    let survey = |participants: i64, satisfied: i64, basically: i64, dissatisfied: i64| {
        json!({"i": {"campaignId": f.campaign, "unitId": f.water, "heldOn": "2026-06-28", "method": "REPRESENTATIVES",
                     "participants": participants, "satisfied": satisfied, "basicallySatisfied": basically, "dissatisfied": dissatisfied}})
    };
    // 114 of 120 is exactly 95 %: not below; 113 of 120 is.
    let at = app.ok(SURVEY, survey(120, 98, 16, 6)).await;
    assert_eq!(at["recordSatisfactionSurvey"]["survey"]["rate"], 0.95);
    assert_eq!(at["recordSatisfactionSurvey"]["survey"]["belowThreshold"], false);
    let under = app.ok(SURVEY, survey(120, 97, 16, 7)).await;
    assert_eq!(under["recordSatisfactionSurvey"]["survey"]["rate"], 0.9416);
    assert_eq!(under["recordSatisfactionSurvey"]["survey"]["belowThreshold"], true);
    // The threshold is the campaign's.
    let campaign =
        "mutation($i: UpdateCampaignInput!) { updateCampaign(input: $i) { campaign { satisfactionThreshold } } }";
    let set = app
        .ok(
            campaign,
            json!({"i": {"id": f.campaign, "expectedVersion": 1, "satisfactionThreshold": 0.9}}),
        )
        .await;
    assert_eq!(set["updateCampaign"]["campaign"]["satisfactionThreshold"], 0.9);
    let listed = app
        .ok(
            "{ satisfactionSurveys { totalCount nodes { rate belowThreshold } } }",
            json!({}),
        )
        .await;
    assert_eq!(listed["satisfactionSurveys"]["totalCount"], 2);
    assert!(listed["satisfactionSurveys"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["belowThreshold"] == false));
    let bad = app
        .err(
            campaign,
            json!({"i": {"id": f.campaign, "expectedVersion": 2, "satisfactionThreshold": 1.5}}),
        )
        .await;
    assert_eq!(bad.field.as_deref(), Some("satisfactionThreshold"));
    // Counts that do not add up, negative counts, no participants, a future date.
    let head = app.head_seq().await;
    for (input, field) in [
        (survey(120, 98, 16, 5), "participants"),
        (survey(0, 0, 0, 0), "participants"),
        (survey(10, -1, 6, 5), "satisfied"),
    ] {
        let err = app.err(SURVEY, input).await;
        assert_eq!(
            (err.code.as_str(), err.field.as_deref()),
            ("BAD_USER_INPUT", Some(field)),
            "{err:?}"
        );
    }
    let mut future = survey(10, 8, 1, 1);
    future["i"]["heldOn"] = json!("2026-07-01");
    assert_eq!(app.err(SURVEY, future).await.field.as_deref(), Some("heldOn"));
    assert_eq!(app.head_seq().await, head, "nothing written");
    // A liaison does not grade its own unit.
    let liaison = app
        .account("slj", "县水利局联络员", Some(("EDITOR", Some(&f.water))), None)
        .await;
    assert_eq!(
        app.err_as(&liaison, SURVEY, survey(10, 8, 1, 1)).await.code,
        "FORBIDDEN"
    );
}

const PLEDGE: &str = "mutation($i: MakeCommitmentInput!) { makeCommitment(input: $i) { commitment { id version status overdue person { name contact } } } }";
const FULFIL: &str = "mutation($i: FulfilCommitmentInput!) { fulfilCommitment(input: $i) { commitment { version status fulfilledOn fulfilmentNote overdue } } }";

/// 公开承诺: a unit head's pledge, public, tracked until it is kept; a missed date shows.
async fn public_commitments_are_tracked_to_fulfilment(app: TestApp) {
    let f = app.fixture().await;
    let pledge = |content: &str, due: &str| json!({"i": {"campaignId": f.campaign, "unitId": f.water, "personId": f.leader, "content": content, "dueOn": due}});
    let kept = app.ok(PLEDGE, pledge("三个月内解决东坪村饮水困难", "2026-09-30")).await["makeCommitment"]["commitment"]
        .clone();
    assert_eq!(
        (kept["status"].as_str(), kept["overdue"].as_bool()),
        (Some("PLEDGED"), Some(false))
    );
    let late = app
        .ok(PLEDGE, pledge("六月底前公开水利项目资金使用情况", "2026-06-25"))
        .await["makeCommitment"]["commitment"]
        .clone();
    assert_eq!(late["overdue"], true);
    let done = app
        .ok(FULFIL, json!({"i": {"id": kept["id"], "expectedVersion": 1, "note": "提灌站已修复，群众用上自来水", "fulfilledOn": "2026-06-29"}}))
        .await;
    assert_eq!(
        done["fulfilCommitment"]["commitment"],
        json!({"version": 2, "status": "FULFILLED", "fulfilledOn": "2026-06-29", "fulfilmentNote": "提灌站已修复，群众用上自来水", "overdue": false})
    );
    // Public: anyone reads them, without the pledging person's contact.
    let public = app
        .ok_anonymous("{ commitments { totalCount nodes { content status overdue person { name contact } } } overdue: commitments(filter: {overdue: true}) { totalCount } }", json!({}))
        .await;
    assert_eq!(public["commitments"]["totalCount"], 2);
    assert_eq!(public["overdue"]["totalCount"], 1);
    assert_eq!(
        public["commitments"]["nodes"][0]["person"],
        json!({"name": "王建国", "contact": null})
    );
    // Checks: fulfilled twice, a person of another unit, a date before the campaign, no note.
    let twice = app
        .err(
            FULFIL,
            json!({"i": {"id": kept["id"], "expectedVersion": 2, "note": "再次"}}),
        )
        .await;
    assert_eq!(twice.field.as_deref(), Some("id"));
    let mut other = pledge("x", "2026-09-30");
    other["i"]["personId"] = json!(f.teacher);
    assert_eq!(app.err(PLEDGE, other).await.field.as_deref(), Some("personId"));
    assert_eq!(
        app.err(PLEDGE, pledge("x", "2026-01-01")).await.field.as_deref(),
        Some("dueOn")
    );
    let no_note = app
        .err(
            FULFIL,
            json!({"i": {"id": late["id"], "expectedVersion": 1, "note": ""}}),
        )
        .await;
    assert_eq!(no_note.field.as_deref(), Some("note"));
    let teacher = app
        .account("jyj", "县教育局联络员", Some(("EDITOR", Some(&f.education))), None)
        .await;
    let refused = app
        .err_as(
            &teacher,
            FULFIL,
            json!({"i": {"id": late["id"], "expectedVersion": 1, "note": "代为销号"}}),
        )
        .await;
    assert_eq!(refused.code, "FORBIDDEN");
}

async fn opinions_become_a_new_problem_in_one_change(app: TestApp) {
    let f = app.fixture().await;
    let mut ids = Vec::new();
    for content in ["学校周边交通拥堵，上下学时段尤甚", "校门口缺少护学岗和减速带"] {
        let input = json!({"campaignId": f.campaign, "unitId": f.education, "channel": "ONLINE_BOX",
                           "receivedOn": "2026-05-12", "content": content});
        ids.push(
            app.ok(RECORD, json!({"i": input})).await["recordFeedback"]["feedback"]["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let new_problem = json!({
        "campaignId": f.campaign, "code": "C-001", "title": "学校周边交通安全隐患",
        "category": "民生实事", "source": "SUGGESTION_BOX", "foundOn": "2026-05-20",
        "responsibilityLevel": "LEADERSHIP_TEAM", "severity": "MEDIUM",
        "rectificationKind": "WITHIN_DEADLINE", "leadUnitId": f.education
    });
    let with = |key: &str, value: serde_json::Value| {
        let mut p = new_problem.clone();
        p[key] = value;
        json!({"i": {"feedbackIds": ids, "newProblem": p}})
    };
    // Refusals first: each names its field and leaves no problem and no event behind.
    let head = app.head_seq().await;
    let existing = app.create_problem(&f, "A-001", &f.education, "LOW").await;
    let head_after_setup = app.head_seq().await;
    assert_eq!(head_after_setup, head + 1);
    for (variables, field) in [
        (with("code", json!("A-001")), "newProblem.code"),
        (with("code", json!("空 格")), "newProblem.code"),
        (with("title", json!("")), "newProblem.title"),
        (with("leadUnitId", json!("not-an-id")), "newProblem.leadUnitId"),
        (with("foundOn", json!("2026-07-01")), "newProblem.foundOn"),
        (
            json!({"i": {"feedbackIds": ids, "newProblem": new_problem, "problemId": existing}}),
            "problemId",
        ),
        (json!({"i": {"feedbackIds": ids}}), "problemId"),
        (
            json!({"i": {"feedbackIds": [], "newProblem": new_problem}}),
            "feedbackIds",
        ),
    ] {
        let e = app.err(MERGE, variables.clone()).await;
        assert_eq!(
            (e.code.as_str(), e.field.as_deref()),
            ("BAD_USER_INPUT", Some(field)),
            "{variables}: {e:?}"
        );
    }
    assert_eq!(app.head_seq().await, head_after_setup, "no event written by a refusal");
    // An opinion already sorted makes the whole change fail, the new problem included.
    let third = app
        .ok(RECORD, json!({"i": {"campaignId": f.campaign, "unitId": f.education, "channel": "LETTER", "receivedOn": "2026-05-12", "content": "已转办"}}))
        .await["recordFeedback"]["feedback"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.ok(MERGE, json!({"i": {"feedbackIds": [third], "problemId": existing}}))
        .await;
    let head = app.head_seq().await;
    let e = app
        .err(
            MERGE,
            json!({"i": {"feedbackIds": [ids[0], third], "newProblem": new_problem}}),
        )
        .await;
    assert_eq!(e.field.as_deref(), Some("feedbackIds.1"), "{e:?}");
    assert_eq!(app.head_seq().await, head, "nothing written");
    let codes = "query($c: ID!) { problems(filter: {campaignId: $c}) { edges { node { code } } } }";
    let listed = app.ok(codes, json!({"c": f.campaign})).await;
    assert_eq!(
        listed["problems"]["edges"].as_array().unwrap().len(),
        1,
        "no C-001: {listed}"
    );
    // A liaison of another department cannot file the problem for the education department.
    let water = app
        .account("slj", "县水利局联络员", Some(("EDITOR", Some(&f.water))), None)
        .await;
    let e = app
        .err_as(
            &water,
            MERGE,
            json!({"i": {"feedbackIds": ids, "newProblem": new_problem}}),
        )
        .await;
    assert_eq!(e.code, "FORBIDDEN", "{e:?}");
    // The change itself: the problem and the merges, one request, in order.
    let merged = app
        .ok(
            "mutation($i: MergeFeedbackInput!) { mergeFeedback(input: $i) { feedback { status problem { code } } problem { id code title status } } }",
            json!({"i": {"feedbackIds": ids, "newProblem": new_problem}}),
        )
        .await["mergeFeedback"]
        .clone();
    assert_eq!(merged["problem"]["code"], "C-001");
    assert_eq!(merged["problem"]["title"], "学校周边交通安全隐患");
    for f in merged["feedback"].as_array().unwrap() {
        assert_eq!(
            (f["status"].as_str(), f["problem"]["code"].as_str()),
            (Some("MERGED"), Some("C-001"))
        );
    }
    let events = app
        .ok(
            "query($n: Int) { auditEvents(orderBy: SEQ_DESC, first: $n) { edges { node { action requestId } } } }",
            json!({"n": 3}),
        )
        .await["auditEvents"]["edges"]
        .clone();
    let actions: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["feedback.merge", "feedback.merge", "problem.create"]);
    let request_ids: std::collections::HashSet<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["requestId"].as_str().unwrap())
        .collect();
    assert_eq!(request_ids.len(), 1, "one request: {events}");
}

/// 将测评情况向群众通报: a survey's result is INTERNAL until a supervisor discloses it; PUBLIC
/// results are read without login, without the 督查组's note.
async fn a_disclosed_survey_result_is_read_by_the_public_without_its_note(app: TestApp) {
    let f = app.fixture().await;
    let input = json!({"i": {"campaignId": f.campaign, "unitId": f.water, "heldOn": "2026-06-28", "method": "REPRESENTATIVES",
                             "participants": 120, "satisfied": 98, "basicallySatisfied": 16, "dissatisfied": 6, "note": "座谈会现场测评"}});
    let q = "mutation($i: RecordSatisfactionSurveyInput!) { recordSatisfactionSurvey(input: $i) { survey { id version disclosure } } }";
    let recorded = app.ok(q, input.clone()).await["recordSatisfactionSurvey"]["survey"].clone();
    assert_eq!(recorded["disclosure"], "INTERNAL");
    let id = recorded["id"].as_str().unwrap();
    let public = "{ satisfactionSurveys { totalCount nodes { id rate note unit { name } } } }";
    assert_eq!(
        app.ok_anonymous(public, json!({})).await["satisfactionSurveys"]["totalCount"],
        0
    );
    let node = "query($id: ID!) { node(id: $id) { ... on SatisfactionSurvey { rate note } } }";
    assert!(app.ok_anonymous(node, json!({"id": id})).await["node"].is_null());

    // Neither the unit's liaison nor a stale version may disclose it; nothing is written.
    let disclose = "mutation($i: DiscloseSurveyInput!) { discloseSurvey(input: $i) { survey { version disclosure } } }";
    let liaison = app
        .account("slj", "县水利局联络员", Some(("EDITOR", Some(&f.water))), None)
        .await;
    let head = app.head_seq().await;
    let to_public = |version: i64| json!({"i": {"id": id, "expectedVersion": version, "disclosure": "PUBLIC"}});
    assert_eq!(app.err_as(&liaison, disclose, to_public(1)).await.code, "FORBIDDEN");
    assert_eq!(app.err(disclose, to_public(7)).await.code, "CONFLICT");
    assert_eq!(app.err_anonymous(disclose, to_public(1)).await.code, "UNAUTHENTICATED");
    assert_eq!(app.head_seq().await, head, "refusals write nothing");

    let done = app.ok(disclose, to_public(1)).await;
    assert_eq!(
        done["discloseSurvey"]["survey"],
        json!({"version": 2, "disclosure": "PUBLIC"})
    );
    let seen = app.ok_anonymous(public, json!({})).await;
    assert_eq!(seen["satisfactionSurveys"]["totalCount"], 1, "{seen}");
    let row = &seen["satisfactionSurveys"]["nodes"][0];
    assert_eq!(
        (row["rate"].as_f64(), row["unit"]["name"].as_str()),
        (Some(0.95), Some("县水利局"))
    );
    assert!(row["note"].is_null(), "the note is not public: {row}");
    assert_eq!(app.ok_anonymous(node, json!({"id": id})).await["node"]["rate"], 0.95);
    // Accounts still read the note; the trail shows the change.
    let reader = app
        .account("jiwei.test", "县纪委", Some(("VIEWER", Some(&f.education))), None)
        .await;
    let listed = app.ok_as(&reader, public, json!({})).await;
    assert_eq!(listed["satisfactionSurveys"]["nodes"][0]["note"], "座谈会现场测评");
    let history = "query($id: ID!) { node(id: $id) { ... on SatisfactionSurvey { history { nodes { action } } } } }";
    let actions = app.ok(history, json!({"id": id})).await;
    assert_eq!(
        actions["node"]["history"]["nodes"],
        json!([{"action": "satisfaction_survey.disclose"}, {"action": "satisfaction_survey.create"}]),
        "{actions}"
    );
    // Recording a survey disclosed at once needs the same right.
    let mut at_once = input;
    at_once["i"]["disclosure"] = json!("SYSTEM");
    assert_eq!(
        app.ok(q, at_once).await["recordSatisfactionSurvey"]["survey"]["disclosure"],
        "SYSTEM"
    );
}

on_both_engines!(
    a_disclosed_survey_result_is_read_by_the_public_without_its_note,
    opinions_are_counted_by_channel_and_sorted_into_problems,
    opinions_become_a_new_problem_in_one_change,
    surveys_must_add_up_and_units_under_the_threshold_are_flagged,
    public_commitments_are_tracked_to_fulfilment,
);
