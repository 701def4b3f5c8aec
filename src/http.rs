//! HTTP wiring: `/graphql` (POST, GET for queries, GraphiQL in a browser) and `/healthz`.
//!
//! The GraphQL handler is ours rather than async-graphql-actix-web's extractor: that one reads
//! the body without a size limit and answers every failure with 200. Here the body goes
//! through actix's `PayloadConfig` limit (413 past it), unparsable requests get 400, and the
//! response content type follows the GraphQL-over-HTTP spec.

use actix_web::http::header::{self, ContentType};
use actix_web::{web, HttpRequest, HttpResponse};
use async_graphql::http::GraphiQLSource;
use async_graphql::{ErrorExtensions, Response, ServerError};
use tracing_actix_web::RequestId;

use crate::domain::accounts;
use crate::domain::context::RequestContext;
use crate::domain::error::DomainError;
use crate::domain::Ledger;
use crate::graphql::account::ClientAddress;
use crate::graphql::{request_loader, AppSchema};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/graphql", web::post().to(graphql_post))
        .route("/graphql", web::get().to(graphql_get))
        .route("/healthz", web::get().to(healthz));
}

async fn healthz(ledger: web::Data<Ledger>) -> HttpResponse {
    if crate::db::ping(&ledger.db).await {
        HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
    } else {
        HttpResponse::ServiceUnavailable().json(serde_json::json!({"status": "database unavailable"}))
    }
}

async fn graphql_post(
    req: HttpRequest,
    body: web::Bytes,
    schema: web::Data<AppSchema>,
    ledger: web::Data<Ledger>,
    request_id: RequestId,
) -> HttpResponse {
    let request: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return request_error(format!("the body is not a GraphQL request in JSON: {e}")),
    };
    execute(&req, request, &schema, &ledger, request_id, true).await
}

async fn graphql_get(
    req: HttpRequest,
    schema: web::Data<AppSchema>,
    ledger: web::Data<Ledger>,
    request_id: RequestId,
) -> HttpResponse {
    let wants_html = accepts(&req, "text/html");
    if req.query_string().is_empty() || (wants_html && !req.query_string().contains("query=")) {
        return HttpResponse::Ok().content_type(ContentType::html()).body(
            GraphiQLSource::build()
                .endpoint("/graphql")
                .title("taizhang 台账")
                .finish(),
        );
    }
    let request = match async_graphql::http::parse_query_string(req.query_string()) {
        Ok(r) => r,
        Err(e) => return request_error(format!("the query string is not a GraphQL request: {e}")),
    };
    execute(&req, request, &schema, &ledger, request_id, false).await
}

async fn execute(
    req: &HttpRequest,
    request: async_graphql::Request,
    schema: &AppSchema,
    ledger: &Ledger,
    request_id: RequestId,
    allow_mutations: bool,
) -> HttpResponse {
    let context = match request_context(req, ledger, request_id).await {
        Ok(context) => context,
        Err(response) => return response,
    };
    let address = req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default();
    let request = request
        .data(context)
        .data(ClientAddress(address))
        .data(request_loader(ledger.clone()));
    if !allow_mutations {
        // GET must not change anything: reject mutations before execution.
        let is_mutation = async_graphql::parser::parse_query(&request.query)
            .ok()
            .is_some_and(|doc| {
                doc.operations.iter().any(|(name, op)| {
                    op.node.ty == async_graphql::parser::types::OperationType::Mutation
                        && request
                            .operation_name
                            .as_deref()
                            .is_none_or(|n| name.is_none_or(|x| x.as_str() == n))
                })
            });
        if is_mutation {
            return HttpResponse::MethodNotAllowed()
                .insert_header((header::ALLOW, "POST"))
                .json(error_body("mutations must be sent with POST"));
        }
    }
    let mut response = schema.execute(request).await;
    // Only async-graphql's own errors (parse, validation, limits, argument coercion) come
    // without a code: ours always carry one. With no data, such a request never ran.
    let rejected = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| !has_code(e));
    add_default_codes(&mut response);
    respond(req, response, rejected)
}

fn has_code(error: &ServerError) -> bool {
    error.extensions.as_ref().is_some_and(|e| e.get("code").is_some())
}

/// The actor of the request: the account of a valid bearer token, or the fixed system actor
/// when none is sent (until roles restrict anonymous writes). A token that is sent but not
/// valid is refused with 401, never silently ignored.
async fn request_context(
    req: &HttpRequest,
    ledger: &Ledger,
    request_id: RequestId,
) -> Result<RequestContext, HttpResponse> {
    let mut context = RequestContext::system(Some(request_id.to_string()));
    let Some(header) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(context);
    };
    let token = header
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default();
    match accounts::authenticate(ledger, token).await {
        Ok((session, actor)) => {
            context.actor = actor;
            context.session = Some(session);
            Ok(context)
        }
        Err(DomainError::Unauthenticated(message)) => Err(HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
            .json(serde_json::json!({"errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]}))),
        Err(e) => {
            tracing::error!(error = %e, request_id = %request_id, "authentication failed");
            Err(HttpResponse::InternalServerError().json(serde_json::json!({"errors": [{
                "message": format!("internal error; quote request id {request_id} when reporting it"),
                "extensions": {"code": "INTERNAL", "requestId": request_id.to_string()}
            }]})))
        }
    }
}

/// Errors raised by async-graphql itself (parse, validation, limits) carry no code; they are
/// all the client's to fix.
fn add_default_codes(response: &mut Response) {
    for error in &mut response.errors {
        if !has_code(error) {
            let coded = ServerError::new(error.message.clone(), None)
                .extend_with(|_, e| e.set("code", crate::graphql::error::code::BAD_USER_INPUT));
            error.extensions = coded.extensions;
        }
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
    serde_json::json!({"errors": [{"message": message, "extensions": {"code": "BAD_USER_INPUT"}}]})
}
