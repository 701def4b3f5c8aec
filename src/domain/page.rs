//! Keyset pagination shared by every list: order by (sort column, id), resume after the row a
//! cursor names. Rows inserted while a client pages do not shift later pages, so pages have
//! no duplicates and no gaps. Tables with page numbers may ask for an `offset` instead.

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, ModelTrait, Order, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use uuid::Uuid;

use super::error::{DomainError, DomainResult};

// One page cap for every list, the audit trail's included: the trail is the lowest layer, so
// the rule lives there and the domain uses it.
pub use crate::audit::query::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

#[derive(Debug, Clone, Copy, Default)]
pub struct PageRequest {
    pub first: Option<i64>,
    pub after: Option<Uuid>,
    /// Rows to skip (page numbers), instead of `after`: a row inserted meanwhile shifts the
    /// later pages by one, which a table with page numbers accepts.
    pub offset: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub total_count: u64,
}

impl PageRequest {
    /// The page size asked for, checked against the cap.
    pub fn size(&self) -> DomainResult<u64> {
        Ok(crate::audit::query::page_size(self.first)?)
    }
}

/// Fetches one page of `select`, ordered by `sort` then `id` in `order`.
pub async fn keyset_page<E, C>(
    db: &C,
    select: Select<E>,
    sort: E::Column,
    id: E::Column,
    order: Order,
    request: PageRequest,
) -> DomainResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: ModelTrait<Entity = E> + Sync,
    C: ConnectionTrait,
{
    let size = request.size()?;
    let total_count = select.clone().count(db).await?;
    let mut query = select;
    if let Some(after) = request.after {
        let anchor = E::find()
            .filter(id.eq(after))
            .one(db)
            .await?
            .ok_or_else(|| DomainError::invalid("after", "after is not a cursor of this list"))?;
        let value = anchor.get(sort);
        let (past_value, past_id) = match order {
            Order::Desc => (sort.lt(value.clone()), id.lt(after)),
            _ => (sort.gt(value.clone()), id.gt(after)),
        };
        query = query.filter(
            Condition::any()
                .add(past_value)
                .add(Condition::all().add(sort.eq(value)).add(past_id)),
        );
    }
    let mut items = query
        .order_by(sort, order.clone())
        .order_by(id, order)
        .offset(request.offset)
        .limit(size + 1)
        .all(db)
        .await?;
    let has_next_page = items.len() as u64 > size;
    items.truncate(size as usize);
    Ok(Page {
        items,
        has_next_page,
        has_previous_page: request.after.is_some() || request.offset.is_some_and(|n| n > 0),
        total_count,
    })
}

/// A text filter: case-insensitive substring match, with LIKE wildcards in the input escaped.
pub fn like_pattern(search: &str) -> String {
    let escaped = search
        .trim()
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// `search` as a condition matching any of `columns` (case-insensitive substring).
pub fn text_match<C: ColumnTrait>(columns: &[C], search: &str) -> Condition {
    use sea_orm::sea_query::{Expr, Func, LikeExpr};
    use sea_orm::ExprTrait;
    let pattern = like_pattern(search);
    columns.iter().fold(Condition::any(), |cond, column| {
        cond.add(
            Expr::expr(Func::lower(Expr::col(column.as_column_ref())))
                .like(LikeExpr::new(pattern.clone()).escape('\\')),
        )
    })
}

impl From<crate::audit::query::EventPage> for Page<entity::audit_event::Model> {
    fn from(page: crate::audit::query::EventPage) -> Self {
        Self {
            items: page.items,
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
            total_count: page.total_count,
        }
    }
}
