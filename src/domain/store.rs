//! Writing versioned rows and their audit events: the one implementation of optimistic
//! concurrency (`version` bump with a `WHERE version = expected` guard) and of "every change
//! writes its event in the same transaction".

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, IntoActiveModel,
    PrimaryKeyTrait, QueryFilter,
};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use super::context::RequestContext;
use super::error::{DomainError, DomainResult};
use super::snapshot::snapshot;
use super::Ledger;
use crate::audit::{self, Change};
use crate::db::WriteTurn;

/// A row with an id, a `version` and an `updated_at`.
pub trait Versioned:
    Serialize + Clone + PartialEq + Send + Sync + IntoActiveModel<<Self::Entity as EntityTrait>::ActiveModel>
{
    type Entity: EntityTrait<Model = Self>;
    /// The entity type as named in the audit trail and the API.
    const ENTITY: &'static str;
    fn id(&self) -> Uuid;
    fn version(&self) -> i32;
    fn stamp(&mut self, version: i32, at: DateTime<Utc>);
    fn version_column() -> <Self::Entity as EntityTrait>::Column;
}

macro_rules! versioned {
    ($module:ident, $name:literal) => {
        impl Versioned for entity::$module::Model {
            type Entity = entity::$module::Entity;
            const ENTITY: &'static str = $name;
            fn id(&self) -> Uuid {
                self.id
            }
            fn version(&self) -> i32 {
                self.version
            }
            fn stamp(&mut self, version: i32, at: DateTime<Utc>) {
                self.version = version;
                self.updated_at = at;
            }
            fn version_column() -> entity::$module::Column {
                entity::$module::Column::Version
            }
        }
    };
}

versioned!(unit, "Unit");
versioned!(person, "Person");
versioned!(campaign, "Campaign");
versioned!(problem, "Problem");
versioned!(measure, "Measure");
versioned!(account, "Account");
versioned!(calendar_day, "CalendarDay");
versioned!(milestone, "Milestone");
versioned!(evidence, "Evidence");
versioned!(feedback, "Feedback");
versioned!(satisfaction_survey, "SatisfactionSurvey");
versioned!(commitment, "Commitment");
versioned!(accountability, "Accountability");
versioned!(score_adjustment, "ScoreAdjustment");
versioned!(inspection, "Inspection");
versioned!(receipt, "Receipt");

/// Rows that are archived rather than deleted (units, people, problems).
pub trait Archivable: Versioned {
    const ARCHIVE_ACTION: &'static str;
    fn is_archived(&self) -> bool;
    fn set_archived(&mut self);
    /// How the row is named in messages (a name or a code).
    fn label(&self) -> &str;
}

macro_rules! archivable {
    ($module:ident, $action:literal, $label:ident) => {
        impl Archivable for entity::$module::Model {
            const ARCHIVE_ACTION: &'static str = $action;
            fn is_archived(&self) -> bool {
                self.archived
            }
            fn set_archived(&mut self) {
                self.archived = true;
            }
            fn label(&self) -> &str {
                &self.$label
            }
        }
    };
}

archivable!(unit, "unit.archive", name);
archivable!(person, "person.archive", name);
archivable!(problem, "problem.archive", code);

/// The row `id` of `M`, which must exist and still be at `expected_version`.
pub async fn load_current<M: Versioned, C: ConnectionTrait>(tx: &C, id: Uuid, expected_version: i32) -> DomainResult<M>
where
    <<M::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    let current = load::<M, C>(tx, id).await?;
    check_current(&current, expected_version)?;
    Ok(current)
}

/// The row `id` of `M`, which must exist. Check the caller's rights on it, then
/// [`check_current`]: a caller without rights learns nothing from its version.
pub async fn load<M: Versioned, C: ConnectionTrait>(tx: &C, id: Uuid) -> DomainResult<M>
where
    <<M::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    M::Entity::find_by_id(id)
        .one(tx)
        .await?
        .ok_or_else(|| DomainError::not_found(M::ENTITY, id))
}

/// Refuses a stale `expected_version` (CONFLICT).
pub fn check_current<M: Versioned>(row: &M, expected_version: i32) -> DomainResult<()> {
    super::check_version(M::ENTITY, row.id(), expected_version, row.version())
}

/// A unique index's violation turned into a user error on one field.
pub type UniqueField<'a> = Option<(&'a str, &'a str)>;

fn map_write_error(err: DbErr, unique: UniqueField<'_>) -> DomainError {
    match unique {
        Some((field, message)) => DomainError::unique_violation_on(err, field, message),
        None => DomainError::Database(err),
    }
}

async fn insert_row<M: Versioned, C: ConnectionTrait>(tx: &C, model: M, unique: UniqueField<'_>) -> DomainResult<M>
where
    <M::Entity as EntityTrait>::ActiveModel: ActiveModelTrait<Entity = M::Entity> + Send,
{
    let active = model.into_active_model().reset_all();
    M::Entity::insert(active)
        .exec_with_returning(tx)
        .await
        .map_err(|e| map_write_error(e, unique))
}

/// Writes `next` over `current`, guarded by `current.version`; bumps version and
/// `updated_at`. A row that changed meanwhile gives `CONFLICT`.
async fn update_row<M: Versioned, C: ConnectionTrait>(
    tx: &C,
    at: DateTime<Utc>,
    current: &M,
    mut next: M,
    unique: UniqueField<'_>,
) -> DomainResult<M>
where
    <M::Entity as EntityTrait>::ActiveModel: ActiveModelTrait<Entity = M::Entity> + Send,
{
    next.stamp(current.version() + 1, at);
    let active = next.into_active_model().reset_all();
    M::Entity::update(active)
        .validate()?
        .filter(M::version_column().eq(current.version()))
        .exec(tx)
        .await
        .map_err(|e| match e {
            DbErr::RecordNotUpdated => DomainError::Conflict {
                entity: M::ENTITY,
                id: current.id().to_string(),
                expected: current.version(),
                actual: current.version() + 1,
            },
            e => map_write_error(e, unique),
        })
}

/// One write: the SQLite write turn, the transaction (holding the audit head's lock), the
/// ledger (for the clock) and the request (for the actor and request id every event names).
/// Every write service begins one with [`Ledger::write`], loads, checks, saves and records
/// through it, and ends with [`Write::commit`]; dropped without a commit, it rolls back.
pub struct Write<'a> {
    // Declared before the turn: fields drop in order, so the transaction ends before the next
    // writer's turn begins.
    tx: DatabaseTransaction,
    _turn: WriteTurn,
    /// When the write took the chain head, for the append latency metric.
    started: std::time::Instant,
    /// The write's one instant, read once the chain head is held: every row stamp taken
    /// through [`Write::now`] and every event it records carry it, so a report as of any
    /// instant sees a change and its event together or neither.
    at: DateTime<Utc>,
    ledger: &'a Ledger,
    ctx: &'a RequestContext,
}

impl<'a> Write<'a> {
    pub(super) fn new(turn: WriteTurn, tx: DatabaseTransaction, ledger: &'a Ledger, ctx: &'a RequestContext) -> Self {
        Self {
            tx,
            _turn: turn,
            started: std::time::Instant::now(),
            at: ledger.now(),
            ledger,
            ctx,
        }
    }

    /// The transaction, for reads and checks that must see this write's rows.
    pub fn tx(&self) -> &DatabaseTransaction {
        &self.tx
    }

    pub fn ledger(&self) -> &'a Ledger {
        self.ledger
    }

    pub fn ctx(&self) -> &'a RequestContext {
        self.ctx
    }

    /// The write's instant (see the field `at`).
    pub fn now(&self) -> DateTime<Utc> {
        self.at
    }

    /// The write's day in China Standard Time.
    pub fn today(&self) -> chrono::NaiveDate {
        super::clock::date_of(self.at)
    }

    /// Commits the rows and their events together.
    pub async fn commit(self) -> DomainResult<()> {
        let (ledger, started) = (self.ledger, self.started);
        self.tx.commit().await?;
        crate::metrics::observe_append(started.elapsed().as_secs_f64());
        // After the commit: subscribers hear only of what is there to read.
        ledger.feed.poke();
        Ok(())
    }

    /// The row `id` of `M`, which must exist; see [`load`].
    pub async fn load<M: Versioned>(&self, id: Uuid) -> DomainResult<M>
    where
        <<M::Entity as EntityTrait>::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
    {
        load::<M, _>(&self.tx, id).await
    }

    /// Records one change of an entity of type `M` with explicit snapshots; the event's seq.
    pub async fn record<M: Versioned>(
        &self,
        action: &str,
        id: Uuid,
        before: Option<Value>,
        after: Value,
        reason: Option<&str>,
    ) -> DomainResult<i64> {
        self.record_change(Change {
            action,
            entity_type: M::ENTITY,
            entity_id: id,
            before,
            after: Some(after),
            reason,
        })
        .await
    }

    /// Records a change of any entity type (records without a version, batches).
    pub async fn record_change(&self, change: Change<'_>) -> DomainResult<i64> {
        let action = change.action;
        let seq = audit::record(&self.tx, self.ctx.attribution(), self.at, change).await?;
        if self.ledger.outbox {
            self.queue_webhook(seq, action).await?;
        }
        Ok(seq)
    }

    /// The event's outbox row, in the change's transaction: it is delivered after commit, or
    /// after a restart, never lost and never sent for a change rolled back.
    async fn queue_webhook(&self, seq: i64, action: &str) -> DomainResult<()> {
        let row = entity::webhook_outbox::Model {
            seq,
            action: action.to_owned(),
            created_at: self.at,
            attempts: 0,
            next_attempt_at: self.at,
            last_attempt_at: None,
            last_status: None,
            last_error: None,
            delivered_at: None,
        };
        entity::webhook_outbox::Entity::insert(row.into_active_model())
            .exec_without_returning(&self.tx)
            .await?;
        Ok(())
    }

    /// Inserts a new row without its event, for a service that records a richer snapshot.
    pub async fn insert<M: Versioned>(&self, model: M, unique: UniqueField<'_>) -> DomainResult<M>
    where
        <M::Entity as EntityTrait>::ActiveModel: ActiveModelTrait<Entity = M::Entity> + Send,
    {
        insert_row(&self.tx, model, unique).await
    }

    /// Writes `next` over `current` without its event; see [`update_row`].
    pub async fn update<M: Versioned>(&self, current: &M, next: M, unique: UniqueField<'_>) -> DomainResult<M>
    where
        <M::Entity as EntityTrait>::ActiveModel: ActiveModelTrait<Entity = M::Entity> + Send,
    {
        update_row(&self.tx, self.at, current, next, unique).await
    }

    /// Inserts a new row and records `action` for it.
    pub async fn create<M: Versioned>(&self, action: &str, model: M, unique: UniqueField<'_>) -> DomainResult<M>
    where
        <M::Entity as EntityTrait>::ActiveModel: ActiveModelTrait<Entity = M::Entity> + Send,
    {
        let saved = self.insert(model, unique).await?;
        self.record::<M>(action, saved.id(), None, snapshot(&saved)?, None)
            .await?;
        Ok(saved)
    }

    /// Saves `next` over `current` and records `action` with both snapshots. Nothing is
    /// written when nothing changed.
    pub async fn save<M: Versioned>(
        &self,
        action: &str,
        current: M,
        next: M,
        reason: Option<&str>,
        unique: UniqueField<'_>,
    ) -> DomainResult<M>
    where
        <M::Entity as EntityTrait>::ActiveModel: ActiveModelTrait<Entity = M::Entity> + Send,
    {
        if next == current {
            return Ok(current);
        }
        let saved = self.update(&current, next, unique).await?;
        let before = snapshot(&current)?;
        self.record::<M>(action, saved.id(), Some(before), snapshot(&saved)?, reason)
            .await?;
        Ok(saved)
    }

    /// Archives `current` (refusing one already archived) and records it with `reason`.
    pub async fn archive<M: Archivable>(&self, current: M, reason: Option<&str>) -> DomainResult<M>
    where
        <M::Entity as EntityTrait>::ActiveModel: ActiveModelTrait<Entity = M::Entity> + Send,
    {
        if current.is_archived() {
            return Err(DomainError::invalid(
                "id",
                format!("{} {} is already archived", M::ENTITY.to_lowercase(), current.label()),
            ));
        }
        let mut next = current.clone();
        next.set_archived();
        self.save(M::ARCHIVE_ACTION, current, next, reason, None).await
    }

    /// Inserts a record without a version (verification, progress report, extension request,
    /// supervision action) and its creation event.
    pub async fn insert_record<M>(&self, entity_type: &str, action: &str, row: M) -> DomainResult<M>
    where
        M: sea_orm::ModelTrait + IntoActiveModel<<M::Entity as EntityTrait>::ActiveModel> + Serialize + Clone + Send,
        <M::Entity as EntityTrait>::ActiveModel: ActiveModelTrait<Entity = M::Entity> + Send,
    {
        let after = snapshot(&row)?;
        let id = after
            .get("id")
            .and_then(|v| v.as_str())
            .and_then(|s| Uuid::parse_str(s).ok())
            .ok_or_else(|| DomainError::Internal("record without an id".to_owned()))?;
        <M::Entity as EntityTrait>::insert(row.clone().into_active_model())
            .exec_without_returning(&self.tx)
            .await?;
        self.record_change(Change {
            action,
            entity_type,
            entity_id: id,
            before: None,
            after: Some(after),
            reason: None,
        })
        .await?;
        Ok(row)
    }
}

impl Ledger {
    /// Begins a [`Write`] for `ctx`: waits for the write turn (SQLite), begins the transaction
    /// and takes the audit head's lock (PostgreSQL); see [`crate::db::WriteGate`].
    /// A turn at the write gate for a write that records no event (the webhook deliverer's
    /// bookkeeping), so that on SQLite it queues with the audited writers instead of racing
    /// them through the busy handler; no-op on PostgreSQL.
    pub async fn write_turn(&self) -> crate::db::WriteTurn {
        self.write_gate.wait().await
    }

    pub async fn write<'a>(&'a self, ctx: &'a RequestContext) -> DomainResult<Write<'a>> {
        let turn = self.write_gate.wait().await;
        let tx = crate::db::begin_write(&self.db).await?;
        crate::db::lock_audit_head(&tx).await?;
        Ok(Write::new(turn, tx, self, ctx))
    }
}
