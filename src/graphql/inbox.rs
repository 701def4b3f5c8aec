//! 提醒 over GraphQL: the logged-in account's reminders inbox and marking its items read.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};

use super::error::{GqlResult, IntoGql};
use super::measure::Measure;
use super::report::cost;
use super::scalars::DateTime;
use super::{ledger, loader, loaders::MeasureKey, request};
use crate::domain::inbox::{self, Kind};

/// What a reminder is about.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "Kind")]
pub enum InboxItemKind {
    /// An open measure due within the working days asked for.
    DueSoon,
    /// An open or long-term measure overdue (deadline or milestone).
    Overdue,
    /// A supervision action (督办) addressed to the unit, not yet answered.
    Supervision,
    /// An urging (催办) of the unit, in the last 30 days.
    Urging,
    /// A verification result (验收) of the measure, in the last 30 days.
    Verification,
    /// A deadline extension the account asked for, decided in the last 30 days.
    Extension,
    /// A progress report due under the campaign's rhythm and still not filed.
    ReportMissing,
}

/// One reminder.
pub struct InboxItem(inbox::Item);

#[Object]
impl InboxItem {
    /// Stable: the kind and what it is about (a state also names its deadline or period).
    async fn key(&self) -> &str {
        &self.0.key
    }
    async fn kind(&self) -> InboxItemKind {
        self.0.kind.into()
    }
    /// When it arose.
    async fn at(&self) -> DateTime {
        DateTime(self.0.at)
    }
    /// What it says, in Chinese.
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// The measure it is about, when the reader sees it.
    async fn measure(&self, ctx: &Context<'_>) -> GqlResult<Option<Measure>> {
        match self.0.measure_id {
            Some(id) => Ok(loader(ctx).load_one(MeasureKey(id)).await?.map(Measure)),
            None => Ok(None),
        }
    }
    async fn supervision_action_id(&self) -> Option<ID> {
        self.0.supervision_action_id.map(|id| ID(id.to_string()))
    }
    /// Marked read by this account.
    async fn read(&self) -> bool {
        self.0.read
    }
}

/// The account's reminders, newest first.
#[derive(SimpleObject)]
pub struct Inbox {
    pub total_count: usize,
    pub unread_count: usize,
    /// At most `first` of them (unread only when asked).
    pub items: Vec<InboxItem>,
}

/// Most items listed at once.
const MAX_ITEMS: i32 = 200;

fn inbox_of(full: inbox::Inbox, unread_only: bool, first: usize) -> Inbox {
    let total_count = full.items.len();
    let unread_count = full.unread();
    let items = full
        .items
        .into_iter()
        .filter(|i| !unread_only || !i.read)
        .take(first)
        .map(InboxItem)
        .collect();
    Inbox {
        total_count,
        unread_count,
        items,
    }
}

#[derive(Default)]
pub struct InboxQuery;

#[Object]
impl InboxQuery {
    /// The logged-in account's reminders (提醒) about the work of the units where it holds
    /// EDITOR or a role above and the measures its person is responsible for: measures due
    /// within `dueWithinWorkingDays` (0–30, default 3) working days, overdue measures,
    /// supervision actions not answered, urgings, verification results and extension decisions
    /// of the last 30 days, progress reports missing. `first` (1–200, default 50) items.
    #[graphql(complexity = "cost::stats(false, child_complexity)")]
    async fn inbox(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 3)] due_within_working_days: i32,
        #[graphql(default = false)] unread_only: bool,
        #[graphql(default = 50)] first: i32,
    ) -> GqlResult<Inbox> {
        let first = check_first(first)?;
        let full = inbox::of(ledger(ctx), request(ctx), due_within_working_days)
            .await
            .gql(ctx)?;
        Ok(inbox_of(full, unread_only, first))
    }
}

fn check_first(first: i32) -> GqlResult<usize> {
    if !(1..=MAX_ITEMS).contains(&first) {
        return Err(super::error::bad_input(
            "first",
            format!("first must be between 1 and {MAX_ITEMS}"),
        ));
    }
    Ok(first as usize)
}

#[derive(InputObject)]
pub struct MarkInboxReadInput {
    /// The items' keys (1–200, each an item of the inbox now); or
    pub keys: Option<Vec<String>>,
    /// `true`: the newest 200 unread items of the inbox.
    #[graphql(default = false)]
    pub all: bool,
    /// The countdown of the inbox the keys come from (as `inbox` takes it).
    #[graphql(default = 3)]
    pub due_within_working_days: i32,
}

#[derive(SimpleObject)]
pub struct MarkInboxReadPayload {
    /// The inbox after (its first 50 items).
    pub inbox: Inbox,
}

#[derive(Default)]
pub struct InboxMutation;

#[Object]
impl InboxMutation {
    /// Marks items of the logged-in account's inbox read (audited `inbox.mark_read`, one event
    /// per item newly read); items already read stay as they are.
    async fn mark_inbox_read(&self, ctx: &Context<'_>, input: MarkInboxReadInput) -> GqlResult<MarkInboxReadPayload> {
        let full = inbox::mark_read(
            ledger(ctx),
            request(ctx),
            input.keys.as_deref(),
            input.all,
            input.due_within_working_days,
        )
        .await
        .gql(ctx)?;
        Ok(MarkInboxReadPayload {
            inbox: inbox_of(full, false, 50),
        })
    }
}
