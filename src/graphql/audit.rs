//! The audit trail over GraphQL: events, `history` of any object, the head, verification.

use async_graphql::{Context, InputObject, Json, Object, SimpleObject, ID};
use entity::audit_event as db;
use uuid::Uuid;

use super::connection::{connection, parse_opt_id, seq_after, seq_cursor, Conn};
use super::error::{bad_input, GqlResult, IntoGql};
use super::scalars::{BigInt, DateTime};
use super::{ledger, request};
use crate::domain::trail::{self, AuditFilter, Checkpoint};

/// One entry of the append-only, hash-chained audit trail: one change of one entity.
pub struct AuditEvent(pub db::Model);

/// Who made a change.
#[derive(SimpleObject)]
pub struct AuditActor {
    /// Account id of the logged-in actor, or `system` for requests without a token.
    pub id: String,
    /// The display name at the time of the change.
    pub display_name: String,
}

/// The id of an audit event in `node(id:)`.
pub fn event_node_id(seq: i64) -> String {
    format!("audit-event:{seq}")
}

#[Object]
impl AuditEvent {
    /// `audit-event:<seq>`.
    pub async fn id(&self) -> ID {
        ID(event_node_id(self.0.seq))
    }
    /// Position in the chain: 1, 2, 3 … without gaps.
    async fn seq(&self) -> BigInt {
        BigInt(self.0.seq)
    }
    async fn occurred_at(&self) -> DateTime {
        DateTime(self.0.occurred_at)
    }
    async fn actor(&self) -> AuditActor {
        AuditActor {
            id: self.0.actor_id.clone(),
            display_name: self.0.actor_name.clone(),
        }
    }
    /// What was done, e.g. `measure.update`.
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// Type of the changed object, e.g. `Measure`.
    async fn entity_type(&self) -> &str {
        &self.0.entity_type
    }
    async fn entity_id(&self) -> ID {
        ID(self.0.entity_id.to_string())
    }
    /// The row before the change (null on create).
    async fn before(&self) -> Option<Json<serde_json::Value>> {
        self.0.before.clone().map(Json)
    }
    /// The row after the change.
    async fn after(&self) -> Option<Json<serde_json::Value>> {
        self.0.after.clone().map(Json)
    }
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    /// The HTTP request that made the change.
    async fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
    /// Hash of the previous event (hex); 64 zeros for the first.
    async fn prev_hash(&self) -> &str {
        &self.0.prev_hash
    }
    /// SHA-256(prevHash ‖ JCS(event without hash)), hex; see docs/audit.md.
    async fn hash(&self) -> &str {
        &self.0.hash
    }
}

/// The events of one object, newest first.
pub async fn history(
    ctx: &Context<'_>,
    entity_id: Uuid,
    first: Option<i32>,
    after: Option<String>,
) -> GqlResult<Conn<AuditEvent>> {
    let access = &request(ctx).access;
    let page = trail::history(ledger(ctx), access, entity_id, first.map(i64::from), seq_after(after)?)
        .await
        .gql(ctx)?;
    Ok(connection(page.into(), |e| seq_cursor(e.seq), AuditEvent))
}

#[derive(InputObject, Default)]
pub struct AuditEventFilter {
    pub entity_id: Option<ID>,
    /// e.g. `Measure`.
    pub entity_type: Option<String>,
    /// e.g. `measure.update`.
    pub action: Option<String>,
    pub actor_id: Option<String>,
    /// At or after this instant.
    pub occurred_from: Option<DateTime>,
    /// Before this instant.
    pub occurred_to: Option<DateTime>,
}

#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum AuditEventOrderBy {
    SeqAsc,
    #[default]
    SeqDesc,
}

/// The chain's head: print it on a bulletin, check later that the trail still leads to it.
#[derive(SimpleObject)]
pub struct AuditHead {
    pub seq: BigInt,
    /// Hex.
    pub hash: String,
}

/// A printed (seq, hash) pair to check against the trail.
#[derive(InputObject)]
pub struct AuditCheckpointInput {
    pub seq: BigInt,
    pub hash: String,
}

/// The result of walking the whole chain.
#[derive(SimpleObject)]
pub struct AuditVerification {
    /// Every link holds, the head matches and the checkpoint (if given) is on the chain.
    pub ok: bool,
    pub checked_events: BigInt,
    /// The first event that is missing, altered or mislinked.
    pub first_broken_seq: Option<BigInt>,
    pub head_seq: BigInt,
    pub head_hash: String,
    /// Whether the checkpoint given is on the chain; null without one.
    pub checkpoint_ok: Option<bool>,
}

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// Audit events, newest first by default.
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditEventFilter>,
        order_by: Option<AuditEventOrderBy>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Rows to skip, for page numbers: offset = (page − 1) × first. Not with `after`.")]
        offset: Option<i32>,
    ) -> GqlResult<Conn<AuditEvent>> {
        let f = filter.unwrap_or_default();
        let offset = super::connection::checked_offset(offset, after.is_some())?;
        if let (Some(from), Some(to)) = (f.occurred_from, f.occurred_to) {
            if to.0 <= from.0 {
                return Err(bad_input(
                    "filter.occurredTo",
                    "filter.occurredTo must be after filter.occurredFrom",
                ));
            }
        }
        let filter = AuditFilter {
            entity_id: parse_opt_id("filter.entityId", f.entity_id.as_ref())?,
            entity_type: f.entity_type,
            action: f.action,
            actor_id: f.actor_id,
            occurred_from: f.occurred_from.map(|t| t.0),
            occurred_to: f.occurred_to.map(|t| t.0),
        };
        let newest_first = order_by.unwrap_or_default() == AuditEventOrderBy::SeqDesc;
        let page = trail::events(
            ledger(ctx),
            &request(ctx).access,
            &filter,
            newest_first,
            first.map(i64::from),
            seq_after(after)?,
            offset,
        )
        .await
        .gql(ctx)?;
        Ok(connection(page.into(), |e| seq_cursor(e.seq), AuditEvent))
    }

    /// The chain's head (seq, hash).
    async fn audit_head(&self, ctx: &Context<'_>) -> GqlResult<AuditHead> {
        let head = trail::head(ledger(ctx)).await.gql(ctx)?;
        Ok(AuditHead {
            seq: BigInt(head.seq),
            hash: head.hash,
        })
    }

    /// Whether the trail still leads to a printed checkpoint (a bulletin's seq and hash): every
    /// link from the first event holds and the event at `seq` has `hash`. Public: anyone holding
    /// a bulletin can check it. It reads the whole trail, priced like `verifyAudit`.
    #[graphql(complexity = 5000)]
    async fn verify_checkpoint(&self, ctx: &Context<'_>, seq: BigInt, hash: String) -> GqlResult<bool> {
        let checkpoint = Checkpoint { seq: seq.0, hash };
        trail::checkpoint_holds(ledger(ctx), &checkpoint).await.gql(ctx)
    }

    /// Recomputes every hash from the first event to the head and names the first broken link.
    /// It reads the whole trail, so it is priced at a quarter of the complexity limit: at most a
    /// few per request.
    #[graphql(complexity = 5000)]
    async fn verify_audit(
        &self,
        ctx: &Context<'_>,
        checkpoint: Option<AuditCheckpointInput>,
    ) -> GqlResult<AuditVerification> {
        let checkpoint = checkpoint.map(|c| Checkpoint {
            seq: c.seq.0,
            hash: c.hash,
        });
        let v = trail::verify(ledger(ctx), &request(ctx).access, checkpoint.as_ref())
            .await
            .gql(ctx)?;
        Ok(AuditVerification {
            ok: v.ok,
            checked_events: BigInt(v.checked_events),
            first_broken_seq: v.first_broken_seq.map(BigInt),
            head_seq: BigInt(v.head.seq),
            head_hash: v.head.hash,
            checkpoint_ok: v.checkpoint_ok,
        })
    }
}
