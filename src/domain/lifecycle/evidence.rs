//! Evidence (佐证材料): files a unit attaches to a measure to show the work is done. Content is
//! stored once per SHA-256 in the database, in the same transaction as the evidence row and its
//! audit event (whose snapshot carries the hash), so a failed upload stores nothing. Evidence
//! is never overwritten or deleted: a wrong file is withdrawn with a reason.

use entity::enums::MeasureStatus;
use entity::{evidence, evidence_blob, measure};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::domain::access::{Access, Operation};
use crate::domain::context::RequestContext;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::ledger::measures::status_name;
use crate::domain::text::{limits, Text};
use crate::domain::{ledger::measures, store, Ledger};

const MAX_FILE_NAME_CHARS: usize = 255;

/// A file as received.
#[derive(Debug, Clone)]
pub struct NewEvidence {
    pub measure_id: Uuid,
    pub file_name: String,
    pub media_type: Option<String>,
    pub content: bytes::Bytes,
    pub description: Option<String>,
}

pub fn sha256_hex(content: &[u8]) -> String {
    hex::encode(Sha256::digest(content))
}

/// The last path component, trimmed: browsers on some systems send a whole path.
fn file_name(raw: &str) -> DomainResult<String> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    if base.is_empty() || base == "." || base == ".." {
        return Err(DomainError::invalid("file", "file must have a file name"));
    }
    if base.chars().count() > MAX_FILE_NAME_CHARS {
        return Err(DomainError::invalid(
            "file",
            format!("the file name may be at most {MAX_FILE_NAME_CHARS} characters"),
        ));
    }
    if base.chars().any(char::is_control) {
        return Err(DomainError::invalid(
            "file",
            "the file name contains control characters",
        ));
    }
    Ok(base.to_owned())
}

/// `type/subtype` from the upload, without parameters; octet-stream when missing or odd.
fn media_type(raw: Option<&str>) -> String {
    let value = raw
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let ok = value.len() <= 100
        && value.split_once('/').is_some_and(|(t, s)| {
            !t.is_empty() && !s.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || "/.+-_".contains(c))
        });
    if ok {
        value
    } else {
        "application/octet-stream".to_owned()
    }
}

fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Refuses an empty file or one over the configured limit.
fn check_size(size: usize, limit: usize) -> DomainResult<i64> {
    if size == 0 {
        return Err(DomainError::invalid("file", "the file is empty"));
    }
    if size > limit {
        return Err(DomainError::invalid(
            "file",
            format!(
                "the file is {size} bytes ({}); the limit is {limit} bytes ({})",
                mib(size),
                mib(limit)
            ),
        ));
    }
    i64::try_from(size).map_err(|_| DomainError::Internal("file size overflow".to_owned()))
}

/// The SHA-256 of `content`, computed off the async workers.
async fn hash_off_thread(content: &bytes::Bytes) -> DomainResult<String> {
    let content = content.clone();
    tokio::task::spawn_blocking(move || sha256_hex(&content))
        .await
        .map_err(|e| DomainError::Internal(format!("hashing task failed: {e}")))
}

/// The measure a file is attached to: it exists, the caller edits it, it is not cancelled.
async fn measure_to_attach_to(w: &store::Write<'_>, id: Uuid) -> DomainResult<measure::Model> {
    let m = measures::get(w.tx(), id)
        .await?
        .ok_or_else(|| DomainError::invalid("measureId", format!("measure {id} does not exist")))?;
    may_attach(w.tx(), w.ctx(), &m).await?;
    Ok(m)
}

/// Whether `ctx` may attach a file to `m` now, whatever the file: reporting work on it (its
/// EDITORs, its responsible leader and person), the measure not cancelled. [`upload`] checks
/// the same; the measure's `allowedActions` asks this.
pub async fn may_attach<C: ConnectionTrait>(db: &C, ctx: &RequestContext, m: &measure::Model) -> DomainResult<()> {
    measures::require(db, ctx, Operation::ReportWork, m).await?;
    if m.status == MeasureStatus::Cancelled {
        return Err(DomainError::invalid(
            "measureId",
            format!("cannot attach evidence to a measure that is {}", status_name(m.status)),
        ));
    }
    Ok(())
}

/// Stores the content once per SHA-256 (the same file attached twice is kept once).
async fn store_blob(w: &store::Write<'_>, sha256: &str, size: i64, content: &[u8]) -> DomainResult<()> {
    let stored = evidence_blob::Entity::find_by_id(sha256.to_owned())
        .one(w.tx())
        .await?
        .is_some();
    if !stored {
        evidence_blob::Entity::insert(evidence_blob::ActiveModel {
            sha256: Set(sha256.to_owned()),
            size: Set(size),
            content: Set(content.to_vec()),
            created_at: Set(w.now()),
        })
        .exec_without_returning(w.tx())
        .await?;
    }
    Ok(())
}

/// Attaches a file to a measure (EDITOR on one of its units; not to a cancelled measure).
#[tracing::instrument(skip_all, fields(measure_id = %input.measure_id, size = input.content.len()))]
pub async fn upload(ledger: &Ledger, ctx: &RequestContext, input: NewEvidence) -> DomainResult<evidence::Model> {
    ctx.access.require_login("uploading evidence")?;
    let size = check_size(input.content.len(), ledger.max_upload_bytes)?;
    let file_name = file_name(&input.file_name)?;
    let media_type = media_type(input.media_type.as_deref());
    let description =
        Text::parse_optional("description", input.description.as_deref(), limits::REASON)?.map(Text::into_inner);
    let sha256 = hash_off_thread(&input.content).await?;
    let w = ledger.write(ctx).await?;
    let m = measure_to_attach_to(&w, input.measure_id).await?;
    store_blob(&w, &sha256, size, &input.content).await?;
    let now = w.now();
    let row = evidence::Model {
        id: Uuid::now_v7(),
        measure_id: m.id,
        sha256,
        file_name,
        media_type,
        size,
        description,
        uploaded_by: ctx.actor.id.clone(),
        uploader_name: ctx.actor.display_name.clone(),
        uploaded_at: now,
        withdrawn_at: None,
        withdrawn_by: None,
        withdraw_reason: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let saved = w.create("evidence.upload", row, None).await?;
    w.commit().await?;
    Ok(saved)
}

/// Withdraws a wrong file, with a reason; it stays stored and listed as withdrawn.
#[tracing::instrument(skip_all, fields(evidence_id = %id))]
pub async fn withdraw(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    expected_version: i32,
    reason: &str,
) -> DomainResult<evidence::Model> {
    let reason = Text::parse("reason", reason, limits::REASON)?.into_inner();
    let w = ledger.write(ctx).await?;
    let current: evidence::Model = w.load(id).await?;
    let m = measures::get(w.tx(), current.measure_id)
        .await?
        .ok_or_else(|| DomainError::not_found("Measure", current.measure_id))?;
    measures::require(w.tx(), ctx, Operation::EditLedger, &m).await?;
    store::check_current(&current, expected_version)?;
    if current.withdrawn_at.is_some() {
        return Err(DomainError::invalid("id", "this evidence is already withdrawn"));
    }
    let mut next = current.clone();
    next.withdrawn_at = Some(ledger.now());
    next.withdrawn_by = Some(ctx.actor.id.clone());
    next.withdraw_reason = Some(reason.clone());
    let saved = w.save("evidence.withdraw", current, next, Some(&reason), None).await?;
    w.commit().await?;
    Ok(saved)
}

pub async fn of_measures<C: ConnectionTrait>(db: &C, ids: &[Uuid]) -> DomainResult<Vec<evidence::Model>> {
    Ok(evidence::Entity::find()
        .filter(evidence::Column::MeasureId.is_in(ids.to_vec()))
        .order_by_desc(evidence::Column::UploadedAt)
        .order_by_desc(evidence::Column::Id)
        .all(db)
        .await?)
}

pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<evidence::Model>> {
    Ok(evidence::Entity::find_by_id(id).one(db).await?)
}

/// The evidence row and its content, if the request may read the measure; None otherwise
/// (absent and out of scope look the same). Anonymous requests never get evidence.
pub async fn download(ledger: &Ledger, access: &Access, id: Uuid) -> DomainResult<Option<(evidence::Model, Vec<u8>)>> {
    access.require_login("evidence")?;
    let Some(row) = get(&ledger.db, id).await? else {
        return Ok(None);
    };
    let visible = measure::Entity::find_by_id(row.measure_id)
        .filter(access.measure_condition())
        .one(&ledger.db)
        .await?
        .is_some();
    if !visible {
        return Ok(None);
    }
    let blob = evidence_blob::Entity::find_by_id(row.sha256.clone())
        .one(&ledger.db)
        .await?
        .ok_or_else(|| DomainError::Internal(format!("evidence {id}: content {} is missing", row.sha256)))?;
    Ok(Some((row, blob.content)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_their_path_and_media_types_their_parameters() {
        assert_eq!(
            file_name("C:\\Users\\李明\\整改报告.pdf").ok().as_deref(),
            Some("整改报告.pdf")
        );
        assert_eq!(file_name("/tmp/a/现场照片.jpg").ok().as_deref(), Some("现场照片.jpg"));
        assert!(file_name("  ").is_err() && file_name("a/..").is_err() && file_name("a\u{7}b").is_err());
        assert_eq!(media_type(Some("Application/PDF; charset=binary")), "application/pdf");
        assert_eq!(media_type(Some("<script>")), "application/octet-stream");
        assert_eq!(media_type(None), "application/octet-stream");
    }
}
