//! 考核 in the demo: two days before the end of the last half month, the 督查组 proposes a 减分
//! of the unit leading its ranking category by less than the points (迟报整改进展) and the
//! 组织部 approves it, which moves the unit down; it also proposes a 加分 for another unit that
//! is still waiting for a decision. Steps of the timeline, so the half month's bulletin ranks
//! with them.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::enums::AdjustmentKind;

use super::{held, morning, Demo};
use crate::domain::access::Access;
use crate::domain::error::DomainResult;
use crate::domain::reporting::ranking::{self, UnitRank};
use crate::domain::scoring::{self, NewAdjustment};
use crate::domain::Ledger;

/// The points the demo's 减分 takes off.
const DEDUCTION: f64 = 20.0;

/// The deduction (proposed, then approved an hour later) and the pending bonus.
pub(super) fn steps(today: NaiveDate) -> Vec<(DateTime<Utc>, usize)> {
    let (_, to) = held::last_half_month(today);
    let day = morning(to - Duration::days(2));
    vec![(day + Duration::hours(4), 0), (day + Duration::hours(5), 1)]
}

/// The unit a deduction of [`DEDUCTION`] moves down: the first of a category whose lead over
/// the second is smaller, else the first unit ranked; and the last unit of another category.
fn targets(rows: &[UnitRank]) -> (Option<&UnitRank>, Option<&UnitRank>) {
    let movable = rows
        .chunk_by(|a, b| a.category == b.category)
        .find(|c| c.len() >= 2 && c[0].score - c[1].score < DEDUCTION)
        .map(|c| &c[0])
        .or(rows.first());
    let other = rows
        .iter()
        .rev()
        .find(|r| movable.is_none_or(|m| m.category != r.category));
    (movable, other)
}

/// Step `k` on `then`: 0 proposes and approves the deduction, 1 proposes the bonus.
pub(super) async fn apply(then: &Ledger, demo: &Demo<'_>, k: usize) -> DomainResult<()> {
    let ranking = ranking::unit_ranking(then, &Access::System, demo.campaign_id, None, None, 0).await?;
    let (movable, other) = targets(&ranking.rows);
    let new = |unit: uuid::Uuid, kind, points, item: &str, basis: &str, evidence: &str| NewAdjustment {
        campaign_id: demo.campaign_id,
        unit_id: unit,
        kind,
        points,
        item: item.to_owned(),
        basis: basis.to_owned(),
        evidence: evidence.to_owned(),
    };
    match (k, movable, other) {
        (0, Some(unit), _) => {
            let item = new(
                unit.unit_id,
                AdjustmentKind::Deduction,
                DEDUCTION,
                "整改进展迟报、数据不实",
                "《整改落实工作考核办法》第十二条：迟报、漏报或虚报整改进展的，每次扣20分",
                "督查组半月报登记簿；该单位两次迟报的报送记录",
            );
            let proposed = scoring::propose(then, &demo.supervisor, item).await?;
            let approved = "经考核领导小组审定，同意扣分";
            scoring::decide(
                then,
                &demo.organisation,
                proposed.id,
                proposed.version,
                true,
                Some(approved),
            )
            .await?;
        }
        (1, _, Some(unit)) => {
            let item = new(
                unit.unit_id,
                AdjustmentKind::Bonus,
                2.0,
                "主动公开整改进展，群众反映良好",
                "《整改落实工作考核办法》第十五条：整改工作获县级以上表扬的，加2分",
                "县委办公室《工作动态》第18期",
            );
            scoring::propose(then, &demo.supervisor, item).await?;
        }
        _ => {}
    }
    Ok(())
}
