//! Reporting rhythms over GraphQL (日报 / 周报 / 半月报 / 月报): a campaign's setting, and the
//! progress reports missed under it.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};

use super::campaign::{Campaign, CampaignPayload};
use super::connection::{due_list, parse_id};
use super::error::{GqlResult, IntoGql};
use super::measure::Measure;
use super::report::cost;
use super::scalars::Date;
use super::unit::Unit;
use super::{ledger, loader, loaders::MeasureKey, request};
use crate::domain::ledger::rhythms as domain;
use crate::domain::reporting::reports_due;

/// How often progress is reported.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::domain::ledger::rhythms::RhythmKind")]
pub enum ReportRhythmKind {
    /// 日报: every working day (the working-day calendar); a report written on a rest day covers
    /// the working day before it.
    Daily,
    /// 周报: weeks ending on `weekday`.
    Weekly,
    /// 半月报: the 1st to the 15th, and the 16th to the month's last day.
    HalfMonthly,
    /// 月报: calendar months.
    Monthly,
}

/// A rhythm: its kind and, for WEEKLY, the weekday each week's report is due.
#[derive(SimpleObject)]
pub struct Rhythm {
    pub kind: ReportRhythmKind,
    /// WEEKLY: 1 (Monday) to 7 (Sunday); null for the others.
    pub weekday: Option<u32>,
}

impl From<domain::Rhythm> for Rhythm {
    fn from(r: domain::Rhythm) -> Self {
        Self {
            kind: r.kind.into(),
            weekday: r.weekday,
        }
    }
}

#[derive(InputObject)]
pub struct RhythmInput {
    pub kind: ReportRhythmKind,
    /// Required for WEEKLY (1 Monday … 7 Sunday), refused for the others.
    pub weekday: Option<u32>,
}

impl From<RhythmInput> for domain::Rhythm {
    fn from(r: RhythmInput) -> Self {
        Self {
            kind: r.kind.into(),
            weekday: r.weekday,
        }
    }
}

/// A unit's own rhythm: for the measures it or a unit below it leads (the nearest wins).
pub struct UnitRhythm(domain::UnitRhythm);

#[Object]
impl UnitRhythm {
    async fn unit(&self, ctx: &Context<'_>) -> GqlResult<Option<Unit>> {
        Unit::link(ctx, self.0.unit_id).await
    }
    async fn rhythm(&self) -> Rhythm {
        self.0.rhythm.into()
    }
}

/// When a campaign's progress reports are due.
pub struct ReportRhythm(pub domain::Rhythms);

#[Object]
impl ReportRhythm {
    /// The day the rhythm was set: reports due before it are not owed.
    async fn since(&self) -> Date {
        Date(self.0.since)
    }
    /// For the measures of every unit without a rhythm of its own; null: only those units'
    /// measures owe reports.
    async fn default(&self) -> Option<Rhythm> {
        self.0.default.map(Rhythm::from)
    }
    async fn units(&self) -> Vec<UnitRhythm> {
        self.0.units.iter().copied().map(UnitRhythm).collect()
    }
}

#[derive(InputObject)]
pub struct UnitRhythmInput {
    pub unit_id: ID,
    pub rhythm: RhythmInput,
}

#[derive(InputObject)]
pub struct SetReportRhythmInput {
    pub campaign_id: ID,
    pub expected_version: i32,
    /// For every unit without its own; omit it (and `units`) to clear the rhythm.
    pub default: Option<RhythmInput>,
    /// Units with a rhythm of their own (at most 1000, each once).
    #[graphql(default)]
    pub units: Vec<UnitRhythmInput>,
}

/// A progress report that was not filed by its due day.
pub struct MissingReport(domain::MissedReport);

#[Object]
impl MissingReport {
    /// The measure that owes the report.
    async fn measure(&self, ctx: &Context<'_>) -> GqlResult<Option<Measure>> {
        Ok(loader(ctx).load_one(MeasureKey(self.0.measure_id)).await?.map(Measure))
    }
    async fn lead_unit(&self, ctx: &Context<'_>) -> GqlResult<Option<Unit>> {
        Unit::link(ctx, self.0.lead_unit_id).await
    }
    /// The period the report should have covered.
    async fn period_from(&self) -> Date {
        Date(self.0.period.from)
    }
    /// Its last day: the report was due by then.
    async fn due_on(&self) -> Date {
        Date(self.0.period.to)
    }
    /// The day a late report of the period came in (by the day asked about); null: still
    /// missing.
    async fn filed_on(&self) -> Option<Date> {
        self.0.filed_on.map(Date)
    }
}

/// A lead unit's missed reports.
pub struct UnitMissedReports {
    unit_id: uuid::Uuid,
    missed: i64,
}

#[Object]
impl UnitMissedReports {
    async fn unit(&self, ctx: &Context<'_>) -> GqlResult<Option<Unit>> {
        Unit::link(ctx, self.unit_id).await
    }
    /// Reports of its measures not filed by their due day.
    async fn missed(&self) -> i64 {
        self.missed
    }
}

/// The progress reports of a campaign missed before a day.
pub struct MissingReports {
    report: reports_due::MissingReports,
    offset: usize,
    limit: usize,
}

#[Object]
impl MissingReports {
    /// The day asked about: reports due before it count.
    async fn on(&self) -> Date {
        Date(self.report.on)
    }
    /// The campaign's rhythm; null: it sets none, and nothing is due.
    async fn rhythm(&self) -> Option<ReportRhythm> {
        self.report.rhythms.clone().map(ReportRhythm)
    }
    /// All the missed reports (`items` is one page of them).
    async fn total_count(&self) -> usize {
        self.report.rows.len()
    }
    /// Of them, those still not filed by the day asked about.
    async fn still_missing(&self) -> usize {
        self.report.rows.iter().filter(|r| r.filed_on.is_none()).count()
    }
    /// Every lead unit with missed reports, most first.
    async fn by_unit(&self) -> Vec<UnitMissedReports> {
        self.report
            .by_unit
            .iter()
            .map(|(unit_id, missed)| UnitMissedReports {
                unit_id: *unit_id,
                missed: *missed,
            })
            .collect()
    }
    /// Newest due day first: the page `offset`/`limit` asked for.
    async fn items(&self) -> Vec<MissingReport> {
        self.report
            .rows
            .iter()
            .skip(self.offset)
            .take(self.limit)
            .cloned()
            .map(MissingReport)
            .collect()
    }
}

#[derive(Default)]
pub struct RhythmQuery;

#[Object]
impl RhythmQuery {
    /// The progress reports of a campaign's measures (in the caller's scope; of `unitId` or a
    /// unit below it, leading or cooperating, when given) that fell due before `on` (default
    /// today; not after today) under the campaign's reporting rhythm and were not filed by
    /// their due day. `items` lists `limit` (default 100, at most 500) from `offset`.
    #[graphql(complexity = "cost::stats(false, child_complexity)")]
    async fn missing_reports(
        &self,
        ctx: &Context<'_>,
        campaign_id: ID,
        on: Option<Date>,
        unit_id: Option<ID>,
        #[graphql(default = 0)] offset: i32,
        #[graphql(default = 100)] limit: i32,
    ) -> GqlResult<MissingReports> {
        let list = due_list(&campaign_id, unit_id.as_ref(), offset, limit)?;
        let report = reports_due::missing(
            ledger(ctx),
            &request(ctx).access,
            list.campaign,
            on.map(|d| d.0),
            list.unit,
        )
        .await
        .gql(ctx)?;
        Ok(MissingReports {
            report,
            offset: list.offset,
            limit: list.limit,
        })
    }
}

#[derive(Default)]
pub struct RhythmMutation;

#[Object]
impl RhythmMutation {
    /// Sets when a campaign's progress reports are due (日报 / 周报 / 半月报 / 月报), for all its
    /// measures or per unit, from today: reports due before today are not owed. Campaign
    /// settings: SUPERVISOR on the whole tree. Neither `default` nor `units`: no rhythm.
    async fn set_report_rhythm(&self, ctx: &Context<'_>, input: SetReportRhythmInput) -> GqlResult<CampaignPayload> {
        let id = parse_id("campaignId", &input.campaign_id)?;
        let mut units = Vec::with_capacity(input.units.len());
        for (i, u) in input.units.into_iter().enumerate() {
            units.push(domain::UnitRhythm {
                unit_id: parse_id(&format!("units.{i}.unitId"), &u.unit_id)?,
                rhythm: u.rhythm.into(),
            });
        }
        let setting = domain::RhythmSetting {
            default: input.default.map(Into::into),
            units,
        };
        let row = domain::set(ledger(ctx), request(ctx), id, input.expected_version, setting)
            .await
            .gql(ctx)?;
        Ok(CampaignPayload {
            campaign: Campaign(row),
        })
    }
}
