//! Reading the trail: filtered, keyset-paginated by `seq`.

use chrono::{DateTime, Utc};
use entity::audit_event;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::{AuditError, AuditResult};

/// Most rows one page of any list may hold (the API's page cap).
pub const MAX_PAGE_SIZE: u64 = 100;
/// Rows a page holds when the caller does not say.
pub const DEFAULT_PAGE_SIZE: u64 = 20;

/// One page of events, in the order asked for.
#[derive(Debug, Clone)]
pub struct EventPage {
    pub items: Vec<audit_event::Model>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub total_count: u64,
}

/// The page size asked for (`first`), checked against the cap: the rule of every list.
pub fn page_size(first: Option<i64>) -> AuditResult<u64> {
    match first {
        None => Ok(DEFAULT_PAGE_SIZE),
        Some(n) if n < 0 => Err(AuditError::Invalid {
            field: "first",
            message: "first must not be negative".to_owned(),
        }),
        Some(n) if n as u64 > MAX_PAGE_SIZE => Err(AuditError::Invalid {
            field: "first",
            message: format!("first must be at most {MAX_PAGE_SIZE}"),
        }),
        Some(n) => Ok(n as u64),
    }
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity_id: Option<Uuid>,
    pub entity_type: Option<String>,
    pub action: Option<String>,
    pub actor_id: Option<String>,
    pub occurred_from: Option<DateTime<Utc>>,
    pub occurred_to: Option<DateTime<Utc>>,
}

pub async fn get<C: ConnectionTrait>(db: &C, seq: i64) -> AuditResult<Option<audit_event::Model>> {
    Ok(audit_event::Entity::find_by_id(seq).one(db).await?)
}

/// Events matching `filter`, newest first when `newest_first`, resuming after `after_seq` or
/// skipping `offset` events (page numbers).
pub async fn list<C: ConnectionTrait>(
    db: &C,
    filter: &AuditFilter,
    newest_first: bool,
    first: Option<i64>,
    after_seq: Option<i64>,
    offset: Option<u64>,
) -> AuditResult<EventPage> {
    let size = page_size(first)?;
    let mut cond = Condition::all();
    if let Some(id) = filter.entity_id {
        cond = cond.add(audit_event::Column::EntityId.eq(id));
    }
    if let Some(t) = &filter.entity_type {
        cond = cond.add(audit_event::Column::EntityType.eq(t.as_str()));
    }
    if let Some(a) = &filter.action {
        cond = cond.add(audit_event::Column::Action.eq(a.as_str()));
    }
    if let Some(a) = &filter.actor_id {
        cond = cond.add(audit_event::Column::ActorId.eq(a.as_str()));
    }
    if let Some(from) = filter.occurred_from {
        cond = cond.add(audit_event::Column::OccurredAt.gte(from));
    }
    if let Some(to) = filter.occurred_to {
        cond = cond.add(audit_event::Column::OccurredAt.lt(to));
    }
    let total_count = audit_event::Entity::find().filter(cond.clone()).count(db).await?;
    let mut query = audit_event::Entity::find().filter(cond);
    if let Some(after) = after_seq {
        query = query.filter(if newest_first {
            audit_event::Column::Seq.lt(after)
        } else {
            audit_event::Column::Seq.gt(after)
        });
    }
    query = if newest_first {
        query.order_by_desc(audit_event::Column::Seq)
    } else {
        query.order_by_asc(audit_event::Column::Seq)
    };
    let mut items = query.offset(offset).limit(size + 1).all(db).await?;
    let has_next_page = items.len() as u64 > size;
    items.truncate(size as usize);
    Ok(EventPage {
        items,
        has_next_page,
        has_previous_page: after_seq.is_some() || offset.is_some_and(|n| n > 0),
        total_count,
    })
}
