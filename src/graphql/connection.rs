//! Relay connections over the domain's keyset pages. Cursors are opaque (base64url of the
//! row's id, or of the audit `seq`).

use async_graphql::connection::{Connection, Edge};
use async_graphql::{OutputType, SimpleObject, ID};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use uuid::Uuid;

use super::error::{bad_input, GqlResult};
use crate::domain::page::{Page, PageRequest};

/// Fields every connection carries besides edges and pageInfo.
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct ConnectionFields {
    /// How many items match the filter, over all pages.
    pub total_count: i64,
}

pub type Conn<T> = Connection<String, T, ConnectionFields>;

pub fn encode_cursor(raw: &str) -> String {
    URL_SAFE_NO_PAD.encode(raw)
}

fn decode_cursor(cursor: &str) -> Option<String> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
}

pub fn uuid_cursor(id: &Uuid) -> String {
    encode_cursor(&id.to_string())
}

/// `first`/`after` of a list whose cursors are row ids.
/// An optional id argument, parsed (`BAD_USER_INPUT` on `field` when malformed).
pub fn parse_opt_id(field: &str, id: Option<&ID>) -> GqlResult<Option<Uuid>> {
    id.map(|id| parse_id(field, id)).transpose()
}

/// `offset` checked: not negative, not together with a cursor.
pub fn checked_offset(offset: Option<i32>, with_cursor: bool) -> GqlResult<Option<u64>> {
    match offset {
        Some(n) if n < 0 => Err(bad_input("offset", "offset must not be negative")),
        Some(_) if with_cursor => Err(bad_input(
            "offset",
            "offset and after cannot be combined: page by numbers or by cursors",
        )),
        Some(n) => Ok(Some(n as u64)),
        None => Ok(None),
    }
}

pub fn page_request(first: Option<i32>, after: Option<String>, offset: Option<i32>) -> GqlResult<PageRequest> {
    let offset = checked_offset(offset, after.is_some())?;
    let after = match after {
        None => None,
        Some(cursor) => Some(
            decode_cursor(&cursor)
                .and_then(|s| Uuid::parse_str(&s).ok())
                .ok_or_else(|| bad_input("after", "after is not a cursor returned by this list"))?,
        ),
    };
    Ok(PageRequest {
        first: first.map(i64::from),
        after,
        offset,
    })
}

/// Builds the connection of a page, converting each row into its GraphQL type.
pub fn connection<M, T: OutputType>(page: Page<M>, cursor: impl Fn(&M) -> String, node: impl Fn(M) -> T) -> Conn<T> {
    let mut conn = Connection::with_additional_fields(
        page.has_previous_page,
        page.has_next_page,
        ConnectionFields {
            total_count: i64::try_from(page.total_count).unwrap_or(i64::MAX),
        },
    );
    conn.edges
        .extend(page.items.into_iter().map(|item| Edge::new(cursor(&item), node(item))));
    conn
}

/// Parses an ID argument naming a row.
pub fn parse_id(field: &str, id: &async_graphql::ID) -> GqlResult<Uuid> {
    Uuid::parse_str(id.as_str()).map_err(|_| bad_input(field, format!("{field} is not a valid id")))
}

pub fn parse_ids(field: &str, ids: &[async_graphql::ID]) -> GqlResult<Vec<Uuid>> {
    ids.iter().map(|id| parse_id(field, id)).collect()
}

/// `decode_cursor` for lists keyed by a number (the audit trail's `seq`).
pub fn seq_after(after: Option<String>) -> GqlResult<Option<i64>> {
    match after {
        None => Ok(None),
        Some(cursor) => decode_cursor(&cursor)
            .and_then(|s| s.strip_prefix("seq:").and_then(|n| n.parse().ok()))
            .map(Some)
            .ok_or_else(|| bad_input("after", "after is not a cursor returned by this list")),
    }
}

pub fn seq_cursor(seq: i64) -> String {
    encode_cursor(&format!("seq:{seq}"))
}

/// Complexity of a connection field: what one item costs times the items a page may hold.
pub fn page_cost(first: Option<i32>, child_complexity: usize) -> usize {
    let items = first.map_or(crate::domain::page::DEFAULT_PAGE_SIZE as usize, |n| {
        n.clamp(1, 100) as usize
    });
    items.saturating_mul(child_complexity)
}

/// Most items of a campaign's due list (`missingReports`, `lateAcknowledgements`) at once.
pub const MAX_DUE_ITEMS: i32 = 500;

/// The checked arguments of a campaign's due list: the campaign, the unit subtree, and the page
/// (`offset` from 0, `limit` 1 to [`MAX_DUE_ITEMS`]).
#[derive(Debug, Clone, Copy)]
pub struct DueList {
    pub campaign: Uuid,
    pub unit: Option<Uuid>,
    pub offset: usize,
    pub limit: usize,
}

pub fn due_list(campaign_id: &ID, unit_id: Option<&ID>, offset: i32, limit: i32) -> GqlResult<DueList> {
    let campaign = parse_id("campaignId", campaign_id)?;
    let unit = parse_opt_id("unitId", unit_id)?;
    let offset = usize::try_from(offset).map_err(|_| bad_input("offset", "offset must not be negative"))?;
    if !(1..=MAX_DUE_ITEMS).contains(&limit) {
        return Err(bad_input(
            "limit",
            format!("limit must be between 1 and {MAX_DUE_ITEMS}"),
        ));
    }
    Ok(DueList {
        campaign,
        unit,
        offset,
        limit: limit as usize,
    })
}
