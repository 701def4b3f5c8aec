//! The one place a domain error becomes a GraphQL error with a stable `extensions.code`.
//! Internal errors are logged here, once, with the request id; clients see only `INTERNAL`
//! and that id.

use async_graphql::{Context, ErrorExtensions};

use crate::domain::error::DomainError;

pub type GqlResult<T> = async_graphql::Result<T>;

pub mod code {
    pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
    pub const NOT_FOUND: &str = "NOT_FOUND";
    pub const CONFLICT: &str = "CONFLICT";
    pub const INVALID_TRANSITION: &str = "INVALID_TRANSITION";
    /// A measure does not meet the close-out gate; `extensions.unmet` lists each condition.
    pub const GATE_NOT_MET: &str = "GATE_NOT_MET";
    pub const FORBIDDEN: &str = "FORBIDDEN";
    pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
    /// Too many failed logins; `extensions.retryAfterSeconds` says when to try again.
    pub const RATE_LIMITED: &str = "RATE_LIMITED";
    pub const INTERNAL: &str = "INTERNAL";
    /// HTTP 413: the body is larger than its limit.
    pub const PAYLOAD_TOO_LARGE: &str = "PAYLOAD_TOO_LARGE";
    /// The request outlived its wall-clock budget and was stopped (HTTP 503).
    pub const TIMEOUT: &str = "TIMEOUT";
}

/// The stable code and the HTTP status of a domain error: the one table both the GraphQL
/// layer and the HTTP handlers answer by.
pub fn classify(err: &DomainError) -> (&'static str, u16) {
    match err {
        DomainError::Invalid { .. } => (code::BAD_USER_INPUT, 400),
        DomainError::NotFound { .. } => (code::NOT_FOUND, 404),
        DomainError::Conflict { .. } => (code::CONFLICT, 409),
        DomainError::InvalidTransition { .. } => (code::INVALID_TRANSITION, 409),
        DomainError::GateNotMet { .. } => (code::GATE_NOT_MET, 409),
        DomainError::Forbidden(_) => (code::FORBIDDEN, 403),
        DomainError::Unauthenticated(_) => (code::UNAUTHENTICATED, 401),
        DomainError::RateLimited { .. } => (code::RATE_LIMITED, 429),
        DomainError::Database(_) | DomainError::Internal(_) => (code::INTERNAL, 500),
    }
}

/// The client's view of a domain error: message and extensions (`code`; `field` for input
/// errors, `retryAfterSeconds` for rate limits, `requestId` for internal errors, whose cause
/// is logged here, once, and never shown).
pub fn describe(err: &DomainError, request_id: &str) -> (String, serde_json::Map<String, serde_json::Value>) {
    use serde_json::Value;
    let (code, _) = classify(err);
    let mut extensions = serde_json::Map::new();
    extensions.insert("code".to_owned(), Value::from(code));
    let message = match err {
        DomainError::Invalid { field, message } => {
            extensions.insert("field".to_owned(), Value::from(field.as_str()));
            message.clone()
        }
        DomainError::GateNotMet { unmet, .. } => {
            let list = unmet
                .iter()
                .map(|u| serde_json::json!({"field": u.field, "message": u.message}))
                .collect();
            extensions.insert("unmet".to_owned(), Value::Array(list));
            if let Some(first) = unmet.first() {
                extensions.insert("field".to_owned(), Value::from(first.field));
            }
            err.to_string()
        }
        DomainError::RateLimited { retry_after_seconds } => {
            extensions.insert("retryAfterSeconds".to_owned(), Value::from(*retry_after_seconds));
            err.to_string()
        }
        DomainError::Database(_) | DomainError::Internal(_) => {
            tracing::error!(error = %err, request_id = %request_id, "request failed");
            extensions.insert("requestId".to_owned(), Value::from(request_id));
            format!("internal error; quote request id {request_id} when reporting it")
        }
        _ => err.to_string(),
    };
    (message, extensions)
}

/// Converts a domain error, logging internal ones with the request id.
pub fn to_gql(ctx: &Context<'_>, err: DomainError) -> async_graphql::Error {
    let request_id = super::request(ctx).request_id.clone().unwrap_or_default();
    with_request_id(err, &request_id)
}

/// [`to_gql`] where there is no resolver context (data loaders).
pub fn with_request_id(err: DomainError, request_id: &str) -> async_graphql::Error {
    let (message, extensions) = describe(&err, request_id);
    async_graphql::Error::new(message).extend_with(|_, e| {
        for (key, value) in extensions {
            if let Ok(value) = async_graphql::Value::from_json(value) {
                e.set(key, value);
            }
        }
    })
}

/// A user error on one input field.
pub fn bad_input(field: &str, message: impl Into<String>) -> async_graphql::Error {
    // An input error never needs the request id.
    with_request_id(DomainError::invalid(field, message), "")
}

/// Errors raised by async-graphql itself (parse, validation, limits) carry no code; they are
/// all the client's to fix. Those about one argument's value also get its `field`, named as
/// resolvers name theirs (`deadline`, `newProblem.code`: the `input.` of the mutation dropped).
/// Whether an error already carries `extensions.code` (ours always do).
pub fn has_code(error: &async_graphql::ServerError) -> bool {
    error.extensions.as_ref().is_some_and(|e| e.get("code").is_some())
}

pub fn add_default_codes(response: &mut async_graphql::Response) {
    for error in &mut response.errors {
        if !has_code(error) {
            let field = argument_of(&error.message);
            let coded = async_graphql::ServerError::new(error.message.clone(), None).extend_with(|_, e| {
                e.set("code", code::BAD_USER_INPUT);
                if let Some(field) = &field {
                    e.set("field", field.as_str());
                }
            });
            error.extensions = coded.extensions;
        }
    }
}

/// The argument an async-graphql coercion error names: `Invalid value for argument
/// "input.deadline", …` gives `deadline`.
fn argument_of(message: &str) -> Option<String> {
    let rest = message.strip_prefix("Invalid value for argument \"")?;
    let path = &rest[..rest.find('"')?];
    let path = path.strip_prefix("input.").unwrap_or(path);
    (!path.is_empty()).then(|| path.to_owned())
}

/// `result.gql(ctx)?` in resolvers.
pub trait IntoGql<T> {
    fn gql(self, ctx: &Context<'_>) -> GqlResult<T>;
}

/// Any error the domain can take in (its own, the audit trail's).
impl<T, E: Into<DomainError>> IntoGql<T> for Result<T, E> {
    fn gql(self, ctx: &Context<'_>) -> GqlResult<T> {
        self.map_err(|e| to_gql(ctx, e.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_domain_error_has_one_code_and_one_status() {
        let cases = [
            (
                DomainError::invalid("title", "title must not be empty"),
                code::BAD_USER_INPUT,
                400,
            ),
            (DomainError::not_found("Unit", "x"), code::NOT_FOUND, 404),
            (DomainError::Forbidden("no".to_owned()), code::FORBIDDEN, 403),
            (
                DomainError::Unauthenticated("log in".to_owned()),
                code::UNAUTHENTICATED,
                401,
            ),
            (
                DomainError::RateLimited { retry_after_seconds: 5 },
                code::RATE_LIMITED,
                429,
            ),
            (DomainError::Internal("disk on fire".to_owned()), code::INTERNAL, 500),
        ];
        for (err, code, status) in cases {
            assert_eq!(classify(&err), (code, status), "{err}");
            let (message, extensions) = describe(&err, "req-1");
            assert_eq!(extensions["code"], code);
            if code == code::INTERNAL {
                assert!(
                    !message.contains("disk on fire") && message.contains("req-1"),
                    "{message}"
                );
                assert_eq!(extensions["requestId"], "req-1");
            }
        }
        let (_, extensions) = describe(&DomainError::invalid("title", "x"), "");
        assert_eq!(extensions["field"], "title");
    }
}
