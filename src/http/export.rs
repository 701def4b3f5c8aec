//! `GET /export/ledger.csv` and `GET /export/ledger.xlsx`: the ledger (台账) as files, for an
//! account, with the rights of the API (the measures it may read).
//!
//! Parameters, all optional: `campaignId`, `unitId` (the unit and every unit below it),
//! `status` (a measure status), `overdue` (`true`/`false`), `asOf` (an RFC 3339 instant: the
//! ledger as it stood then, rebuilt from the audit trail). Errors in them are 400 with code
//! BAD_USER_INPUT and the parameter's name; they are found before the first byte is sent.

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use async_graphql::futures_util::stream;
use tracing_actix_web::RequestId;

use super::{domain_error, json_error, request_context, url_escape};
use crate::domain::access;
use crate::domain::error::DomainError;
use crate::domain::reporting::export::{self, csv, xlsx, ExportFilter, Rows};
use crate::domain::Ledger;
use crate::graphql::error::code;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// Bytes read from the finished workbook per chunk of the response.
const CHUNK: usize = 64 * 1024;

fn bad_input(message: &str) -> HttpResponse {
    json_error(HttpResponse::BadRequest(), code::BAD_USER_INPUT, message)
}

/// The filter of the query string, or the message that refuses it (naming the parameter).
fn parse_filter(query: &HashMap<String, String>) -> Result<ExportFilter, String> {
    let id = |name: &str| -> Result<Option<uuid::Uuid>, String> {
        query
            .get(name)
            .map(|v| uuid::Uuid::parse_str(v).map_err(|_| format!("{name} is not a valid id")))
            .transpose()
    };
    let statuses = match query.get("status") {
        None => Vec::new(),
        Some(s) => vec![serde_json::from_value(serde_json::Value::String(s.clone()))
            .map_err(|_| "status is not a measure status (PENDING, IN_PROGRESS, …)".to_owned())?],
    };
    let overdue = match query.get("overdue").map(String::as_str) {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => return Err("overdue must be true or false".to_owned()),
    };
    let as_of = query
        .get("asOf")
        .map(|v| {
            chrono::DateTime::parse_from_rfc3339(v)
                .map(|t| t.to_utc())
                .map_err(|_| "asOf must be an RFC 3339 instant such as 2026-11-15T23:59:59+08:00".to_owned())
        })
        .transpose()?;
    Ok(ExportFilter {
        campaign_id: id("campaignId")?,
        unit_id: id("unitId")?,
        statuses,
        overdue,
        as_of,
    })
}

/// An export under way: its title, its rows and the first page of them.
struct Opened {
    title: String,
    rows: Rows,
    first: Option<Vec<export::Row>>,
}

/// The caller, the filter, the title and the first page, or the response that refuses them
/// (a campaign or unit that does not exist included).
async fn open(
    req: &HttpRequest,
    query: &HashMap<String, String>,
    ledger: &Ledger,
    request_id: RequestId,
) -> Result<Opened, HttpResponse> {
    let context = request_context(req, ledger, request_id).await?;
    context
        .access
        .require_read(access::Read::Export)
        .map_err(|e| domain_error(&e, request_id))?;
    let filter = parse_filter(query).map_err(|message| bad_input(&message))?;
    let refused = |e: DomainError| domain_error(&e, request_id);
    let title = export::title(ledger, &filter).await.map_err(refused)?;
    let mut rows = export::open(ledger, &context.access, filter).await.map_err(refused)?;
    let first = rows.next_page(ledger).await.map_err(refused)?;
    Ok(Opened { title, rows, first })
}

/// `Content-Disposition` with the Chinese name (RFC 5987) and an ASCII one for clients that
/// read only `filename` (curl -J, older tools).
fn attachment(ascii: &str, name: &str) -> (header::HeaderName, String) {
    (
        header::CONTENT_DISPOSITION,
        format!(
            "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
            url_escape(name)
        ),
    )
}

/// CSV (UTF-8 with a byte-order mark), sent a page at a time as the rows are read.
pub(super) async fn ledger_csv(
    req: HttpRequest,
    query: web::Query<HashMap<String, String>>,
    ledger: web::Data<Ledger>,
    request_id: RequestId,
) -> HttpResponse {
    let Opened { rows, first, .. } = match open(&req, &query, &ledger, request_id).await {
        Ok(opened) => opened,
        Err(response) => return response,
    };
    let mut head = csv::head();
    head.push_str(&csv::lines(first.as_deref().unwrap_or_default()));
    let ledger: Arc<Ledger> = ledger.into_inner();
    let more = first.is_some();
    let body = stream::unfold((Some(head), rows, more), move |(head, mut rows, more)| {
        let ledger = ledger.clone();
        async move {
            if let Some(head) = head {
                return Some((Ok(web::Bytes::from(head)), (None, rows, more)));
            }
            if !more {
                return None;
            }
            match rows.next_page(&ledger).await {
                Ok(Some(page)) => Some((Ok(web::Bytes::from(csv::lines(&page))), (None, rows, true))),
                Ok(None) => None,
                Err(e) => {
                    tracing::error!(error = %e, request_id = %request_id, "export failed midway");
                    Some((Err::<web::Bytes, DomainError>(e), (None, rows, false)))
                }
            }
        }
    });
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header(attachment("taizhang-ledger.csv", "整改台账.csv"))
        .streaming(body)
}

/// Writes every page of `rows` into a workbook in a temporary file, on a thread of the
/// blocking pool that receives the pages as they are read; the file is rewound for reading.
async fn write_workbook(ledger: &Ledger, opened: Opened) -> Result<std::fs::File, DomainError> {
    let Opened {
        title,
        mut rows,
        first: mut page,
    } = opened;
    let (pages, mut receiver) = tokio::sync::mpsc::channel::<Vec<export::Row>>(2);
    let writer = web::block(move || -> Result<std::fs::File, DomainError> {
        let mut sheet = xlsx::Sheet::new(&title)?;
        while let Some(rows) = receiver.blocking_recv() {
            sheet.append(&rows)?;
        }
        let mut file = tempfile::tempfile()
            .map_err(|e| DomainError::Internal(format!("no temporary file for the workbook: {e}")))?;
        sheet.finish(&mut file)?;
        file.seek(SeekFrom::Start(0))
            .map_err(|e| DomainError::Internal(format!("the workbook file cannot be read: {e}")))?;
        Ok(file)
    });
    let mut failed = None;
    while let Some(rows_of_page) = page {
        if pages.send(rows_of_page).await.is_err() {
            break; // the writer stopped; its error is below
        }
        page = rows.next_page(ledger).await.unwrap_or_else(|e| {
            failed = Some(e);
            None
        });
    }
    drop(pages);
    let written = writer
        .await
        .map_err(|e| DomainError::Internal(format!("the workbook task failed: {e}")));
    match (failed, written) {
        (Some(e), _) | (None, Err(e)) => Err(e),
        (None, Ok(file)) => file,
    }
}

/// The next chunk of the finished workbook, read on the blocking pool; `None` at its end.
async fn next_chunk(mut file: std::fs::File) -> Option<(std::io::Result<web::Bytes>, Option<std::fs::File>)> {
    let read = web::block(move || {
        let mut buf = vec![0; CHUNK];
        let n = file.read(&mut buf)?;
        buf.truncate(n);
        Ok::<_, std::io::Error>((buf, file))
    })
    .await;
    match read {
        Ok(Ok((buf, _))) if buf.is_empty() => None,
        Ok(Ok((buf, file))) => Some((Ok(web::Bytes::from(buf)), Some(file))),
        Ok(Err(e)) => Some((Err(e), None)),
        Err(e) => Some((Err(std::io::Error::other(e.to_string())), None)),
    }
}

/// An Excel workbook. The rows are read a page at a time and handed to a thread of the
/// blocking pool that writes them into the sheet (which keeps them in a temporary file, not in
/// memory) and then finishes the workbook into another temporary file; that file is sent in
/// chunks. A workbook cannot be sent before it is finished: for 10 000 rows that takes about a
/// second and a half (bench/README.md).
pub(super) async fn ledger_xlsx(
    req: HttpRequest,
    query: web::Query<HashMap<String, String>>,
    ledger: web::Data<Ledger>,
    request_id: RequestId,
) -> HttpResponse {
    let opened = match open(&req, &query, &ledger, request_id).await {
        Ok(opened) => opened,
        Err(response) => return response,
    };
    let file = match write_workbook(&ledger, opened).await {
        Ok(file) => file,
        Err(e) => return domain_error(&e, request_id),
    };
    let body = stream::unfold(Some(file), |file| async move { next_chunk(file?).await });
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, XLSX))
        .insert_header(attachment("taizhang-ledger.xlsx", "整改台账.xlsx"))
        .streaming(body)
}
