//! Full-row JSON snapshots for the audit trail's `before` and `after`.

use serde::Serialize;
use serde_json::Value;

use super::error::{DomainError, DomainResult};

pub fn snapshot<T: Serialize>(row: &T) -> DomainResult<Value> {
    serde_json::to_value(row).map_err(|e| DomainError::Internal(format!("snapshot: {e}")))
}
