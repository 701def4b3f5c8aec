//! Missing progress reports (未按时报送): for a campaign and a day, the reports of the measures in
//! the reader's scope that fell due before that day under the campaign's reporting rhythm
//! (`ledger::rhythms`) and were not filed by their due day, with the units that owe them. The
//! ranking counts the same reports against the lead units, and bulletins name the units.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use uuid::Uuid;

use crate::domain::access::Access;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::ledger::campaigns;
use crate::domain::ledger::rhythms::{self, Dues, MissedReport, Rhythms};
use crate::domain::reporting::stats::{self, StatsFilter};
use crate::domain::{clock, Ledger};

/// The missed reports of a campaign as of a day.
#[derive(Debug, Clone)]
pub struct MissingReports {
    /// The day asked about: reports due before it count.
    pub on: NaiveDate,
    /// The campaign's rhythms; none: nothing is ever due.
    pub rhythms: Option<Rhythms>,
    /// Newest due day first, then by measure.
    pub rows: Vec<MissedReport>,
    /// Each lead unit with its count of missed reports, most first.
    pub by_unit: Vec<(Uuid, i64)>,
}

/// The reports missed in the campaign before `on` (today when none; not after today), for the
/// measures the reader sees (of `unit_id` or a unit below it, leading or cooperating, when
/// given); a report filed
/// after its due day but by the end of `on` is listed with the day it came in.
pub async fn missing(
    ledger: &Ledger,
    access: &Access,
    campaign_id: Uuid,
    on: Option<NaiveDate>,
    unit_id: Option<Uuid>,
) -> DomainResult<MissingReports> {
    // Reports are not public, whatever the campaign sets.
    access
        .read_scope()
        .ok_or_else(|| DomainError::Unauthenticated("log in first: reports are not public".to_owned()))?;
    let today = ledger.today();
    let on = on.unwrap_or(today);
    if on > today {
        return Err(DomainError::invalid(
            "on",
            format!("on must not be after today ({today})"),
        ));
    }
    let campaign = campaigns::get(&ledger.db, campaign_id)
        .await?
        .ok_or_else(|| DomainError::invalid("campaignId", format!("campaign {campaign_id} does not exist")))?;
    let Some(rhythms) = Rhythms::of(&campaign) else {
        return Ok(MissingReports {
            on,
            rhythms: None,
            rows: Vec::new(),
            by_unit: Vec::new(),
        });
    };
    let filter = StatsFilter {
        campaign_id: Some(campaign_id),
        unit_id,
    };
    let snapshot = stats::snapshot(ledger, access, &filter, None).await?;
    let book = rhythms::report_book(&ledger.db, campaign_id, clock::end_of_day(on)).await?;
    let tree = rhythms::unit_tree(&ledger.db).await?;
    let calendar = crate::domain::org::calendar::load(&ledger.db).await?;
    let dues = Dues {
        rhythms: &rhythms,
        ends_on: campaign.ends_on,
        tree: &tree,
        calendar: &calendar,
        book: &book,
    };
    let until = on - Duration::days(1);
    let mut rows: Vec<MissedReport> = snapshot
        .facts
        .iter()
        .flat_map(|f| dues.missed_by(&f.row, rhythms.since, until))
        .collect();
    rows.sort_by(|a, b| b.period.to.cmp(&a.period.to).then(a.measure_id.cmp(&b.measure_id)));
    let by_unit = count_by_unit(&rows);
    Ok(MissingReports {
        on,
        rhythms: Some(rhythms),
        rows,
        by_unit,
    })
}

/// Each lead unit of `rows` with its count, most first (then by id, for a stable order).
pub fn count_by_unit(rows: &[MissedReport]) -> Vec<(Uuid, i64)> {
    let mut counts: HashMap<Uuid, i64> = HashMap::new();
    for r in rows {
        *counts.entry(r.lead_unit_id).or_default() += 1;
    }
    let mut out: Vec<(Uuid, i64)> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}
