//! The audit trail's own error: it sits below the domain and knows nothing of its rules. The
//! domain turns it into a `DomainError` (`From`), so clients see a field error or `INTERNAL`.

use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// A caller's argument is out of range (a page size); `field` names it.
    #[error("{message}")]
    Invalid { field: &'static str, message: String },
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    /// The chain's own rows are not as the trail needs them (no head row, a head hash that is
    /// not 32-byte hex).
    #[error("audit trail: {0}")]
    Corrupt(String),
}

pub type AuditResult<T> = Result<T, AuditError>;
