//! The ledger export (台账): CSV with the offices' columns, read back; rights as in the API;
//! streamed page by page.

use crate::helpers::TestApp;
use crate::on_both_engines;

/// A small RFC 4180 reader: rows of fields, quotes and doubled quotes handled.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    rows
}

async fn export(app: &TestApp, token: Option<&str>, query: &str) -> (u16, String) {
    let mut request = app.client().get(app.url(&format!("/export/ledger.csv{query}")));
    if let Some(token) = token {
        request = request.insert_header(("Authorization", format!("Bearer {token}")));
    }
    let mut response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.body().limit(64 * 1024 * 1024).await.unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

async fn the_ledger_exports_as_csv_with_the_offices_columns(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    app.create_measure(&f, &problem, &f.water, &[&f.education], "2026-06-20")
        .await;
    app.create_measure(&f, &problem, &f.water_division, &[], "2026-07-31")
        .await;
    let other = app.create_problem(&f, "B-001", &f.education, "LOW").await;
    app.create_measure(&f, &other, &f.education, &[], "2026-08-31").await;
    let (status, text) = export(&app, Some(&app.root_token()), "").await;
    assert_eq!(status, 200, "{text}");
    assert!(
        text.starts_with('\u{feff}'),
        "a byte-order mark for spreadsheet programs"
    );
    let rows = parse_csv(text.trim_start_matches('\u{feff}'));
    assert_eq!(
        rows[0],
        [
            "序号",
            "问题编号",
            "问题描述",
            "问题来源",
            "整改措施",
            "牵头单位",
            "配合单位",
            "责任领导",
            "责任人",
            "整改时限",
            "原定时限",
            "完成情况",
            "状态",
            "是否逾期",
            "销号日期"
        ]
    );
    assert_eq!(rows.len(), 4, "{rows:?}");
    // By deadline: the overdue water measure first.
    assert_eq!(
        rows[1],
        [
            "1",
            "A-001",
            "部分村组饮水工程年久失修",
            "座谈会",
            "完成饮水工程维修",
            "县水利局",
            "县教育局",
            "王建国",
            "李明",
            "2026-06-20",
            "2026-06-20",
            "0%",
            "未启动",
            "是",
            ""
        ]
    );
    assert_eq!(
        (rows[2][0].as_str(), rows[2][5].as_str(), rows[2][13].as_str()),
        ("2", "农村水利股", "否")
    );
    assert_eq!((rows[3][1].as_str(), rows[3][5].as_str()), ("B-001", "县教育局"));
    // Filters: a unit's subtree (lead or cooperating), overdue only.
    let (_, text) = export(&app, Some(&app.root_token()), &format!("?unitId={}", f.water)).await;
    assert_eq!(parse_csv(text.trim_start_matches('\u{feff}')).len(), 3);
    let (_, text) = export(&app, Some(&app.root_token()), "?overdue=true").await;
    assert_eq!(parse_csv(text.trim_start_matches('\u{feff}')).len(), 2);
    // Rights as in the API: none anonymously, only one's own measures otherwise.
    let (status, _) = export(&app, None, "").await;
    assert_eq!(status, 401);
    let teacher = app
        .account("jyj", "县教育局联络员", Some(("VIEWER", Some(&f.education))), None)
        .await;
    let (_, text) = export(&app, Some(&teacher), "").await;
    let own = parse_csv(text.trim_start_matches('\u{feff}'));
    assert_eq!(own.len(), 3, "its own measure and the one it cooperates on: {own:?}");
    let (status, body) = export(&app, Some(&app.root_token()), "?status=NOPE").await;
    assert_eq!(status, 400, "{body}");
    // Large ledgers come page by page, numbered without a gap.
    for _ in 0..230 {
        app.create_measure(&f, &other, &f.education, &[], "2026-09-30").await;
    }
    let (_, text) = export(&app, Some(&app.root_token()), "").await;
    let rows = parse_csv(text.trim_start_matches('\u{feff}'));
    assert_eq!(rows.len(), 234);
    for (i, row) in rows.iter().enumerate().skip(1) {
        assert_eq!(row[0], i.to_string());
    }
}

on_both_engines!(the_ledger_exports_as_csv_with_the_offices_columns);
