//! The title a printed ledger (台账) carries above its header: which campaign, which unit's
//! part of it and which filters, and the instant it shows — so a page that left the office can
//! be read without the request that made it.

use chrono::{DateTime, Utc};

use super::ExportFilter;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::labels::Labelled;
use crate::domain::{clock, ledger::campaigns, org::units, Ledger};

/// The title's two lines: `<campaign>整改台账`, then the unit, the filters and the instant.
/// Refuses a `campaignId` or `unitId` that names nothing, naming the parameter.
pub async fn title(ledger: &Ledger, filter: &ExportFilter) -> DomainResult<String> {
    let campaign = match filter.campaign_id {
        None => "整改台账（全部活动）".to_owned(),
        Some(id) => {
            let campaign = campaigns::get(&ledger.db, id).await?.ok_or_else(|| {
                DomainError::invalid("campaignId", format!("campaignId: campaign {id} does not exist"))
            })?;
            format!("{}整改台账", campaign.name)
        }
    };
    let unit = match filter.unit_id {
        None => "全部单位".to_owned(),
        Some(id) => {
            let unit = units::get(&ledger.db, id)
                .await?
                .ok_or_else(|| DomainError::invalid("unitId", format!("unitId: unit {id} does not exist")))?;
            let parent = match unit.parent_id {
                Some(p) => units::get(&ledger.db, p).await?,
                None => None,
            };
            format!("{}（含下属单位）", units::full_name(&unit, parent.as_ref()))
        }
    };
    let as_of = filter.as_of.unwrap_or_else(|| ledger.now());
    Ok(format!(
        "{campaign}\n单位：{unit}{}　　统计截至：{}",
        filters(filter),
        instant(as_of)
    ))
}

/// The status and overdue filters, when given, as the title shows them.
fn filters(filter: &ExportFilter) -> String {
    let mut shown: Vec<&str> = filter.statuses.iter().map(|s| s.label()).collect();
    match filter.overdue {
        Some(true) => shown.push("逾期"),
        Some(false) => shown.push("未逾期"),
        None => {}
    }
    if shown.is_empty() {
        String::new()
    } else {
        format!("　　筛选：{}", shown.join("、"))
    }
}

fn instant(at: DateTime<Utc>) -> String {
    format!("{}（北京时间）", clock::local_time(at).format("%Y-%m-%d %H:%M"))
}
