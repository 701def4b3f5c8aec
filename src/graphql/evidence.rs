//! Evidence (佐证材料): files attached to measures, uploaded with the GraphQL multipart request
//! spec and downloaded from `GET /evidence/{id}`.

use async_graphql::{Context, InputObject, Object, SimpleObject, Upload, ID};
use entity::evidence as db;

use super::audit::{history, AuditEvent};
use super::connection::{parse_id, Conn};
use super::error::{bad_input, GqlResult, IntoGql};
use super::loaders::MeasureKey;
use super::measure::Measure;
use super::scalars::{BigInt, DateTime};
use super::{ledger, loader, request};
use crate::domain::lifecycle::evidence;

/// A file attached to a measure. Its content never changes: `sha256` identifies it, and the
/// same hash is in the `evidence.upload` audit event.
pub struct Evidence(pub db::Model);

#[Object]
impl Evidence {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// As uploaded, without any directory part.
    async fn file_name(&self) -> &str {
        &self.0.file_name
    }
    /// As the uploader declared it (`application/octet-stream` when missing or malformed).
    async fn media_type(&self) -> &str {
        &self.0.media_type
    }
    /// Bytes.
    async fn size(&self) -> BigInt {
        BigInt(self.0.size)
    }
    /// Lower-case hex SHA-256 of the content.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn uploader_name(&self) -> &str {
        &self.0.uploader_name
    }
    async fn uploaded_at(&self) -> DateTime {
        DateTime(self.0.uploaded_at)
    }
    /// Withdrawn evidence stays stored and listed.
    async fn withdrawn(&self) -> bool {
        self.0.withdrawn_at.is_some()
    }
    async fn withdrawn_at(&self) -> Option<DateTime> {
        self.0.withdrawn_at.map(DateTime)
    }
    async fn withdraw_reason(&self) -> Option<&str> {
        self.0.withdraw_reason.as_deref()
    }
    /// Where to download it (with the same bearer token): `/evidence/<id>`.
    async fn download_path(&self) -> String {
        format!("/evidence/{}", self.0.id)
    }
    async fn measure(&self, ctx: &Context<'_>) -> GqlResult<Option<Measure>> {
        Ok(loader(ctx).load_one(MeasureKey(self.0.measure_id)).await?.map(Measure))
    }
    /// Audit events of this evidence, newest first.
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Conn<AuditEvent>> {
        history(ctx, self.0.id, first, after).await
    }
}

#[derive(InputObject)]
pub struct UploadEvidenceInput {
    pub measure_id: ID,
    /// The file, as a multipart part (GraphQL multipart request spec); at most
    /// `--max-upload-bytes` (20 MiB by default).
    pub file: Upload,
    pub description: Option<String>,
}

#[derive(InputObject)]
pub struct WithdrawEvidenceInput {
    pub id: ID,
    pub expected_version: i32,
    pub reason: String,
}

#[derive(SimpleObject)]
pub struct EvidencePayload {
    pub evidence: Evidence,
}

#[derive(Default)]
pub struct EvidenceMutation;

#[Object]
impl EvidenceMutation {
    /// Attaches a file to a measure as evidence (EDITOR on one of its units).
    async fn upload_evidence(&self, ctx: &Context<'_>, input: UploadEvidenceInput) -> GqlResult<EvidencePayload> {
        let measure_id = parse_id("measureId", &input.measure_id)?;
        let file = input
            .file
            .value(ctx)
            .map_err(|_| bad_input("file", "file is not a part of this multipart request"))?;
        let new = evidence::NewEvidence {
            measure_id,
            file_name: file.filename,
            media_type: file.content_type,
            content: file.content,
            description: input.description,
        };
        let row = evidence::upload(ledger(ctx), request(ctx), new).await.gql(ctx)?;
        Ok(EvidencePayload {
            evidence: Evidence(row),
        })
    }

    /// Withdraws a wrong file with a reason; it is kept, marked withdrawn.
    async fn withdraw_evidence(&self, ctx: &Context<'_>, input: WithdrawEvidenceInput) -> GqlResult<EvidencePayload> {
        let id = parse_id("id", &input.id)?;
        let row = evidence::withdraw(ledger(ctx), request(ctx), id, input.expected_version, &input.reason)
            .await
            .gql(ctx)?;
        Ok(EvidencePayload {
            evidence: Evidence(row),
        })
    }
}
