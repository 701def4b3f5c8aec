//! HTTP wiring: `/graphql` (POST, GET for queries, GraphiQL in a browser), file downloads
//! (evidence, the ledger exports in `export`), `/healthz`, and the web console at `/` with its
//! assets (`console`, embedded in the binary).
//!
//! The GraphQL handler is ours rather than async-graphql-actix-web's extractor: that one reads
//! the body without a size limit and answers every failure with 200. Here the body goes
//! through actix's `PayloadConfig` limit (413 past it), unparsable requests get 400, and the
//! response content type follows the GraphQL-over-HTTP spec.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use async_graphql::Response;
use tracing_actix_web::RequestId;

use crate::domain::access::Read;
use crate::domain::accounts;
use crate::domain::context::RequestContext;
use crate::domain::error::DomainError;
use crate::domain::Ledger;
use crate::graphql::account::ClientAddress;
use crate::graphql::error::code;
use crate::graphql::guard::{self, GuardLimits};
use crate::graphql::{request_loader, AppSchema, Limits};

pub mod access_log;
pub mod client;
pub mod console;
mod export;
pub mod session;
pub mod timeout;
mod ws;

/// The configured time budget of one request (`--request-timeout-secs`).
#[derive(Debug, Clone, Copy)]
pub struct RequestBudget(pub std::time::Duration);

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/graphql", web::post().to(graphql_post))
        .route("/graphql", web::get().to(graphql_get))
        .route("/graphql/ws", web::get().to(ws::subscriptions))
        .route("/evidence/{id}", web::get().to(evidence_download))
        .route("/bulletins/{id}.html", web::get().to(bulletin_page))
        .route("/export/ledger.csv", web::get().to(export::ledger_csv))
        .route("/export/ledger.xlsx", web::get().to(export::ledger_xlsx))
        .route("/session", web::post().to(session::login))
        .route("/session", web::delete().to(session::logout))
        .route("/healthz", web::get().to(healthz))
        .route("/livez", web::get().to(livez))
        .route("/readyz", web::get().to(readyz))
        .route("/metrics", web::get().to(metrics))
        .route("/assets/{file:.*}", web::get().to(console::asset))
        .default_service(web::to(console::fallback));
}

/// The largest JSON request body (`--max-body-bytes`).
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// Room for the multipart form around an uploaded file (operations, map, part headers).
const MULTIPART_OVERHEAD: usize = 1024 * 1024;
/// Files per multipart request.
const MAX_FILES_PER_REQUEST: usize = 10;

fn too_large(limit: usize) -> HttpResponse {
    HttpResponse::PayloadTooLarge().json(serde_json::json!({"errors": [{
        "message": format!("the request body is larger than {limit} bytes"),
        "extensions": {"code": code::PAYLOAD_TOO_LARGE}
    }]}))
}

/// Reads the body, refusing it with 413 as soon as it passes `limit`.
async fn read_limited(req: &HttpRequest, mut payload: web::Payload, limit: usize) -> Result<web::Bytes, HttpResponse> {
    use async_graphql::futures_util::StreamExt;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large(limit));
    }
    let mut body = web::BytesMut::with_capacity(declared.unwrap_or(0).min(limit));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| request_error(format!("cannot read the request body: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// `GET /livez`: the process answers (a supervisor restarts it when it does not).
async fn livez() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "alive"}))
}

/// `GET /readyz`: ready for traffic: the database answers and no migration is pending (a load
/// balancer sends nothing to an instance that is not).
async fn readyz(ledger: web::Data<Ledger>) -> HttpResponse {
    if !crate::db::ping(&ledger.db).await {
        return HttpResponse::ServiceUnavailable().json(serde_json::json!({"status": "database unavailable"}));
    }
    match crate::db::pending_migrations(&ledger.db).await {
        Ok(0) => HttpResponse::Ok().json(serde_json::json!({"status": "ready"})),
        Ok(n) => {
            HttpResponse::ServiceUnavailable().json(serde_json::json!({"status": "migrations pending", "pending": n}))
        }
        Err(_) => HttpResponse::ServiceUnavailable().json(serde_json::json!({"status": "database unavailable"})),
    }
}

/// `GET /metrics`: Prometheus text format (`crate::metrics`).
async fn metrics(ledger: web::Data<Ledger>) -> HttpResponse {
    let head = crate::domain::trail::head(&ledger).await.map(|h| h.seq).unwrap_or(-1);
    let pool = crate::db::pool_stats(&ledger.db);
    let gauges = crate::metrics::Gauges {
        audit_head_seq: head,
        pool_connections: pool.0,
        pool_idle: pool.1,
        pool_max: pool.2,
    };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(crate::metrics::render(gauges))
}

async fn healthz(ledger: web::Data<Ledger>) -> HttpResponse {
    if crate::db::ping(&ledger.db).await {
        HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
    } else {
        HttpResponse::ServiceUnavailable().json(serde_json::json!({"status": "database unavailable"}))
    }
}

/// A JSON GraphQL request, or a multipart one (the GraphQL multipart request spec) carrying
/// files for `Upload` arguments.
async fn graphql_post(
    req: HttpRequest,
    payload: web::Payload,
    schema: web::Data<AppSchema>,
    ledger: web::Data<Ledger>,
    body_limit: web::Data<BodyLimit>,
    request_id: RequestId,
) -> HttpResponse {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let multipart = content_type.to_ascii_lowercase().starts_with("multipart/");
    // Authenticate before reading the body: files are only read for accounts.
    let context = match request_context(&req, &ledger, request_id).await {
        Ok(context) => context,
        Err(response) => return response,
    };
    if multipart {
        if let Err(refused) = context.access.require_read(Read::Upload) {
            return domain_error(&refused, request_id);
        }
    }
    let limit = if multipart {
        ledger.max_upload_bytes.saturating_add(MULTIPART_OVERHEAD)
    } else {
        body_limit.0
    };
    let body = match read_limited(&req, payload, limit).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let request = if multipart {
        let options = async_graphql::http::MultipartOptions::default().max_num_files(MAX_FILES_PER_REQUEST);
        match async_graphql::http::receive_body(Some(&content_type), body.as_ref(), options).await {
            // The files may be large; the document and its variables keep the JSON limit.
            Ok(r) if r.query.len() > body_limit.0 => return too_large(body_limit.0),
            // async-graphql's max_num_files only bounds the stream's size: count them here.
            Ok(r) if r.uploads.len() > MAX_FILES_PER_REQUEST => {
                return request_error(format!(
                    "a request may carry at most {MAX_FILES_PER_REQUEST} files; this multipart request has {}",
                    r.uploads.len()
                ))
            }
            Ok(r) => r,
            Err(e) => return request_error(format!("the body is not a GraphQL multipart request: {e}")),
        }
    } else {
        match serde_json::from_slice(&body) {
            Ok(r) => r,
            Err(e) => return request_error(format!("the body is not a GraphQL request in JSON: {e}")),
        }
    };
    execute(&req, request, &schema, &ledger, context, true).await
}

/// `GET /evidence/{id}`: the file, for an account that may read its measure; 401 without a
/// token, 404 when there is no such evidence or it is out of the account's scope.
async fn evidence_download(
    req: HttpRequest,
    id: web::Path<String>,
    ledger: web::Data<Ledger>,
    request_id: RequestId,
) -> HttpResponse {
    let context = match request_context(&req, &ledger, request_id).await {
        Ok(context) => context,
        Err(response) => return response,
    };
    let not_found = || json_error(HttpResponse::NotFound(), code::NOT_FOUND, "no such evidence");
    let Ok(id) = uuid::Uuid::parse_str(&id) else {
        return not_found();
    };
    match crate::domain::lifecycle::evidence::download(&ledger, &context.access, id).await {
        Ok(Some((row, content))) => {
            let encoded: String = url_escape(&row.file_name);
            HttpResponse::Ok()
                .insert_header((header::CONTENT_TYPE, row.media_type.clone()))
                .insert_header((
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename*=UTF-8''{encoded}"),
                ))
                .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .insert_header(("Digest", format!("sha-256={}", base64_of_hex(&row.sha256))))
                .insert_header(("X-Evidence-Sha256", row.sha256.clone()))
                .body(content)
        }
        Ok(None) => not_found(),
        Err(e) => domain_error(&e, request_id),
    }
}

/// `GET /bulletins/{id}.html`: a bulletin as its printable page: the full edition for any
/// logged-in account, the public edition (公开版) of a PUBLIC bulletin without a token; 401
/// without a token for any other, 404 when there is no such bulletin.
async fn bulletin_page(
    req: HttpRequest,
    id: web::Path<String>,
    ledger: web::Data<Ledger>,
    request_id: RequestId,
) -> HttpResponse {
    let context = match request_context(&req, &ledger, request_id).await {
        Ok(context) => context,
        Err(response) => return response,
    };
    let access = &context.access;
    let not_shown = |e: Option<crate::domain::error::DomainError>| match e {
        Some(e) => domain_error(&e, request_id),
        None => match access.require_read(Read::Bulletins) {
            Err(refused) => domain_error(&refused, request_id),
            Ok(()) => json_error(HttpResponse::NotFound(), code::NOT_FOUND, "no such bulletin"),
        },
    };
    let Ok(id) = uuid::Uuid::parse_str(&id) else {
        return not_shown(None);
    };
    let bulletin = match crate::domain::reporting::bulletins::read(&ledger, access, id).await {
        Ok(Some(b)) => b,
        Ok(None) => return not_shown(None),
        Err(e) => return not_shown(Some(e)),
    };
    let page = if access.reads_full_bulletin() {
        bulletin.html
    } else {
        bulletin.public_html.unwrap_or_default()
    };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'",
        ))
        .body(page)
}

fn json_error(mut builder: actix_web::HttpResponseBuilder, code: &str, message: &str) -> HttpResponse {
    builder.json(serde_json::json!({"errors": [{"message": message, "extensions": {"code": code}}]}))
}

/// A domain error as an HTTP answer: the status and code of `graphql::error::classify`, the
/// message and extensions of `describe` (an internal error names only the request id; its
/// cause is logged there, once).
pub(crate) fn domain_error(error: &DomainError, request_id: RequestId) -> HttpResponse {
    let (_, status) = crate::graphql::error::classify(error);
    let (message, extensions) = crate::graphql::error::describe(error, &request_id.to_string());
    let status =
        actix_web::http::StatusCode::from_u16(status).unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR);
    let mut builder = HttpResponse::build(status);
    if status == actix_web::http::StatusCode::UNAUTHORIZED {
        builder.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
    }
    builder.json(serde_json::json!({"errors": [{"message": message, "extensions": extensions}]}))
}

/// What RFC 5987 lets stand unescaped in `filename*`: letters, digits and `.-_~` (the rest of
/// its attr-chars are escaped too, which every reader accepts).
const FILENAME_KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'.')
    .remove(b'-')
    .remove(b'_')
    .remove(b'~');

/// RFC 5987 percent-encoding of a file name for `filename*`.
fn url_escape(name: &str) -> String {
    percent_encoding::utf8_percent_encode(name, FILENAME_KEEP).to_string()
}

fn base64_of_hex(hex_digest: &str) -> String {
    use base64::Engine;
    hex::decode(hex_digest)
        .map(|raw| base64::engine::general_purpose::STANDARD.encode(raw))
        .unwrap_or_default()
}

async fn graphql_get(
    req: HttpRequest,
    schema: web::Data<AppSchema>,
    ledger: web::Data<Ledger>,
    request_id: RequestId,
) -> HttpResponse {
    let wants_html = accepts(&req, "text/html");
    if req.query_string().is_empty() || (wants_html && !req.query_string().contains("query=")) {
        return console::page("/graphiql.html");
    }
    let request = match async_graphql::http::parse_query_string(req.query_string()) {
        Ok(r) => r,
        Err(e) => return request_error(format!("the query string is not a GraphQL request: {e}")),
    };
    let context = match request_context(&req, &ledger, request_id).await {
        Ok(context) => context,
        Err(response) => return response,
    };
    execute(&req, request, &schema, &ledger, context, false).await
}

/// The client's address, through the trusted proxies (`client::TrustedProxies`).
fn client_address(req: &HttpRequest) -> String {
    // Every X-Forwarded-For line, in order: a proxy may add its own line rather than extend
    // the client's, and the rightmost hops are the ones to believe.
    let lines: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .map(|v| v.to_str().unwrap_or("unreadable"))
        .collect();
    let forwarded_for = (!lines.is_empty()).then(|| lines.join(","));
    let peer = req.peer_addr().map(|a| a.ip());
    match req.app_data::<web::Data<client::TrustedProxies>>() {
        Some(trusted) => trusted.client_address(peer, forwarded_for.as_deref()),
        None => client::TrustedProxies::default().client_address(peer, forwarded_for.as_deref()),
    }
}

async fn execute(
    req: &HttpRequest,
    mut request: async_graphql::Request,
    schema: &AppSchema,
    ledger: &Ledger,
    context: RequestContext,
    allow_mutations: bool,
) -> HttpResponse {
    let limits = req
        .app_data::<web::Data<Limits>>()
        .map_or_else(Limits::default, |l| *l.get_ref());
    if let Err(refusal) = guard_request(&mut request, &limits.guard) {
        return refused(&refusal);
    }
    if too_deep(&mut request, &limits) {
        return nested_too_deep(req);
    }
    if !allow_mutations && holds_mutation(&mut request) {
        // GET must not change anything: reject mutations before execution.
        return HttpResponse::MethodNotAllowed()
            .insert_header((header::ALLOW, "POST"))
            .json(error_body("mutations must be sent with POST"));
    }
    access_log::record_operation(req, &operation_name(&mut request));
    let address = client_address(req);
    let loader = request_loader(ledger.clone(), &context);
    let request = request.data(context).data(ClientAddress(address)).data(loader);
    let mut response = schema.execute(request).await;
    // Only async-graphql's own errors (parse, validation, limits, argument coercion) come
    // without a code: ours always carry one. With no data, such a request never ran.
    let rejected = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| !crate::graphql::error::has_code(e));
    crate::graphql::error::add_default_codes(&mut response);
    respond(req, response, rejected)
}

/// The document guard (`graphql::guard`), in time linear in the request: nesting of the text
/// and the variables before anything recursive parses them, then the expanded size and heavy
/// fields of the parsed document, which is handed on so that it is parsed once.
fn guard_request(request: &mut async_graphql::Request, limits: &GuardLimits) -> Result<(), guard::Refusal> {
    guard::check_nesting(&request.query, limits.nesting)?;
    guard::check_variables(&request.variables, limits.nesting)?;
    // A document that does not parse is left to async-graphql, which says where it fails.
    if let Ok(doc) = async_graphql::parser::parse_query(&request.query) {
        guard::check_document(&doc, limits)?;
        request.set_parsed_query(doc);
    }
    Ok(())
}

/// Whether the selections of data, or those below `__schema`/`__type`, go deeper than their
/// limits (`graphql::guard::selection_depth`, which measures the two apart). A document that
/// does not parse is left to async-graphql.
fn too_deep(request: &mut async_graphql::Request, limits: &Limits) -> bool {
    let Ok(doc) = request.parsed_query() else {
        return false;
    };
    let depth = guard::selection_depth(doc);
    depth.ordinary > limits.depth || depth.introspection > limits.introspection_depth
}

/// The answer async-graphql gives to a document past its depth limit (same message and code,
/// 400 for GraphQL-over-HTTP clients, 200 for the others), since the check moved here.
fn nested_too_deep(req: &HttpRequest) -> HttpResponse {
    let mut response = Response::from_errors(vec![async_graphql::ServerError::new("Query is nested too deep.", None)]);
    crate::graphql::error::add_default_codes(&mut response);
    respond(req, response, true)
}

/// The name of the operation the request runs, for metrics: `operationName`, else the name of
/// the document's only operation, else `graphql`.
fn operation_name(request: &mut async_graphql::Request) -> String {
    if let Some(name) = &request.operation_name {
        return name.clone();
    }
    let Ok(doc) = request.parsed_query() else {
        return "graphql".to_owned();
    };
    match doc.operations.iter().next() {
        Some((Some(name), _)) => name.to_string(),
        _ => "graphql".to_owned(),
    }
}

/// Whether the operation the request would run is a mutation.
fn holds_mutation(request: &mut async_graphql::Request) -> bool {
    use async_graphql::parser::types::OperationType;
    let operation_name = request.operation_name.clone();
    let Ok(doc) = request.parsed_query() else {
        return false;
    };
    doc.operations.iter().any(|(name, op)| {
        op.node.ty == OperationType::Mutation
            && operation_name
                .as_deref()
                .is_none_or(|n| name.is_none_or(|x| x.as_str() == n))
    })
}

/// 400 for a request the guard refuses: it never reaches the parser or the validators.
fn refused(refusal: &guard::Refusal) -> HttpResponse {
    tracing::info!(reason = %refusal.0, "request refused by the document guard");
    request_error(refusal.0.clone())
}

/// The actor and rights of the request: the account of a valid bearer token, or anonymous
/// (public reads only) when none is sent. A token that is sent but not valid is refused with
/// 401, never silently ignored.
async fn request_context(
    req: &HttpRequest,
    ledger: &Ledger,
    request_id: RequestId,
) -> Result<RequestContext, HttpResponse> {
    let mut context = RequestContext::anonymous(Some(request_id.to_string()));
    let token = match session::credential(req) {
        session::Credential::None => return Ok(context),
        session::Credential::Bearer(token) => token,
        session::Credential::Cookie(token) => {
            if let Err(refused) = session::check_csrf(req) {
                return Err(domain_error(&refused, request_id));
            }
            token
        }
    };
    match accounts::authenticate(ledger, &token).await {
        Ok((session, actor, access)) => {
            access_log::record_account(req, &actor.id);
            context.actor = actor;
            context.session = Some(session);
            context.access = access;
            Ok(context)
        }
        Err(e) => Err(domain_error(&e, request_id)),
    }
}

fn accepts(req: &HttpRequest, media: &str) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains(media))
}

fn respond(req: &HttpRequest, response: Response, rejected: bool) -> HttpResponse {
    let spec_client = accepts(req, GRAPHQL_RESPONSE);
    // GraphQL-over-HTTP: a request rejected before execution is a 400 for spec clients.
    let mut builder = if spec_client && rejected {
        HttpResponse::BadRequest()
    } else {
        HttpResponse::Ok()
    };
    let content_type = if spec_client {
        GRAPHQL_RESPONSE
    } else {
        "application/json"
    };
    match serde_json::to_vec(&response) {
        Ok(body) => builder
            .insert_header((header::CONTENT_TYPE, format!("{content_type}; charset=utf-8")))
            .body(body),
        Err(e) => {
            tracing::error!(error = %e, "cannot serialise a GraphQL response");
            HttpResponse::InternalServerError().json(error_body("internal error"))
        }
    }
}

fn request_error(message: String) -> HttpResponse {
    HttpResponse::BadRequest()
        .insert_header((header::CONTENT_TYPE, "application/json; charset=utf-8"))
        .json(error_body(&message))
}

fn error_body(message: &str) -> serde_json::Value {
    serde_json::json!({"errors": [{"message": message, "extensions": {"code": code::BAD_USER_INPUT}}]})
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_are_percent_encoded_as_rfc_5987_says() {
        assert_eq!(super::url_escape("台账.xlsx"), "%E5%8F%B0%E8%B4%A6.xlsx");
        assert_eq!(super::url_escape("a b;\"c~_-.txt"), "a%20b%3B%22c~_-.txt");
    }
}
