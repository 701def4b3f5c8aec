//! 提醒: an account's inbox lists what falls due, what its units received and what was decided
//! for the work it does, and only that; items are marked read per account, audited, and a bad
//! request writes nothing.

use serde_json::{json, Value};

use crate::helpers::{start_and_close_out, version, TestApp};
use crate::on_both_engines;

const INBOX: &str = "query($d: Int! = 3, $u: Boolean! = false) { inbox(dueWithinWorkingDays: $d, unreadOnly: $u, first: 200) { totalCount unreadCount items { key kind at text read measure { title } supervisionActionId } } }";
const MARK: &str =
    "mutation($i: MarkInboxReadInput!) { markInboxRead(input: $i) { inbox { totalCount unreadCount } } }";

fn kinds(inbox: &Value) -> Vec<String> {
    let mut kinds: Vec<String> = inbox["inbox"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap().to_owned())
        .collect();
    kinds.sort();
    kinds
}

fn item<'a>(inbox: &'a Value, kind: &str) -> &'a Value {
    inbox["inbox"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {inbox}"))
}

async fn an_inbox_lists_the_work_of_the_accounts_units_and_marks_items_read(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let id = |m: Value| m["id"].as_str().unwrap().to_owned();
    // Today is Tuesday 30 June: 3 working days reach Friday 3 July.
    let soon = id(app.create_measure(&f, &problem, &f.water, &[], "2026-07-02").await);
    let later = id(app.create_measure(&f, &problem, &f.water, &[], "2026-08-31").await);
    let verified = id(app.create_measure(&f, &problem, &f.water, &[], "2026-09-30").await);
    app.create_measure(&f, &problem, &f.education, &[], "2026-07-01").await;
    let liaison = app
        .account("slj", "县水利局联络员", Some(("EDITOR", Some(&f.water))), None)
        .await;
    let teacher = app
        .account("jyj", "县教育局联络员", Some(("EDITOR", Some(&f.education))), None)
        .await;
    let viewer = app
        .account("slj-view", "县水利局", Some(("VIEWER", Some(&f.water))), None)
        .await;
    let ducha = app
        .account("ducha", "县委督查组", Some(("SUPERVISOR", None)), None)
        .await;

    // What the department received and had decided.
    app.ok(
        "mutation($i: IssueSupervisionInput!) { issueSupervision(input: $i) { supervisionAction { id } } }",
        json!({"i": {"kind": "NOTICE", "targetUnitId": f.water, "measureId": soon, "content": "限期完成饮水工程维修", "responseDue": "2026-07-03"}}),
    )
    .await;
    app.ok_as(
        &ducha,
        "mutation($i: UrgeInput!) { urge(input: $i) { urging { id } } }",
        json!({"i": {"measureId": later, "note": "请加快推进并报送进展", "respondBy": "2026-07-06"}}),
    )
    .await;
    let asked = app
        .ok_as(
            &liaison,
            "mutation($i: RequestDeadlineExtensionInput!) { requestDeadlineExtension(input: $i) { extension { id } } }",
            json!({"i": {"id": later, "expectedVersion": version(&app, &later).await, "newDeadline": "2026-09-30", "reason": "汛期无法施工"}}),
        )
        .await;
    app.ok(
        "mutation($i: DecideDeadlineExtensionInput!) { decideDeadlineExtension(input: $i) { extension { id } } }",
        json!({"i": {"id": asked["requestDeadlineExtension"]["extension"]["id"], "decision": "APPROVE", "comment": "同意"}}),
    )
    .await;
    start_and_close_out(&app, &ducha, &verified).await;

    let mine = app.ok_as(&liaison, INBOX, json!({})).await;
    assert_eq!(
        kinds(&mine),
        ["DUE_SOON", "EXTENSION", "SUPERVISION", "URGING", "VERIFICATION"],
        "{mine}"
    );
    assert_eq!(item(&mine, "DUE_SOON")["measure"]["title"], "完成饮水工程维修");
    assert!(item(&mine, "URGING")["text"]
        .as_str()
        .unwrap()
        .contains("请加快推进并报送进展"));
    assert!(item(&mine, "EXTENSION")["text"]
        .as_str()
        .unwrap()
        .contains("2026-09-30"));
    assert!(item(&mine, "VERIFICATION")["text"]
        .as_str()
        .unwrap()
        .contains("验收通过"));
    assert_eq!(mine["inbox"]["unreadCount"], 5);
    // A narrower countdown leaves the measure due Thursday out.
    let today_only = app.ok_as(&liaison, INBOX, json!({"d": 0})).await;
    assert!(!kinds(&today_only).contains(&"DUE_SOON".to_owned()));
    // Another department's liaison sees none of it; a reader does no work, so has no reminders
    // of the units (the extension decision is the requester's own).
    let theirs = app.ok_as(&teacher, INBOX, json!({})).await;
    assert_eq!(kinds(&theirs), ["DUE_SOON"], "{theirs}");
    assert_eq!(app.ok_as(&viewer, INBOX, json!({})).await["inbox"]["totalCount"], 0);
    let anonymous = app.err_anonymous(INBOX, json!({})).await;
    assert_eq!(anonymous.code, "UNAUTHENTICATED");

    // Bad requests write nothing.
    let before = app.head_seq().await;
    for (input, why) in [
        (json!({}), "neither keys nor all"),
        (json!({"keys": [], "all": false}), "no keys"),
        (json!({"keys": ["supervision:x"], "all": true}), "both"),
        (
            json!({"keys": ["supervision:00000000-0000-0000-0000-000000000000"]}),
            "not in the inbox",
        ),
    ] {
        let err = app.err_as(&liaison, MARK, json!({"i": input})).await;
        assert_eq!(
            (err.code.as_str(), err.field.as_deref()),
            ("BAD_USER_INPUT", Some("keys")),
            "{why}: {err:?}"
        );
    }
    let bad_days = app.err_as(&liaison, INBOX, json!({"d": 31})).await;
    assert_eq!(bad_days.field.as_deref(), Some("dueWithinWorkingDays"));
    assert_eq!(app.head_seq().await, before);

    // Marking read: per item, once, audited; another account's copy stays unread.
    let supervision = item(&mine, "SUPERVISION")["key"].clone();
    let marked = app
        .ok_as(&liaison, MARK, json!({"i": {"keys": [supervision, supervision]}}))
        .await;
    assert_eq!(marked["markInboxRead"]["inbox"]["unreadCount"], 4);
    assert_eq!(app.head_seq().await, before + 1, "one event for one item");
    app.ok_as(&liaison, MARK, json!({"i": {"keys": [supervision]}})).await;
    assert_eq!(app.head_seq().await, before + 1, "already read: nothing written");
    let unread = app.ok_as(&liaison, INBOX, json!({"u": true})).await;
    assert_eq!(unread["inbox"]["items"].as_array().unwrap().len(), 4);
    let theirs = app.ok_as(&ducha, INBOX, json!({})).await;
    assert_eq!(item(&theirs, "SUPERVISION")["read"], false);
    let all = app.ok_as(&liaison, MARK, json!({"i": {"all": true}})).await;
    assert_eq!(all["markInboxRead"]["inbox"]["unreadCount"], 0);
    assert_eq!(app.head_seq().await, before + 5);
    let events = app
        .ok(
            "{ auditEvents(filter: {action: \"inbox.mark_read\"}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(events["auditEvents"]["totalCount"], 5);
}

async fn overdue_measures_and_missing_reports_are_reminded_until_they_are_done(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let m = app.create_measure(&f, &problem, &f.water, &[], "2026-07-10").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    crate::helpers::step(
        &app,
        None,
        "startMeasure",
        "MeasureTransitionInput",
        json!({"id": m, "expectedVersion": 1}),
    )
    .await;
    app.ok(
        "mutation($i: SetReportRhythmInput!) { setReportRhythm(input: $i) { campaign { id } } }",
        json!({"i": {"campaignId": f.campaign, "expectedVersion": 1, "default": {"kind": "HALF_MONTHLY"}}}),
    )
    .await;
    // 16 July: the deadline has passed and the report due on the 15th was not filed.
    app.clock.advance(chrono::Duration::days(16));
    let liaison = app
        .account("slj", "县水利局联络员", Some(("EDITOR", Some(&f.water))), None)
        .await;
    let inbox = app.ok_as(&liaison, INBOX, json!({})).await;
    assert_eq!(kinds(&inbox), ["OVERDUE", "REPORT_MISSING"], "{inbox}");
    let overdue = item(&inbox, "OVERDUE");
    assert!(
        overdue["text"]
            .as_str()
            .unwrap()
            .contains("已逾期（整改时限2026-07-10）"),
        "{overdue}"
    );
    assert_eq!(overdue["key"], format!("overdue:{m}:2026-07-10"));
    let missing = item(&inbox, "REPORT_MISSING");
    assert!(
        missing["text"]
            .as_str()
            .unwrap()
            .contains("2026-07-01至2026-07-15的进展未报送"),
        "{missing}"
    );
    // Filing the late report clears that reminder; the measure stays overdue.
    let v = version(&app, &m).await;
    app.ok(
        "mutation($i: ReportProgressInput!) { reportProgress(input: $i) { measure { version } } }",
        json!({"i": {"id": m, "expectedVersion": v, "percent": 50, "text": "补报上半月进展", "period": "2026-07-10"}}),
    )
    .await;
    let inbox = app.ok_as(&liaison, INBOX, json!({})).await;
    assert_eq!(kinds(&inbox), ["OVERDUE"], "{inbox}");
}

on_both_engines!(
    an_inbox_lists_the_work_of_the_accounts_units_and_marks_items_read,
    overdue_measures_and_missing_reports_are_reminded_until_they_are_done
);
