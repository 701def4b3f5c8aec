//! Late acknowledgements (未按时签收): for a campaign and a day, the assignments — a measure's
//! lead or cooperating unit, the target of a supervision action — whose 签收 fell due before
//! that day under the campaign's `acknowledge_within_days` and did not come by the due day, for
//! the units the reader sees. The ranking counts the same receipts and bulletins name the units.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use entity::receipt;
use uuid::Uuid;

use crate::domain::access::Access;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::ledger::{campaigns, receipts};
use crate::domain::{clock, org::units, Ledger};

/// The late acknowledgements of a campaign as of a day.
#[derive(Debug, Clone)]
pub struct LateAcknowledgements {
    /// The day asked about: assignments due before it count.
    pub on: NaiveDate,
    /// The campaign's time limit in working days; none: nothing is ever late.
    pub within_days: Option<i32>,
    /// Oldest due day first.
    pub rows: Vec<receipt::Model>,
    /// Each unit with its count, most first.
    pub by_unit: Vec<(Uuid, i64)>,
}

/// The assignments of the campaign not acknowledged by their due day, due before `on` (today
/// when none; not after today), of units the reader sees (of `unit_id` or a unit below it when
/// given). One acknowledged late, by the end of `on`, is listed with the instant it came.
pub async fn late(
    ledger: &Ledger,
    access: &Access,
    campaign_id: Uuid,
    on: Option<NaiveDate>,
    unit_id: Option<Uuid>,
) -> DomainResult<LateAcknowledgements> {
    let scope = access
        .read_scope()
        .ok_or_else(|| DomainError::Unauthenticated("log in first: acknowledgements are not public".to_owned()))?;
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
    let within = match unit_id {
        Some(unit) => Some(units::unit_or_subtree(&ledger.db, unit, true).await?),
        None => None,
    };
    let until = on - Duration::days(1);
    let rows: Vec<receipt::Model> = receipts::late_in_campaign(&ledger.db, campaign_id, until, clock::end_of_day(on))
        .await?
        .into_iter()
        .filter(|r| scope.covers(r.unit_id))
        .filter(|r| within.as_ref().is_none_or(|ids| ids.contains(&r.unit_id)))
        .collect();
    let by_unit = count_by_unit(&rows);
    Ok(LateAcknowledgements {
        on,
        within_days: campaign.acknowledge_within_days,
        rows,
        by_unit,
    })
}

/// Each unit of `rows` with its count, most first (then by id, for a stable order).
pub fn count_by_unit(rows: &[receipt::Model]) -> Vec<(Uuid, i64)> {
    let mut counts: HashMap<Uuid, i64> = HashMap::new();
    for r in rows {
        *counts.entry(r.unit_id).or_default() += 1;
    }
    let mut out: Vec<(Uuid, i64)> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}
