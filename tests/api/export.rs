//! The ledger export (台账): CSV and Excel with the offices' columns, read back (the workbook
//! with calamine); rights as in the API; streamed page by page; as of a past instant equal to
//! the export taken then.

use std::io::Read;

use calamine::{Data, Reader, Xlsx};
use serde_json::json;

use crate::helpers::{close_out, rename, six_measures, step, version, TestApp};
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

async fn download(app: &TestApp, token: Option<&str>, path: &str) -> (u16, Vec<u8>, String) {
    let mut request = app.client().get(app.url(path));
    if let Some(token) = token {
        request = request.insert_header(("Authorization", format!("Bearer {token}")));
    }
    let mut response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let disposition = response
        .headers()
        .get("content-disposition")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = response.body().limit(64 * 1024 * 1024).await.unwrap();
    (status, body.to_vec(), disposition)
}

async fn export(app: &TestApp, token: Option<&str>, query: &str) -> (u16, String) {
    let (status, body, _) = download(app, token, &format!("/export/ledger.csv{query}")).await;
    (status, String::from_utf8(body).unwrap())
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    parse_csv(text.trim_start_matches('\u{feff}'))
}

/// A cell as the CSV shows it: whole numbers without a fraction, dates as yyyy-mm-dd.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        Data::Int(i) => i.to_string(),
        Data::DateTime(d) => {
            let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
            (epoch + chrono::Duration::days(d.as_f64() as i64)).to_string()
        }
        other => panic!("unexpected cell {other:?}"),
    }
}

/// One part of the workbook's zip, as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip file");
    let mut xml = String::new();
    zip.by_name(name)
        .expect("the workbook's part")
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// The sheet 整改台账 between its title row and its closing line (合计) as rows of text (the
/// header first) and as cells, and the sheet's XML (for the frozen pane, widths, heights and
/// page setup).
fn read_xlsx(bytes: &[u8]) -> (Vec<Vec<String>>, Vec<Vec<Data>>, String) {
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx file");
    assert_eq!(book.sheet_names(), ["整改台账"]);
    let range = book.worksheet_range("整改台账").expect("the sheet");
    let mut cells: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let title = cells.remove(0);
    assert!(
        matches!(&title[0], Data::String(t) if t.contains("整改台账")) && title[1..].iter().all(|c| *c == Data::Empty),
        "the first row is the title, across the columns: {title:?}"
    );
    let total = cells.pop().expect("the closing line");
    assert!(
        matches!(&total[0], Data::String(t) if *t == format!("合计：整改措施 {} 项", cells.len() - 1)),
        "the last row counts the lines: {total:?}"
    );
    let text = cells.iter().map(|r| r.iter().map(cell_text).collect()).collect();
    let xml = part(bytes, "xl/worksheets/sheet1.xml");
    let rows = xml.matches("<row r=").count();
    assert_eq!(
        rows,
        cells.len() + 2,
        "each row once (the title and the closing line besides): {xml}"
    );
    (text, cells, xml)
}

/// The title row's text.
fn xlsx_title(bytes: &[u8]) -> String {
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx file");
    let range = book.worksheet_range("整改台账").expect("the sheet");
    cell_text(range.get((0, 0)).expect("a title"))
}

/// The height (`ht`, points) the sheet's XML gives row `r` (1-based, as Excel numbers rows).
fn row_height(xml: &str, r: u32) -> Option<f64> {
    let start = xml.find(&format!("<row r=\"{r}\""))?;
    let tag = &xml[start..start + xml[start..].find('>')?];
    let ht = tag.split(" ht=\"").nth(1)?;
    ht[..ht.find('"')?].parse().ok()
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
            "问题类别",
            "问题描述",
            "问题来源",
            "原因剖析",
            "整改类型",
            "整改措施",
            "整改目标/工作标准",
            "牵头单位",
            "配合单位",
            "责任领导",
            "责任人",
            "整改时限",
            "原定时限",
            "延期次数",
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
            "民生实事",
            "部分村组饮水工程年久失修",
            "座谈会",
            "重建设轻管护",
            "限期整改",
            "完成饮水工程维修",
            "群众饮水达标",
            "县水利局",
            "县教育局",
            "王建国",
            "李明",
            "2026-06-20",
            "2026-06-20",
            "0",
            "0%",
            "待启动",
            "是",
            ""
        ]
    );
    assert_eq!(
        (rows[2][0].as_str(), rows[2][9].as_str(), rows[2][18].as_str()),
        ("2", "农村水利股", "否")
    );
    assert_eq!((rows[3][1].as_str(), rows[3][9].as_str()), ("B-001", "县教育局"));
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

/// Two measures of A-001 (one of 县水利局 cooperating with 县教育局, started and at 60 %, one of
/// its division), as the Excel tests use them; returns the problem's id.
async fn two_water_measures(app: &TestApp, f: &crate::helpers::Fixture) -> String {
    let problem = app.create_problem(f, "A-001", &f.water, "HIGH").await;
    let first = app
        .create_measure(f, &problem, &f.water, &[&f.education], "2026-06-20")
        .await;
    app.create_measure(f, &problem, &f.water_division, &[], "2026-07-31")
        .await;
    let id = first["id"].as_str().unwrap();
    let v = step(
        app,
        None,
        "startMeasure",
        "MeasureTransitionInput",
        json!({"id": id, "expectedVersion": 1}),
    )
    .await;
    app.ok(
        "mutation($i: ReportProgressInput!) { reportProgress(input: $i) { measure { id } } }",
        json!({"i": {"id": id, "expectedVersion": v, "percent": 60, "text": "已完成管网摸排, 维修过半"}}),
    )
    .await;
    problem
}

async fn the_ledger_exports_as_an_excel_workbook_with_the_same_rows(app: TestApp) {
    let f = app.fixture().await;
    let problem = two_water_measures(&app, &f).await;
    let root = app.root_token();
    let (status, bytes, disposition) = download(&app, Some(&root), "/export/ledger.xlsx").await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(
        disposition,
        "attachment; filename=\"taizhang-ledger.xlsx\"; filename*=UTF-8''%E6%95%B4%E6%94%B9%E5%8F%B0%E8%B4%A6.xlsx"
    );
    let (rows, cells, _) = read_xlsx(&bytes);
    let (_, csv) = export(&app, Some(&root), "").await;
    assert_eq!(rows, csv_rows(&csv), "the workbook holds what the CSV holds");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][16], "60%：已完成管网摸排, 维修过半");
    // Numbers and dates are typed cells, so offices can sort and filter them.
    assert_eq!(cells[1][0], Data::Float(1.0));
    assert!(matches!(cells[1][13], Data::DateTime(_)), "{:?}", cells[1][13]);
    assert_eq!(cells[1][15], Data::Float(0.0), "延期次数");
    assert_eq!(cells[1][19], Data::Empty);
    // Filters and rights as for the CSV.
    let teacher = app
        .account("jyj", "县教育局联络员", Some(("VIEWER", Some(&f.education))), None)
        .await;
    let (_, bytes, _) = download(&app, Some(&teacher), "/export/ledger.xlsx").await;
    let (own, _, _) = read_xlsx(&bytes);
    assert_eq!(own.len(), 2, "only the measure it cooperates on: {own:?}");
    assert_eq!(download(&app, None, "/export/ledger.xlsx").await.0, 401);
    let nothing = uuid::Uuid::now_v7();
    for (query, name) in [
        ("?unitId=x".to_owned(), "unitId"),
        ("?asOf=yesterday".to_owned(), "asOf"),
        ("?asOf=2026-07-01T00:00:00Z".to_owned(), "asOf"),
        (format!("?campaignId={nothing}"), "campaignId"),
        (format!("?unitId={nothing}"), "unitId"),
    ] {
        for file in ["ledger.xlsx", "ledger.csv"] {
            let (status, body, _) = download(&app, Some(&root), &format!("/export/{file}{query}")).await;
            let body = String::from_utf8(body).unwrap();
            assert_eq!(status, 400, "{file}{query}: {body}");
            assert!(body.contains(name) && body.contains("BAD_USER_INPUT"), "{body}");
        }
    }
    // Across pages: numbered without a gap, the same as the CSV.
    for _ in 0..150 {
        app.create_measure(&f, &problem, &f.water, &[], "2026-09-30").await;
    }
    let (_, bytes, _) = download(&app, Some(&root), "/export/ledger.xlsx?status=PENDING").await;
    let (rows, _, _) = read_xlsx(&bytes);
    let (_, csv) = export(&app, Some(&root), "?status=PENDING").await;
    assert_eq!(rows.len(), 152);
    assert_eq!(rows, csv_rows(&csv));
}

async fn the_excel_ledger_prints_with_a_title_row_heights_and_page_numbers(app: TestApp) {
    let f = app.fixture().await;
    two_water_measures(&app, &f).await;
    let root = app.root_token();
    let (_, bytes, _) = download(&app, Some(&root), "/export/ledger.xlsx").await;
    let (_, _, xml) = read_xlsx(&bytes);
    // A title above the header says what the page shows.
    assert_eq!(
        xlsx_title(&bytes),
        "整改台账（全部活动）\n单位：全部单位　　统计截至：2026-06-30 10:00（北京时间）"
    );
    // The title and header are frozen, the header filtered, the columns sized.
    assert!(
        xml.contains(r#"ySplit="2""#) && xml.contains(r#"state="frozen""#),
        "{xml}"
    );
    assert!(xml.contains(r#"<autoFilter ref="A2:T4"/>"#), "{xml}");
    assert!(xml.contains(r#"<mergeCell ref="A1:T1"/>"#), "{xml}");
    assert!(xml.contains(r#"<col min="4" max="4" width="17.7109375""#), "{xml}");
    // Rows as tall as their wrapped text, 16 points a line and 4 to spare (in whole pixels):
    // the progress text takes three lines of 完成情况, 部分村组饮水工程年久失修 two of 问题描述.
    assert_eq!(row_height(&xml, 3), Some(52.5), "{xml}");
    assert_eq!(row_height(&xml, 4), Some(36.0), "{xml}");
    assert!(
        row_height(&xml, 2).is_some_and(|h| h >= 20.0),
        "the header has a height: {xml}"
    );
    // Printed: A4 landscape, one page wide, page numbers in the footer, the header repeated.
    assert!(
        xml.contains(r#"paperSize="9""#)
            && xml.contains(r#"orientation="landscape""#)
            && xml.contains(r#"fitToHeight="0""#),
        "{xml}"
    );
    assert!(
        xml.contains("<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter>"),
        "{xml}"
    );
    let workbook = part(&bytes, "xl/workbook.xml");
    assert!(workbook.contains("整改台账!$2:$2"), "{workbook}");
    // The title names the campaign and the unit filter (a division with its department).
    let query = format!(
        "/export/ledger.xlsx?campaignId={}&unitId={}&overdue=true",
        f.campaign, f.water_division
    );
    let (_, filtered, _) = download(&app, Some(&root), &query).await;
    assert_eq!(
        xlsx_title(&filtered),
        "深入学习实践科学发展观活动（第一批）整改台账\n单位：县水利局农村水利股（含下属单位）　　筛选：逾期　　统计截至：2026-06-30 10:00（北京时间）"
    );
}

async fn an_export_as_of_an_instant_equals_the_export_taken_then(app: TestApp) {
    let f = app.fixture().await;
    let supervisor = app
        .account("ducha", "县委督查组", Some(("SUPERVISOR", None)), None)
        .await;
    let ids = six_measures(&app, &f, &supervisor).await;
    let v = version(&app, &ids[2]).await;
    app.ok(
        "mutation($i: ReportProgressInput!) { reportProgress(input: $i) { measure { id } } }",
        json!({"i": {"id": ids[2], "expectedVersion": v, "percent": 30, "text": "正在招标"}}),
    )
    .await;
    // Two cooperating units, listed in one order whichever way the row is read.
    let problem = app.create_problem(&f, "A-002", &f.water, "LOW").await;
    app.create_measure(&f, &problem, &f.water, &[&f.education, &f.water_division], "2026-08-15")
        .await;
    // Disclosed to every account at the instant, withdrawn afterwards.
    let mut input = json!({
        "campaignId": f.campaign, "code": "A-003", "title": "窗口服务效率不高", "category": "机关作风建设",
        "source": "VISIT", "foundOn": "2026-05-12", "responsibilityLevel": "LEADERSHIP_TEAM", "severity": "LOW",
        "rectificationKind": "WITHIN_DEADLINE", "leadUnitId": f.water, "disclosure": "SYSTEM"
    });
    let disclosed = app.ok(crate::helpers::CREATE_PROBLEM, json!({"i": input.take()})).await["createProblem"]
        ["problem"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let withdrawn = app.create_measure(&f, &disclosed, &f.water, &[], "2026-09-01").await;
    let teacher = app
        .account("jyj", "县教育局联络员", Some(("VIEWER", Some(&f.education))), None)
        .await;
    let (_, teacher_then) = export(&app, Some(&teacher), "").await;
    assert!(
        teacher_then.contains("窗口服务效率不高"),
        "SYSTEM is disclosed to every account"
    );
    let root = app.root_token();
    let queries = ["", "?overdue=true", &format!("?unitId={}", f.water), "?status=CLOSED"];
    let mut then = Vec::new();
    for q in queries {
        then.push(export(&app, Some(&root), q).await.1);
    }
    let (_, then_xlsx, _) = download(&app, Some(&root), "/export/ledger.xlsx").await;
    let instant = app.ok("{ ledgerStats { asOf } }", json!({})).await["ledgerStats"]["asOf"]
        .as_str()
        .unwrap()
        .to_owned();
    // A week of changes: the overdue one closed, a unit and a person renamed, more progress,
    // a new measure.
    app.clock.advance(chrono::Duration::days(7));
    let supervisor = app
        .account("ducha2", "县委督查组（值班）", Some(("SUPERVISOR", None)), None)
        .await;
    let v = version(&app, &ids[2]).await;
    app.ok(
        "mutation($i: ReportProgressInput!) { reportProgress(input: $i) { measure { version } } }",
        json!({"i": {"id": ids[2], "expectedVersion": v, "percent": 100, "text": "维修完成"}}),
    )
    .await;
    close_out(&app, &supervisor, &ids[2]).await;
    rename(&app, "Unit", &f.water, "县水务局").await;
    rename(&app, "Person", &f.person, "李明华").await;
    let problem = app.create_problem(&f, "A-009", &f.water, "MEDIUM").await;
    app.create_measure(&f, &problem, &f.water, &[], "2026-07-03").await;
    app.ok(
        "mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { disclosure } } }",
        json!({"i": {"id": withdrawn["id"], "expectedVersion": 1, "disclosure": "INTERNAL"}}),
    )
    .await;
    // The harness logs root in again after the jump; its token is the new one from here.
    let root = app.root_token();
    let (_, now) = export(&app, Some(&root), "").await;
    assert_ne!(now, then[0], "the ledger did change");
    assert!(now.contains("县水务局") && now.contains("李明华"), "{now}");
    for (q, was) in queries.iter().zip(&then) {
        let sep = if q.is_empty() { "?" } else { "&" };
        let t = instant.replace('+', "%2B");
        let (status, replayed) = export(&app, Some(&root), &format!("{q}{sep}asOf={t}")).await;
        assert_eq!(status, 200, "{replayed}");
        assert_eq!(&replayed, was, "as of {instant} with {q:?}");
    }
    let (_, xlsx, _) = download(
        &app,
        Some(&root),
        &format!("/export/ledger.xlsx?asOf={}", instant.replace('+', "%2B")),
    )
    .await;
    assert_eq!(read_xlsx(&xlsx).0, read_xlsx(&then_xlsx).0);
    // The rights are today's: a liaison replays its own part (the measure its department
    // cooperates on, its own), and no longer what was disclosed then but withdrawn since.
    let teacher = app
        .account("jyj2", "县教育局联络员", Some(("VIEWER", Some(&f.education))), None)
        .await;
    let (_, own) = export(&app, Some(&teacher), &format!("?asOf={}", instant.replace('+', "%2B"))).await;
    let mut expected = csv_rows(&teacher_then);
    expected.retain(|row| row[3] != "窗口服务效率不高");
    for (i, row) in expected.iter_mut().enumerate().skip(1) {
        row[0] = i.to_string();
    }
    assert_eq!(csv_rows(&own), expected);
    assert_eq!(csv_rows(&own).len(), 3, "{own}");
}

on_both_engines!(
    the_ledger_exports_as_csv_with_the_offices_columns,
    the_ledger_exports_as_an_excel_workbook_with_the_same_rows,
    the_excel_ledger_prints_with_a_title_row_heights_and_page_numbers,
    an_export_as_of_an_instant_equals_the_export_taken_then
);
