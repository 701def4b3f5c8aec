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
    pub const FORBIDDEN: &str = "FORBIDDEN";
    pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
    /// Too many failed logins; `extensions.retryAfterSeconds` says when to try again.
    pub const RATE_LIMITED: &str = "RATE_LIMITED";
    pub const INTERNAL: &str = "INTERNAL";
    /// The request outlived its wall-clock budget and was stopped (HTTP 503).
    pub const TIMEOUT: &str = "TIMEOUT";
}

/// Converts a domain error, logging internal ones with the request id.
pub fn to_gql(ctx: &Context<'_>, err: DomainError) -> async_graphql::Error {
    let request_id = super::request(ctx).request_id.clone().unwrap_or_default();
    match err {
        DomainError::Invalid { field, message } => async_graphql::Error::new(message).extend_with(|_, e| {
            e.set("code", code::BAD_USER_INPUT);
            e.set("field", field);
        }),
        DomainError::NotFound { .. } => coded(err.to_string(), code::NOT_FOUND),
        DomainError::Conflict { .. } => coded(err.to_string(), code::CONFLICT),
        DomainError::InvalidTransition { .. } => coded(err.to_string(), code::INVALID_TRANSITION),
        DomainError::Forbidden(_) => coded(err.to_string(), code::FORBIDDEN),
        DomainError::Unauthenticated(_) => coded(err.to_string(), code::UNAUTHENTICATED),
        DomainError::RateLimited { retry_after_seconds } => {
            async_graphql::Error::new(err.to_string()).extend_with(|_, e| {
                e.set("code", code::RATE_LIMITED);
                e.set("retryAfterSeconds", retry_after_seconds);
            })
        }
        DomainError::Database(_) | DomainError::Internal(_) => {
            tracing::error!(error = %err, request_id = %request_id, "request failed");
            async_graphql::Error::new(format!(
                "internal error; quote request id {request_id} when reporting it"
            ))
            .extend_with(|_, e| {
                e.set("code", code::INTERNAL);
                e.set("requestId", request_id.clone());
            })
        }
    }
}

fn coded(message: String, code: &'static str) -> async_graphql::Error {
    async_graphql::Error::new(message).extend_with(|_, e| e.set("code", code))
}

/// A user error on one input field.
pub fn bad_input(field: &str, message: impl Into<String>) -> async_graphql::Error {
    to_gql_plain(DomainError::invalid(field, message))
}

/// For errors that cannot be internal (no context needed).
fn to_gql_plain(err: DomainError) -> async_graphql::Error {
    match err {
        DomainError::Invalid { field, message } => async_graphql::Error::new(message).extend_with(|_, e| {
            e.set("code", code::BAD_USER_INPUT);
            e.set("field", field);
        }),
        other => coded(other.to_string(), code::INTERNAL),
    }
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
