//! What the campaign heard and pledged besides its problems — opinions still being sorted,
//! public commitments and their fulfilment, the satisfaction surveys the 督查组 held — as
//! steps of the timeline, each at the day it happened (an opinion the day it came in, a survey
//! the day it was held), so that a report as of any past instant, a bulletin included, sees
//! exactly what had happened by then.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use super::fixtures::Fixtures;
use super::{morning, Demo};
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::{intake, intake::commitments, Ledger};

/// One fact of the intake, by its index in its fixture list.
#[derive(Debug, Clone, Copy)]
pub(super) enum Heard {
    Opinion(usize),
    Dismissal(usize),
    Pledge(usize),
    Fulfilment(usize),
    Survey(usize),
}

/// Every intake fact at its instant, `today` being the day of loading: an opinion at 10:00 of
/// the day it was received and dismissed (if it was) the next day at 11:00, or today; a
/// pledge on the campaign's first day (`start`); a kept pledge fulfilled at 17:00 two days
/// before it was due (or two days ago, if due later); a survey at 16:00 of the day it was held.
pub(super) fn steps(data: &Fixtures, start: NaiveDate, today: NaiveDate) -> Vec<(DateTime<Utc>, Heard)> {
    let day = |days_ago: i64| today - Duration::days(days_ago);
    let mut steps = Vec::new();
    for (k, f) in data.feedback.iter().enumerate() {
        let received = day(f.days_ago);
        steps.push((morning(received) + Duration::hours(1), Heard::Opinion(k)));
        if f.dismissal.is_some() {
            let next = (received + Duration::days(1)).min(today);
            steps.push((morning(next) + Duration::hours(2), Heard::Dismissal(k)));
        }
    }
    for (k, c) in data.commitments.iter().enumerate() {
        steps.push((morning(start) + Duration::hours(2), Heard::Pledge(k)));
        if c.kept.is_some() {
            steps.push((
                morning(fulfilled_on(c, today)) + Duration::hours(8),
                Heard::Fulfilment(k),
            ));
        }
    }
    for (k, s) in data.surveys.iter().enumerate() {
        steps.push((morning(day(s.days_ago)) + Duration::hours(7), Heard::Survey(k)));
    }
    steps
}

/// The day a kept pledge was fulfilled: two days before it was due, or two days ago.
fn fulfilled_on(c: &super::fixtures::Commitment, today: NaiveDate) -> NaiveDate {
    today + Duration::days(c.due_in_days.min(0) - 2)
}

/// The rows the intake steps have created so far: (id, version) by fixture index.
#[derive(Default)]
pub(super) struct Recorded {
    opinions: HashMap<usize, (Uuid, i32)>,
    pledges: HashMap<usize, (Uuid, i32)>,
}

impl Recorded {
    /// Runs one step on `then`, the ledger as it was at the step's instant.
    pub(super) async fn apply(&mut self, then: &Ledger, demo: &Demo<'_>, step: Heard) -> DomainResult<()> {
        match step {
            Heard::Opinion(k) => self.receive(then, demo, k).await,
            Heard::Dismissal(k) => self.dismiss(then, demo, k).await,
            Heard::Pledge(k) => self.pledge(then, demo, k).await,
            Heard::Fulfilment(k) => self.fulfil(then, demo, k).await,
            Heard::Survey(k) => survey(then, demo, k).await,
        }
    }

    async fn receive(&mut self, then: &Ledger, demo: &Demo<'_>, k: usize) -> DomainResult<()> {
        let f = fixture(&demo.data.feedback, k)?;
        let new = intake::NewFeedback {
            campaign_id: demo.campaign_id,
            unit_id: demo.unit_id(&f.unit)?,
            channel: f.channel,
            received_on: then.today(),
            content: f.content.clone(),
            category: None,
            submitter: f.submitter.clone(),
        };
        let row = intake::record_feedback(then, &demo.system, new).await?;
        self.opinions.insert(k, (row.id, row.version));
        Ok(())
    }

    async fn dismiss(&mut self, then: &Ledger, demo: &Demo<'_>, k: usize) -> DomainResult<()> {
        let f = fixture(&demo.data.feedback, k)?;
        let (Some(reason), Some((id, version))) = (&f.dismissal, self.opinions.get(&k)) else {
            return Ok(());
        };
        intake::dismiss_feedback(then, &demo.system, *id, *version, reason).await?;
        Ok(())
    }

    /// Pledged by the head of its unit.
    async fn pledge(&mut self, then: &Ledger, demo: &Demo<'_>, k: usize) -> DomainResult<()> {
        let c = fixture(&demo.data.commitments, k)?;
        let head = demo
            .data
            .head_of(&c.unit)
            .ok_or_else(|| DomainError::Internal(format!("demo data: {} has no head", c.unit)))?;
        let new = commitments::NewCommitment {
            campaign_id: demo.campaign_id,
            unit_id: demo.unit_id(&c.unit)?,
            person_id: Some(demo.person_id(&head.name)?),
            content: c.content.clone(),
            due_on: demo.today + Duration::days(c.due_in_days),
        };
        let pledge = commitments::make(then, &demo.system, new).await?;
        self.pledges.insert(k, (pledge.id, pledge.version));
        Ok(())
    }

    async fn fulfil(&mut self, then: &Ledger, demo: &Demo<'_>, k: usize) -> DomainResult<()> {
        let c = fixture(&demo.data.commitments, k)?;
        let (Some(note), Some((id, version))) = (&c.kept, self.pledges.get(&k)) else {
            return Ok(());
        };
        let on = Some(then.today());
        commitments::fulfil(then, &demo.system, *id, *version, note, on).await?;
        Ok(())
    }
}

/// A survey the 督查组 held and recorded that day.
async fn survey(then: &Ledger, demo: &Demo<'_>, k: usize) -> DomainResult<()> {
    let s = fixture(&demo.data.surveys, k)?;
    let new = intake::NewSurvey {
        campaign_id: demo.campaign_id,
        unit_id: demo.unit_id(&s.unit)?,
        held_on: then.today(),
        method: s.method,
        participants: s.participants,
        satisfied: s.satisfied,
        basically_satisfied: s.basically_satisfied,
        dissatisfied: s.dissatisfied,
        note: None,
        // 将测评情况向群众通报: the county reports its survey results to the public.
        disclosure: Some(entity::enums::Disclosure::Public),
    };
    intake::record_survey(then, &demo.supervisor, new).await?;
    Ok(())
}

fn fixture<T>(list: &[T], k: usize) -> DomainResult<&T> {
    list.get(k)
        .ok_or_else(|| DomainError::Internal(format!("demo data: no intake item {k}")))
}
