//! 问责 in the demo: in the last half month that has ended, the 县纪委 holds to account the
//! responsible person of the most overdue measure (诫勉谈话) and the lead unit of the next one
//! (通报批评), as "该通报的点名通报，该诫勉的予以诫勉" asks. Steps of the timeline, at their
//! instant, so the half month's bulletin names them.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use entity::enums::AccountabilityKind;

use super::{morning, most_overdue, Demo};
use crate::domain::accountability::{self, Basis, NewAccountability, Subject};
use crate::domain::error::DomainResult;
use crate::domain::Ledger;

/// (kind, 问责事由, 文号): the k-th case holds the k-th most overdue measure's owner to account.
const CASES: [(AccountabilityKind, &str, &str); 2] = [
    (
        AccountabilityKind::Admonition,
        "作为该项整改措施的责任人，对整改工作推进不力，整改措施逾期未完成，经督查组督办后仍未按期整改到位。",
        "青纪发〔{year}〕21号",
    ),
    (
        AccountabilityKind::BulletinCriticism,
        "该单位牵头的整改措施逾期未完成，未按要求报送整改进展，整改工作敷衍应付。",
        "青纪发〔{year}〕22号",
    ),
];

/// The last half month that has ended by `today`: 1st–15th, or 16th to the month's end.
pub(super) fn last_half_month(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    if today.day() > 15 {
        (today.with_day(1).unwrap_or(today), today.with_day(15).unwrap_or(today))
    } else {
        let last_month_end = today.with_day(1).and_then(|d| d.pred_opt()).unwrap_or(today);
        (last_month_end.with_day(16).unwrap_or(last_month_end), last_month_end)
    }
}

/// Each case at 15:00 two days before the end of the last half month.
pub(super) fn steps(today: NaiveDate) -> Vec<(DateTime<Utc>, usize)> {
    let (_, to) = last_half_month(today);
    let day = to - Duration::days(2);
    (0..CASES.len())
        .map(|k| (morning(day) + Duration::hours(6) + Duration::minutes(k as i64), k))
        .collect()
}

/// Records case `k` on `then` (the ledger at the case's instant) by the 纪委's account: the
/// k-th most overdue measure then, its responsible person held to account (its lead unit when
/// it names none, or for the unit's case).
pub(super) async fn apply(then: &Ledger, demo: &Demo<'_>, k: usize) -> DomainResult<()> {
    let Some((kind, facts, number)) = CASES.get(k).copied() else {
        return Ok(());
    };
    let overdue = most_overdue(then, demo.campaign_id, CASES.len()).await?;
    let Some(m) = overdue.get(k) else {
        return Ok(());
    };
    let subject = match (kind, m.responsible_person_id) {
        (AccountabilityKind::Admonition, Some(person)) => Subject::Person(person),
        _ => Subject::Unit(m.lead_unit_id),
    };
    let today = then.today();
    let new = NewAccountability {
        campaign_id: demo.campaign_id,
        kind,
        subject,
        basis: Basis {
            measure_id: Some(m.id),
            ..Default::default()
        },
        facts: facts.to_owned(),
        deciding_body: "中共青山县纪律检查委员会".to_owned(),
        document_number: number.replace("{year}", &today.year().to_string()),
        decided_on: today,
    };
    accountability::record(then, &demo.discipline, new).await?;
    Ok(())
}
