//! Working days: the calendar of holidays and 调休 working days, and countdowns in working days
//! across the 2026 Mid-Autumn Festival and National Day, with the clock fixed.

use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_engines;

const SET: &str =
    "mutation($i: SetCalendarDaysInput!) { setCalendarDays(input: $i) { days { date kind name version } } }";
const REMOVE: &str = "mutation($i: RemoveCalendarDayInput!) { removeCalendarDay(input: $i) { removed { date kind } } }";
const COUNTDOWN: &str = "query($id: ID!) { node(id: $id) { ... on Measure { deadline overdue daysRemaining workingDaysRemaining daysOverdue workingDaysOverdue } } }";

/// 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04), Mid-Autumn Festival and National Day:
/// 9月25日至27日放假; 10月1日至7日放假调休; 9月20日（周日）、10月10日（周六）上班.
fn autumn_2026() -> serde_json::Value {
    let mut days = vec![json!({"date": "2026-09-20", "kind": "WORKDAY", "name": "国庆节调休上班"})];
    for d in 25..=27 {
        days.push(json!({"date": format!("2026-09-{d}"), "kind": "HOLIDAY", "name": "中秋节"}));
    }
    for d in 1..=7 {
        days.push(json!({"date": format!("2026-10-0{d}"), "kind": "HOLIDAY", "name": "国庆节"}));
    }
    days.push(json!({"date": "2026-10-10", "kind": "WORKDAY", "name": "国庆节调休上班"}));
    json!({"i": {"days": days}})
}

async fn countdowns_count_working_days_across_holidays_and_adjusted_saturdays(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let due_after_holidays = app.create_measure(&f, &problem, &f.water, &[], "2026-10-12").await;
    let overdue = app.create_measure(&f, &problem, &f.water, &[], "2026-09-18").await;
    let set = app.ok(SET, autumn_2026()).await;
    assert_eq!(set["setCalendarDays"]["days"].as_array().unwrap().len(), 12);
    assert_eq!(
        set["setCalendarDays"]["days"][0],
        json!({"date": "2026-09-20", "kind": "WORKDAY", "name": "国庆节调休上班", "version": 1})
    );
    // Thursday 24 September 2026, China Standard Time.
    app.clock.advance(chrono::Duration::days(86));
    let m = app.ok(COUNTDOWN, json!({"id": due_after_holidays["id"]})).await;
    // 28, 29, 30 Sep; 8, 9, 10 (the Saturday worked), 12 Oct: 7 working days in 18 days.
    assert_eq!(
        m["node"],
        json!({"deadline": "2026-10-12", "overdue": false, "daysRemaining": 18, "workingDaysRemaining": 7, "daysOverdue": null, "workingDaysOverdue": null})
    );
    let m = app.ok(COUNTDOWN, json!({"id": overdue["id"]})).await;
    // 20 Sep (the Sunday worked), 21, 22, 23, 24 Sep: 5 working days in 6 days.
    assert_eq!(
        m["node"],
        json!({"deadline": "2026-09-18", "overdue": true, "daysRemaining": -6, "workingDaysRemaining": null, "daysOverdue": 6, "workingDaysOverdue": 5})
    );
    // Due within N working days: the 6th working day after today is 10 Oct, the 7th 12 Oct.
    let due = "query($n: Int!) { measures(filter: {dueWithinWorkingDays: $n}) { totalCount } }";
    assert_eq!(app.ok(due, json!({"n": 6})).await["measures"]["totalCount"], 0);
    assert_eq!(app.ok(due, json!({"n": 7})).await["measures"]["totalCount"], 1);
    let bad = app.err(due, json!({"n": -1})).await;
    assert_eq!(bad.field.as_deref(), Some("filter.dueWithinWorkingDays"));
    // Without the adjusted Saturday, 10 Oct is a weekend day again: 6 working days remain.
    let removed = app
        .ok(REMOVE, json!({"i": {"date": "2026-10-10", "reason": "录入有误"}}))
        .await;
    assert_eq!(removed["removeCalendarDay"]["removed"]["kind"], "WORKDAY");
    let m = app.ok(COUNTDOWN, json!({"id": due_after_holidays["id"]})).await;
    assert_eq!(m["node"]["workingDaysRemaining"], 6);
    // The public reads the calendar; the changes are audited.
    let listed = app
        .ok_anonymous(
            "{ calendarDays(from: \"2026-09-01\", to: \"2026-10-31\") { date kind } }",
            json!({}),
        )
        .await;
    assert_eq!(listed["calendarDays"].as_array().unwrap().len(), 11);
    let events = app
        .ok("{ auditEvents(filter: {entityType: \"CalendarDay\"}, first: 1) { totalCount edges { node { action reason before } } } }", json!({}))
        .await;
    assert_eq!(events["auditEvents"]["totalCount"], 13);
    let last = &events["auditEvents"]["edges"][0]["node"];
    assert_eq!(
        (last["action"].as_str(), last["reason"].as_str()),
        (Some("calendar_day.remove"), Some("录入有误"))
    );
    assert_eq!(last["before"]["day"], "2026-10-10");
}

async fn calendar_changes_are_checked_and_all_or_nothing(app: TestApp) {
    let head = app.head_seq().await;
    let cases = [
        (
            json!([{"date": "2026-10-08", "kind": "WORKDAY", "name": "调休"}]),
            "days.0.kind",
        ),
        (
            json!([{"date": "2026-10-01", "kind": "HOLIDAY", "name": "国庆节"}, {"date": "2026-10-01", "kind": "HOLIDAY", "name": "国庆节"}]),
            "days.1.date",
        ),
        (
            json!([{"date": "2026-10-01", "kind": "HOLIDAY", "name": "国庆节"}, {"date": "2026-10-02", "kind": "HOLIDAY", "name": "  "}]),
            "days.1.name",
        ),
        (json!([]), "days"),
    ];
    for (days, field) in cases {
        let err = app.err(SET, json!({"i": {"days": days}})).await;
        assert_eq!(
            (err.code.as_str(), err.field.as_deref()),
            ("BAD_USER_INPUT", Some(field)),
            "{err:?}"
        );
    }
    let missing = app
        .err(REMOVE, json!({"i": {"date": "2026-10-01", "reason": "x"}}))
        .await;
    assert_eq!(missing.field.as_deref(), Some("date"));
    assert_eq!(app.head_seq().await, head, "nothing written");
    // Only an administrator of the whole tree maintains it.
    let f = app.fixture().await;
    let local_admin = app
        .account("slj.admin", "县水利局管理员", Some(("ADMIN", Some(&f.water))), None)
        .await;
    let refused = app.err_as(&local_admin, SET, autumn_2026()).await;
    assert_eq!(refused.code, "FORBIDDEN");
    let anonymous = app.err_anonymous(SET, autumn_2026()).await;
    assert_eq!(anonymous.code, "UNAUTHENTICATED");
    // Setting a listed day again changes it in place.
    app.ok(SET, autumn_2026()).await;
    let again = app
        .ok(
            SET,
            json!({"i": {"days": [{"date": "2026-10-10", "kind": "HOLIDAY", "name": "临时放假"}]}}),
        )
        .await;
    assert_eq!(
        again["setCalendarDays"]["days"][0],
        json!({"date": "2026-10-10", "kind": "HOLIDAY", "name": "临时放假", "version": 2})
    );
    let span = app
        .err(
            "{ calendarDays(from: \"2026-01-01\", to: \"2040-01-01\") { date } }",
            json!({}),
        )
        .await;
    assert_eq!(span.field.as_deref(), Some("to"));
}

/// A year whose official calendar is not loaded (2027 here) makes working-day figures
/// approximate, and says so; a measure overdue by a missed milestone has no working days
/// remaining, as the schema says.
async fn working_days_into_a_year_without_a_calendar_say_they_are_approximate(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let this_year = app.create_measure(&f, &problem, &f.water, &[], "2026-10-12").await;
    let next_year = app.create_measure(&f, &problem, &f.water, &[], "2027-01-15").await;
    let by_milestone = app.create_measure(&f, &problem, &f.water, &[], "2026-12-31").await;
    let add = "mutation($i: AddMilestoneInput!) { addMilestone(input: $i) { milestone { id } } }";
    app.ok(
        add,
        json!({"i": {"measureId": by_milestone["id"], "title": "完成管网排查", "dueOn": "2026-06-20"}}),
    )
    .await;
    app.ok(SET, autumn_2026()).await;
    let coverage =
        "query($a: Int!, $b: Int!) { calendarCoverage(fromYear: $a, toYear: $b) { year loaded holidays workdays } }";
    let years = app.ok_anonymous(coverage, json!({"a": 2026, "b": 2027})).await;
    assert_eq!(
        years["calendarCoverage"],
        json!([{"year": 2026, "loaded": true, "holidays": 10, "workdays": 2},
               {"year": 2027, "loaded": false, "holidays": 0, "workdays": 0}])
    );
    for (a, b, field) in [(2027, 2026, "toYear"), (2026, 2100, "toYear"), (-5, 2026, "fromYear")] {
        let e = app.err(coverage, json!({"a": a, "b": b})).await;
        assert_eq!(
            (e.code.as_str(), e.field.as_deref()),
            ("BAD_USER_INPUT", Some(field)),
            "{a}–{b}"
        );
    }
    let q = "query($id: ID!) { node(id: $id) { ... on Measure { overdue workingDaysRemaining workingDaysOverdue workingDaysApproximate } } }";
    let get = |m: &serde_json::Value| json!({"id": m["id"]});
    assert_eq!(
        app.ok(q, get(&this_year)).await["node"],
        json!({"overdue": false, "workingDaysRemaining": 70, "workingDaysOverdue": null, "workingDaysApproximate": false})
    );
    let next = app.ok(q, get(&next_year)).await;
    assert_eq!(
        next["node"]["workingDaysApproximate"], true,
        "元旦 2027 is not loaded: {next}"
    );
    assert_eq!(
        app.ok(q, get(&by_milestone)).await["node"],
        json!({"overdue": true, "workingDaysRemaining": null, "workingDaysOverdue": 7, "workingDaysApproximate": false})
    );
    // Once 2027 is loaded, the figure is exact and counts 元旦 as a holiday.
    let before = next["node"]["workingDaysRemaining"].as_i64().unwrap();
    let new_year = json!({"i": {"days": [{"date": "2027-01-01", "kind": "HOLIDAY", "name": "元旦"}]}});
    app.ok(SET, new_year).await;
    let exact = app.ok(q, get(&next_year)).await;
    assert_eq!(exact["node"]["workingDaysApproximate"], false, "{exact}");
    assert_eq!(exact["node"]["workingDaysRemaining"].as_i64(), Some(before - 1));
}

on_both_engines!(
    working_days_into_a_year_without_a_calendar_say_they_are_approximate,
    countdowns_count_working_days_across_holidays_and_adjusted_saturdays,
    calendar_changes_are_checked_and_all_or_nothing,
);
