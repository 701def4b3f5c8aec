//! The wall-clock budget of a request: a handler that has not produced its response when the
//! budget runs out is dropped at its next await (an uncommitted transaction rolls back, the
//! SQLite write turn is released) and the client gets 503 with the code `TIMEOUT`. The budget
//! covers reading the body and everything until the response starts; it cannot interrupt work
//! that never awaits (parsing and validation, which the document guard bounds instead), and
//! work handed to other tasks (password hashing, a workbook being written) runs to its end.
//! A mutation field that committed before the budget ran out stays committed.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse};

use super::RequestBudget;

pub async fn limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let budget = req
        .app_data::<web::Data<RequestBudget>>()
        .map_or(crate::config::defaults::request_timeout(), |b| b.0);
    let path = req.path().to_owned();
    let request_id = req.extensions().get::<tracing_actix_web::RequestId>().copied();
    match tokio::time::timeout(budget, next.call(req)).await {
        Ok(response) => response.map(ServiceResponse::map_into_boxed_body),
        Err(_) => {
            tracing::warn!(%path, budget_ms = budget.as_millis() as u64, "request stopped: it outlived its time budget");
            // The request itself went with the dropped handler: the answer is rendered from
            // an error, which needs none.
            Err(TimedOut(budget, request_id).into())
        }
    }
}

/// A request stopped at its budget: 503, code `TIMEOUT`.
#[derive(Debug)]
struct TimedOut(std::time::Duration, Option<tracing_actix_web::RequestId>);

impl std::fmt::Display for TimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the request did not finish within its budget of {} ms and was stopped; a change it \
             had not committed yet was rolled back (look at the history before you retry)",
            self.0.as_millis()
        )
    }
}

impl actix_web::ResponseError for TimedOut {
    fn status_code(&self) -> actix_web::http::StatusCode {
        actix_web::http::StatusCode::SERVICE_UNAVAILABLE
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::ServiceUnavailable();
        if let Some(id) = self.1 {
            response.insert_header((super::access_log::REQUEST_ID_HEADER, id.to_string()));
        }
        response.json(serde_json::json!({"errors": [{
            "message": self.to_string(),
            "extensions": {"code": crate::graphql::error::code::TIMEOUT}
        }]}))
    }
}
