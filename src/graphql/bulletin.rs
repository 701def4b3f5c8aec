//! Bulletins (通报): generated for a period of a campaign, stored as issued.

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use entity::bulletin as db;

use super::audit::{history, AuditEvent};
use super::connection::{parse_id, parse_opt_id, Conn};
use super::enums::Disclosure;
use super::error::{bad_input, GqlResult, IntoGql};
use super::scalars::{BigInt, Date, DateTime};
use super::{ledger, request};
use crate::domain::reporting::bulletins;

/// A bulletin as it was issued: the figures of its campaign as of an instant, the units and
/// people named for overdue items, the ranking, satisfaction and supervision, and the audit
/// checkpoint it stands on. Never changed after it is generated.
pub struct Bulletin(pub db::Model);

#[Object]
impl Bulletin {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// 第N期: the bulletin's number within its campaign, 1 for the first generated, assigned
    /// when it is generated (a bulletin generated again for the same period is a new issue).
    /// Printed under the title.
    async fn issue_number(&self) -> i32 {
        self.0.issue_number
    }
    async fn period_from(&self) -> Date {
        Date(self.0.period_from)
    }
    async fn period_to(&self) -> Date {
        Date(self.0.period_to)
    }
    /// The instant the figures describe.
    async fn as_of(&self) -> DateTime {
        DateTime(self.0.as_of)
    }
    /// The last audit event at or before `asOf`; check it with `verifyCheckpoint`.
    async fn audit_seq(&self) -> BigInt {
        BigInt(self.0.audit_seq)
    }
    /// That event's hash (64 hex digits).
    async fn audit_hash(&self) -> &str {
        &self.0.audit_hash
    }
    /// The document in Markdown: the full edition for accounts, the public edition (公开版)
    /// without login.
    async fn markdown(&self, ctx: &Context<'_>) -> &str {
        match (request(ctx).access.reads_full_bulletin(), &self.0.public_markdown) {
            (true, _) => &self.0.markdown,
            (false, public) => public.as_deref().unwrap_or_default(),
        }
    }
    /// The document as a whole printable HTML page (also at `GET /bulletins/{id}.html`), in the
    /// same edition as `markdown`.
    async fn html(&self, ctx: &Context<'_>) -> &str {
        match (request(ctx).access.reads_full_bulletin(), &self.0.public_html) {
            (true, _) => &self.0.html,
            (false, public) => public.as_deref().unwrap_or_default(),
        }
    }
    /// The public edition (公开版) in Markdown: units named, no person and no internal item;
    /// null for bulletins generated before editions existed.
    async fn public_markdown(&self) -> Option<&str> {
        self.0.public_markdown.as_deref()
    }
    /// INTERNAL (every account reads it) or PUBLIC (anyone reads its public edition).
    async fn disclosure(&self) -> Disclosure {
        self.0.disclosure.into()
    }
    /// The display name of the account that generated it; null for anonymous readers (the
    /// public edition names no person).
    async fn generated_by(&self, ctx: &Context<'_>) -> Option<&str> {
        let shown = request(ctx).access.reads_full_bulletin();
        Some(self.0.generated_by.as_str()).filter(|_| shown)
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    async fn campaign(&self, ctx: &Context<'_>) -> GqlResult<Option<super::campaign::Campaign>> {
        super::campaign::Campaign::link(ctx, self.0.campaign_id).await
    }
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

/// Most bulletins one `bulletins` query returns.
const MAX_LIST: i32 = 100;

#[derive(Default)]
pub struct BulletinQuery;

#[Object]
impl BulletinQuery {
    /// Bulletins, newest first (every logged-in account reads them; without login, the PUBLIC
    /// ones, in their public edition).
    async fn bulletins(
        &self,
        ctx: &Context<'_>,
        campaign_id: Option<ID>,
        #[graphql(default = 20)] first: i32,
    ) -> GqlResult<Vec<Bulletin>> {
        let campaign_id = parse_opt_id("campaignId", campaign_id.as_ref())?;
        if !(1..=MAX_LIST).contains(&first) {
            return Err(bad_input("first", format!("first must be between 1 and {MAX_LIST}")));
        }
        let rows = bulletins::list(ledger(ctx), &request(ctx).access, campaign_id, first as u64)
            .await
            .gql(ctx)?;
        Ok(rows.into_iter().map(Bulletin).collect())
    }

    /// One bulletin by id; null if there is none.
    async fn bulletin(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Option<Bulletin>> {
        let Ok(id) = uuid::Uuid::parse_str(id.as_str()) else {
            return Ok(None);
        };
        Ok(bulletins::read(ledger(ctx), &request(ctx).access, id)
            .await
            .gql(ctx)?
            .map(Bulletin))
    }
}

/// The days a bulletin covers (both included).
#[derive(InputObject)]
pub struct PeriodInput {
    pub from: Date,
    pub to: Date,
}

#[derive(InputObject)]
pub struct GenerateBulletinInput {
    pub campaign_id: ID,
    /// At most 366 days, starting no later than today.
    pub period: PeriodInput,
    /// The instant of the figures; default the end of `period.to` (China Standard Time), or
    /// now if that is still to come. Not in the future, not before the period starts.
    pub as_of: Option<DateTime>,
    /// How many of the lowest-ranked units are flagged for a talk (排后约谈), 0–1000.
    #[graphql(default = 3)]
    pub bottom: i32,
    /// INTERNAL (the default: every account reads it) or PUBLIC (anyone reads its public
    /// edition without login).
    pub disclosure: Option<Disclosure>,
}

#[derive(InputObject)]
pub struct DiscloseBulletinInput {
    pub id: ID,
    /// PUBLIC publishes the public edition (公开版) to everyone; INTERNAL withdraws it.
    pub disclosure: Disclosure,
}

#[derive(SimpleObject)]
pub struct BulletinPayload {
    pub bulletin: Bulletin,
}

#[derive(Default)]
pub struct BulletinMutation;

#[Object]
impl BulletinMutation {
    /// Generates and stores the bulletin of a period (SUPERVISOR on the whole tree). It replays
    /// the trail twice (the ledger, then the names as of its instant).
    #[graphql(complexity = "2 * super::report::cost::REPLAY + child_complexity")]
    async fn generate_bulletin(&self, ctx: &Context<'_>, input: GenerateBulletinInput) -> GqlResult<BulletinPayload> {
        let bottom = usize::try_from(input.bottom).map_err(|_| bad_input("bottom", "bottom must not be negative"))?;
        let new = bulletins::NewBulletin {
            campaign_id: parse_id("campaignId", &input.campaign_id)?,
            from: input.period.from.0,
            to: input.period.to.0,
            as_of: input.as_of.map(|t| t.0),
            bottom,
            disclosure: input.disclosure.map(Into::into),
        };
        let row = bulletins::generate(ledger(ctx), request(ctx), new).await.gql(ctx)?;
        Ok(BulletinPayload {
            bulletin: Bulletin(row),
        })
    }

    /// Publishes a bulletin's public edition to everyone (PUBLIC) or withdraws it (INTERNAL);
    /// SUPERVISOR on the whole tree. Its text never changes.
    async fn disclose_bulletin(&self, ctx: &Context<'_>, input: DiscloseBulletinInput) -> GqlResult<BulletinPayload> {
        let id = parse_id("id", &input.id)?;
        let row = bulletins::disclose(ledger(ctx), request(ctx), id, input.disclosure.into())
            .await
            .gql(ctx)?;
        Ok(BulletinPayload {
            bulletin: Bulletin(row),
        })
    }
}
