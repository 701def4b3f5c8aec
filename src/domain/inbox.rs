//! 提醒: an account's reminders inbox, computed from the ledger for the work the account does —
//! the measures led or co-operated on by units where it holds EDITOR (or a role above), those
//! its person is responsible for, and what is addressed to those units:
//!
//! - `DUE_SOON`: an open measure due within N working days (default 3);
//! - `OVERDUE`: an open or long-term measure overdue (the rule of `ledger::overdue`);
//! - `SUPERVISION`: a supervision action (督办) addressed to the unit, not yet answered;
//! - `URGING`: an urging (催办) of the unit, in the last 30 days;
//! - `VERIFICATION`: a verification result (验收) of the measure, in the last 30 days;
//! - `EXTENSION`: a deadline extension the account asked for, decided in the last 30 days;
//! - `REPORT_MISSING`: a progress report due under the campaign's rhythm and still not filed.
//!
//! Each item has a stable key (its kind and what it is about; a state item also names the
//! deadline or period, so a measure overdue again after an extension is a new item). Marking an
//! item read records the key for the account (audited `inbox.mark_read`); the inbox never
//! changes the ledger.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use entity::enums::{ExtensionStatus, VerificationResult};
use entity::{
    campaign, deadline_extension as ext, inbox_read, measure, supervision_action as sa, urging, verification,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::access::Access;
use super::clock;
use super::context::RequestContext;
use super::error::{DomainError, DomainResult};
use super::labels::Labelled;
use super::ledger::overdue::{self, OPEN_STATUSES};
use super::reporting::reports_due;
use super::Ledger;

pub const ENTITY: &str = "InboxRead";

/// How far back received and decided items reach, in days.
pub const RECENT_DAYS: i64 = 30;

/// The widest countdown asked for, in working days.
pub const MAX_DUE_WITHIN: i32 = 30;

/// Most keys marked read at once.
pub const MAX_KEYS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    DueSoon,
    Overdue,
    Supervision,
    Urging,
    Verification,
    Extension,
    ReportMissing,
}

/// One reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub key: String,
    pub kind: Kind,
    /// When it arose: the event's instant, or the start of the day a state began (due soon:
    /// today; overdue: the day after the deadline; report missing: the day after it was due).
    pub at: DateTime<Utc>,
    /// What it says, in Chinese.
    pub text: String,
    pub measure_id: Option<Uuid>,
    pub supervision_action_id: Option<Uuid>,
    pub read: bool,
}

/// The inbox: every item, newest first.
#[derive(Debug, Clone, Default)]
pub struct Inbox {
    pub items: Vec<Item>,
}

impl Inbox {
    pub fn unread(&self) -> usize {
        self.items.iter().filter(|i| !i.read).count()
    }
}

/// The account's inbox (a login is needed), with measures due within `due_within` working days.
pub async fn of(ledger: &Ledger, ctx: &RequestContext, due_within: i32) -> DomainResult<Inbox> {
    let access = &ctx.access;
    access.require_login("the reminders inbox")?;
    if !(0..=MAX_DUE_WITHIN).contains(&due_within) {
        return Err(DomainError::invalid(
            "dueWithinWorkingDays",
            format!("dueWithinWorkingDays must be between 0 and {MAX_DUE_WITHIN}"),
        ));
    }
    let mut items = Vec::new();
    items.extend(measure_items(ledger, access, due_within).await?);
    items.extend(supervision_items(ledger, access).await?);
    items.extend(urging_items(ledger, access).await?);
    items.extend(verification_items(ledger, access).await?);
    items.extend(extension_items(ledger, &ctx.actor.id).await?);
    items.extend(report_items(ledger, access).await?);
    let read = read_keys_in(&ledger.db, &ctx.actor.id).await?;
    for item in &mut items {
        item.read = read.contains(&item.key);
    }
    items.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.key.cmp(&b.key)));
    Ok(Inbox { items })
}

/// Marks items of the account's inbox (with measures due within `due_within` working days)
/// read: the `keys` given (each must be in the inbox now), or, with `all`, the newest 200
/// unread. Items already read are left as they are. Returns the inbox after.
pub async fn mark_read(
    ledger: &Ledger,
    ctx: &RequestContext,
    keys: Option<&[String]>,
    all: bool,
    due_within: i32,
) -> DomainResult<Inbox> {
    let inbox = of(ledger, ctx, due_within).await?;
    let chosen = chosen_keys(&inbox, keys, all)?;
    let w = ledger.write(ctx).await?;
    let already = read_keys_in(w.tx(), &ctx.actor.id).await?;
    for key in chosen.iter().filter(|k| !already.contains(*k)) {
        let row = inbox_read::Model {
            id: Uuid::now_v7(),
            account_id: ctx.actor.id.clone(),
            item_key: key.clone(),
            read_at: w.now(),
        };
        w.insert_record(ENTITY, "inbox.mark_read", row).await?;
    }
    w.commit().await?;
    of(ledger, ctx, due_within).await
}

/// The keys to mark: exactly one of `keys` (1 to 200, each in the inbox) and `all`.
fn chosen_keys(inbox: &Inbox, keys: Option<&[String]>, all: bool) -> DomainResult<Vec<String>> {
    match (keys, all) {
        (Some(_), true) | (None, false) => Err(DomainError::invalid("keys", "give either keys or all: true")),
        // The newest unread ones, at most MAX_KEYS a call (a whole county's inbox is large).
        (None, true) => Ok(inbox
            .items
            .iter()
            .filter(|i| !i.read)
            .take(MAX_KEYS)
            .map(|i| i.key.clone())
            .collect()),
        (Some(keys), false) => {
            if keys.is_empty() || keys.len() > MAX_KEYS {
                return Err(DomainError::invalid(
                    "keys",
                    format!("keys must name 1 to {MAX_KEYS} items"),
                ));
            }
            let known: HashSet<&str> = inbox.items.iter().map(|i| i.key.as_str()).collect();
            if let Some(unknown) = keys.iter().find(|k| !known.contains(k.as_str())) {
                let shown: String = unknown.chars().take(80).collect();
                return Err(DomainError::invalid(
                    "keys",
                    format!("`{shown}` is not an item of this account's inbox"),
                ));
            }
            let mut unique: Vec<String> = keys.to_vec();
            unique.sort();
            unique.dedup();
            Ok(unique)
        }
    }
}

async fn read_keys_in<C: sea_orm::ConnectionTrait>(db: &C, account: &str) -> DomainResult<HashSet<String>> {
    Ok(inbox_read::Entity::find()
        .filter(inbox_read::Column::AccountId.eq(account))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.item_key)
        .collect())
}

fn title(m: &measure::Model) -> String {
    format!("“{}”", m.title)
}

/// The measures due soon and overdue.
async fn measure_items(ledger: &Ledger, access: &Access, due_within: i32) -> DomainResult<Vec<Item>> {
    let today = ledger.today();
    let calendar = super::org::calendar::load(&ledger.db).await?;
    let last = calendar.nth_working_day_after(today, due_within.unsigned_abs());
    let due_soon = measure::Entity::find()
        .filter(access.work_measure_condition())
        .filter(measure::Column::Status.is_in(OPEN_STATUSES))
        .filter(measure::Column::Deadline.gte(today))
        .filter(measure::Column::Deadline.lte(last))
        .order_by_asc(measure::Column::Deadline)
        .all(&ledger.db)
        .await?;
    let late = measure::Entity::find()
        .filter(access.work_measure_condition())
        .filter(overdue::overdue_measure_condition(today))
        .all(&ledger.db)
        .await?;
    let late_ids: HashSet<Uuid> = late.iter().map(|m| m.id).collect();
    let mut items: Vec<Item> = due_soon
        .iter()
        .filter(|m| !late_ids.contains(&m.id))
        .map(|m| Item {
            key: format!("due:{}:{}", m.id, m.deadline),
            kind: Kind::DueSoon,
            at: clock::start_of_day(today),
            text: format!("{}将于{}到期，请抓紧推进", title(m), m.deadline),
            measure_id: Some(m.id),
            supervision_action_id: None,
            read: false,
        })
        .collect();
    items.extend(late.iter().map(|m| {
        let since = m.deadline.min(today);
        Item {
            key: format!("overdue:{}:{}", m.id, m.deadline),
            kind: Kind::Overdue,
            at: clock::start_of_day(since + Duration::days(1)).min(clock::start_of_day(today)),
            text: if m.deadline < today {
                format!("{}已逾期（整改时限{}）", title(m), m.deadline)
            } else {
                format!("{}有时间节点已逾期（整改时限{}）", title(m), m.deadline)
            },
            measure_id: Some(m.id),
            supervision_action_id: None,
            read: false,
        }
    }));
    Ok(items)
}

/// Unanswered supervision actions addressed to the account's units.
async fn supervision_items(ledger: &Ledger, access: &Access) -> DomainResult<Vec<Item>> {
    let rows = sa::Entity::find()
        .filter(access.worked_condition(sa::Column::TargetUnitId))
        .filter(sa::Column::RespondedAt.is_null())
        .all(&ledger.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|a| {
            let due = a.response_due.map(|d| format!("，请于{d}前答复")).unwrap_or_default();
            Item {
                key: format!("supervision:{}", a.id),
                kind: Kind::Supervision,
                at: a.issued_at,
                text: format!("收到{}（{}）：{}{due}", a.kind.label(), a.issuer_name, a.content),
                measure_id: a.measure_id,
                supervision_action_id: Some(a.id),
                read: false,
            }
        })
        .collect())
}

/// Recent urgings of the account's units.
async fn urging_items(ledger: &Ledger, access: &Access) -> DomainResult<Vec<Item>> {
    let since = ledger.now() - Duration::days(RECENT_DAYS);
    let rows = urging::Entity::find()
        .filter(access.worked_condition(urging::Column::UnitId))
        .filter(urging::Column::CreatedAt.gte(since))
        .all(&ledger.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|u| Item {
            key: format!("urging:{}", u.id),
            kind: Kind::Urging,
            at: u.created_at,
            text: format!("催办（{}）：{}，限{}前", u.urger_name, u.note, u.respond_by),
            measure_id: u.measure_id,
            supervision_action_id: u.supervision_action_id,
            read: false,
        })
        .collect())
}

/// Recent verification results of the account's measures.
async fn verification_items(ledger: &Ledger, access: &Access) -> DomainResult<Vec<Item>> {
    let since = ledger.now() - Duration::days(RECENT_DAYS);
    let rows = verification::Entity::find()
        .filter(verification::Column::VerifiedAt.gte(since))
        .filter(verification::Column::MeasureId.in_subquery(work_measure_ids(access)))
        .all(&ledger.db)
        .await?;
    let titles = measure_titles(ledger, rows.iter().map(|v| v.measure_id)).await?;
    Ok(rows
        .into_iter()
        .map(|v| {
            let outcome = match v.result {
                VerificationResult::Pass => "验收通过，已销号".to_owned(),
                VerificationResult::Reject => {
                    format!("验收未通过，退回整改：{}", v.comment.clone().unwrap_or_default())
                }
            };
            Item {
                key: format!("verification:{}", v.id),
                kind: Kind::Verification,
                at: v.verified_at,
                text: format!(
                    "{}{outcome}；验收人：{}",
                    quoted(&titles, v.measure_id),
                    v.verifier_name
                ),
                measure_id: Some(v.measure_id),
                supervision_action_id: None,
                read: false,
            }
        })
        .collect())
}

/// Recently decided extension requests the account made.
async fn extension_items(ledger: &Ledger, account: &str) -> DomainResult<Vec<Item>> {
    let since = ledger.now() - Duration::days(RECENT_DAYS);
    let rows = ext::Entity::find()
        .filter(ext::Column::RequestedBy.eq(account))
        .filter(ext::Column::Status.ne(ExtensionStatus::Pending))
        .filter(ext::Column::DecidedAt.gte(since))
        .all(&ledger.db)
        .await?;
    let titles = measure_titles(ledger, rows.iter().map(|e| e.measure_id)).await?;
    Ok(rows
        .into_iter()
        .filter_map(|e| {
            let at = e.decided_at?;
            let outcome = if e.status == ExtensionStatus::Approved {
                format!("延期申请已批准，整改时限调整为{}", e.requested_deadline)
            } else {
                format!("延期申请未获批准，整改时限仍为{}", e.previous_deadline)
            };
            Some(Item {
                key: format!("extension:{}", e.id),
                kind: Kind::Extension,
                at,
                text: format!(
                    "{}{outcome}；审批人：{}",
                    quoted(&titles, e.measure_id),
                    e.decider_name.unwrap_or_default()
                ),
                measure_id: Some(e.measure_id),
                supervision_action_id: None,
                read: false,
            })
        })
        .collect())
}

/// Progress reports still missing, in the campaigns with a reporting rhythm, of the account's
/// measures.
async fn report_items(ledger: &Ledger, access: &Access) -> DomainResult<Vec<Item>> {
    if !access.has_work() {
        return Ok(Vec::new());
    }
    let campaigns = campaign::Entity::find()
        .filter(campaign::Column::ReportRhythm.is_not_null())
        .all(&ledger.db)
        .await?;
    let mut items = Vec::new();
    for c in campaigns {
        let missing = reports_due::missing(ledger, access, c.id, None, None).await?;
        let still: Vec<_> = missing.rows.iter().filter(|r| r.filed_on.is_none()).collect();
        if still.is_empty() {
            continue;
        }
        let mine: HashSet<Uuid> = measure::Entity::find()
            .filter(access.work_measure_condition())
            .filter(measure::Column::Id.is_in(still.iter().map(|r| r.measure_id).collect::<Vec<_>>()))
            .all(&ledger.db)
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect();
        let titles = measure_titles(ledger, mine.iter().copied()).await?;
        items.extend(still.into_iter().filter(|r| mine.contains(&r.measure_id)).map(|r| {
            let due = r.period.to;
            Item {
                key: format!("report:{}:{}", r.measure_id, due),
                kind: Kind::ReportMissing,
                at: clock::start_of_day(due + Duration::days(1)),
                text: format!("{}{}至{due}的进展未报送", quoted(&titles, r.measure_id), r.period.from),
                measure_id: Some(r.measure_id),
                supervision_action_id: None,
                read: false,
            }
        }));
    }
    Ok(items)
}

/// The ids of the measures the account works on, as a subquery.
fn work_measure_ids(access: &Access) -> sea_orm::sea_query::SelectStatement {
    sea_orm::sea_query::Query::select()
        .column(measure::Column::Id)
        .from(measure::Entity)
        .cond_where(access.work_measure_condition())
        .to_owned()
}

async fn measure_titles(
    ledger: &Ledger,
    ids: impl Iterator<Item = Uuid>,
) -> DomainResult<std::collections::HashMap<Uuid, String>> {
    let ids: Vec<Uuid> = ids.collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(measure::Entity::find()
        .filter(measure::Column::Id.is_in(ids))
        .all(&ledger.db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.title))
        .collect())
}

fn quoted(titles: &std::collections::HashMap<Uuid, String>, id: Uuid) -> String {
    titles.get(&id).map(|t| format!("“{t}”")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(key: &str) -> Item {
        Item {
            key: key.to_owned(),
            kind: Kind::Supervision,
            at: Utc::now(),
            text: String::new(),
            measure_id: None,
            supervision_action_id: None,
            read: false,
        }
    }

    #[test]
    fn keys_or_all_but_not_both_and_only_the_inbox_own() {
        let inbox = Inbox {
            items: vec![item("supervision:a"), item("urging:b")],
        };
        let keys = vec!["urging:b".to_owned(), "urging:b".to_owned()];
        assert_eq!(chosen_keys(&inbox, Some(&keys), false).unwrap(), ["urging:b"]);
        assert_eq!(chosen_keys(&inbox, None, true).unwrap().len(), 2);
        let mut partly = inbox.clone();
        partly.items[0].read = true;
        assert_eq!(chosen_keys(&partly, None, true).unwrap(), ["urging:b"]);
        for (keys, all) in [(Some(&keys[..]), true), (None, false), (Some(&[][..]), false)] {
            assert!(chosen_keys(&inbox, keys, all).is_err());
        }
        let other = vec!["supervision:zzz".to_owned()];
        assert!(chosen_keys(&inbox, Some(&other), false).is_err());
    }
}
