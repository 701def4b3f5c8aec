//! The error every domain service returns. The GraphQL layer turns it into an error with a
//! stable `extensions.code`; internal variants are logged there and never shown to clients.

use sea_orm::{DbErr, SqlErr};

#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The input is wrong; `field` names the input field (dotted path, camelCase).
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: String },
    /// Optimistic concurrency: the caller edited a version that is no longer current.
    #[error("{entity} {id} was changed by someone else: expected version {expected}, current version is {actual}; reload and try again")]
    Conflict {
        entity: &'static str,
        id: String,
        expected: i32,
        actual: i32,
    },
    #[error("cannot {verb} a measure that is {status}; allowed: {}", allowed.join(", "))]
    InvalidTransition {
        verb: &'static str,
        status: String,
        allowed: Vec<&'static str>,
    },
    /// A measure does not meet the close-out gate (销号): every unmet condition, each on the
    /// field or record it is about.
    #[error("cannot {verb}: {}", unmet.iter().map(|u| u.message.as_str()).collect::<Vec<_>>().join("; "))]
    GateNotMet { verb: &'static str, unmet: Vec<Unmet> },
    #[error("{0}")]
    Forbidden(String),
    /// No valid credentials; the message never says whether a username exists.
    #[error("{0}")]
    Unauthenticated(String),
    #[error("too many failed logins; try again in {retry_after_seconds} seconds")]
    RateLimited { retry_after_seconds: i64 },
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    #[error("internal error: {0}")]
    Internal(String),
}

pub type DomainResult<T> = Result<T, DomainError>;

/// One condition a measure does not meet yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmet {
    /// What it is about: `progressPercent`, `evidence`.
    pub field: &'static str,
    pub message: String,
}

impl From<crate::audit::AuditError> for DomainError {
    fn from(err: crate::audit::AuditError) -> Self {
        use crate::audit::AuditError;
        match err {
            AuditError::Invalid { field, message } => Self::invalid(field, message),
            AuditError::Database(e) => Self::Database(e),
            AuditError::Corrupt(message) => Self::Internal(message),
        }
    }
}

impl DomainError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Self::NotFound {
            entity,
            id: id.to_string(),
        }
    }

    /// The same error with its field under `parent` (`code` → `newProblem.code`), for a
    /// service called on a nested input; other errors are unchanged.
    pub fn under(self, parent: &str) -> Self {
        match self {
            Self::Invalid { field, message } => {
                // A message that starts with its field's name names the new path too.
                let message = match message.strip_prefix(&format!("{field}:")) {
                    Some(rest) => format!("{parent}.{field}:{rest}"),
                    None => message,
                };
                Self::Invalid {
                    field: format!("{parent}.{field}"),
                    message,
                }
            }
            other => other,
        }
    }

    /// Maps a unique-constraint violation to a user error on `field`; any other database
    /// error stays internal.
    pub fn unique_violation_on(err: DbErr, field: &str, message: &str) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => Self::invalid(field, message),
            _ => Self::Database(err),
        }
    }
}
