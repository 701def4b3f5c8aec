//! One access-log line per request (method, path, status, latency, account, request id) and
//! the request id on every response (`x-request-id`): what an operator needs when a user
//! reports an error seen in the console ("请求编号 …"). The id is the one the request's
//! tracing span and any INTERNAL error carry.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest};
use tracing_actix_web::RequestId;

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The longest path written to the log (a hostile client may send a very long one).
const MAX_LOGGED_PATH: usize = 200;

/// The account a request was authenticated as, for its log line.
#[derive(Debug, Clone)]
struct AccountId(String);

/// The GraphQL operation a request ran, for its metrics.
#[derive(Debug, Clone)]
struct Operation(String);

/// Notes the GraphQL operation a request runs (its name, or `graphql` without one).
pub fn record_operation(req: &HttpRequest, name: &str) {
    req.extensions_mut().insert(Operation(name.to_owned()));
}

/// Notes the account a request is made by (called where the request is authenticated).
pub fn record_account(req: &HttpRequest, id: &str) {
    req.extensions_mut().insert(AccountId(id.to_owned()));
}

fn bounded(path: &str) -> &str {
    match path.char_indices().nth(MAX_LOGGED_PATH) {
        Some((end, _)) => &path[..end],
        None => path,
    }
}

pub async fn log(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let path = bounded(req.path()).to_owned();
    let request_id = req.extensions().get::<RequestId>().copied();
    let id = request_id.map_or_else(|| "-".to_owned(), |id| id.to_string());
    // Handlers' errors are responses by now; an Err is a middleware's (the time budget's,
    // whose response sets the id itself). The request cannot be kept to render it here: a
    // clone taken before routing would stop the router from filling in the path's parameters.
    let mut response = match next.call(req).await {
        Ok(response) => response,
        Err(error) => {
            let status = error.as_response_error().status_code().as_u16();
            crate::metrics::observe_request("unfinished", status, started.elapsed().as_secs_f64());
            line(&method, &path, status, started, "-", &id);
            return Err(error);
        }
    };
    let status = response.status().as_u16();
    let operation = {
        let request = response.request();
        let named = request.extensions().get::<Operation>().map(|o| o.0.clone());
        named
            .or_else(|| request.match_pattern())
            .unwrap_or_else(|| "unmatched".to_owned())
    };
    crate::metrics::observe_request(&operation, status, started.elapsed().as_secs_f64());
    let account = response
        .request()
        .extensions()
        .get::<AccountId>()
        .map_or_else(|| "-".to_owned(), |a| a.0.clone());
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    line(&method, &path, status, started, &account, &id);
    Ok(response)
}

fn line(method: &actix_web::http::Method, path: &str, status: u16, started: Instant, account: &str, id: &str) {
    tracing::info!(
        target: "taizhang::access",
        %method,
        %path,
        status,
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
        %account,
        request_id = %id,
        "request"
    );
}
