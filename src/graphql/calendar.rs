//! The working-day calendar (holidays and 调休 working days).

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use entity::calendar_day as db;

use super::error::{GqlResult, IntoGql};
use super::scalars::Date;
use super::{ledger, request};
use crate::domain::org::calendar;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "entity::enums::DayKind")]
pub enum DayKind {
    /// A public holiday (放假): not a working day, even on a weekday.
    Holiday,
    /// A weekend day worked in exchange for a holiday (调休上班).
    Workday,
}

/// A listed day; days not listed follow the week (Monday to Friday are working days).
pub struct CalendarDay(pub db::Model);

#[Object]
impl CalendarDay {
    async fn date(&self) -> Date {
        Date(self.0.day)
    }
    async fn kind(&self) -> DayKind {
        self.0.kind.into()
    }
    /// e.g. 国庆节, 国庆节调休上班.
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// Whether a year's official calendar (holidays and 调休, announced by the State Council) is
/// loaded. Working-day figures in a year without one follow the week alone.
#[derive(SimpleObject)]
pub struct CalendarYear {
    pub year: i32,
    /// At least one day of the year is listed.
    pub loaded: bool,
    pub holidays: i32,
    pub workdays: i32,
}

#[derive(Default)]
pub struct CalendarQuery;

#[Object]
impl CalendarQuery {
    /// Listed holidays and adjusted working days in [from, to] (at most ten years), by date.
    async fn calendar_days(&self, ctx: &Context<'_>, from: Date, to: Date) -> GqlResult<Vec<CalendarDay>> {
        let rows = calendar::list(&ledger(ctx).db, from.0, to.0).await.gql(ctx)?;
        Ok(rows.into_iter().map(CalendarDay).collect())
    }

    /// For each year from `fromYear` to `toYear` (at most 50 years): whether its calendar is
    /// loaded. A deadline in a year that is not makes working-day figures approximate
    /// (`Measure.workingDaysApproximate`).
    async fn calendar_coverage(&self, ctx: &Context<'_>, from_year: i32, to_year: i32) -> GqlResult<Vec<CalendarYear>> {
        let years = calendar::coverage(&ledger(ctx).db, from_year, to_year).await.gql(ctx)?;
        Ok(years
            .into_iter()
            .map(|y| CalendarYear {
                year: y.year,
                loaded: y.loaded,
                holidays: i32::try_from(y.holidays).unwrap_or(i32::MAX),
                workdays: i32::try_from(y.workdays).unwrap_or(i32::MAX),
            })
            .collect())
    }
}

#[derive(InputObject)]
pub struct CalendarDayInput {
    pub date: Date,
    pub kind: DayKind,
    /// 1–100 characters, e.g. 春节.
    pub name: String,
}

#[derive(InputObject)]
pub struct SetCalendarDaysInput {
    /// 1 to 400 days; a date already listed is changed.
    pub days: Vec<CalendarDayInput>,
}

#[derive(SimpleObject)]
pub struct SetCalendarDaysPayload {
    pub days: Vec<CalendarDay>,
}

#[derive(InputObject)]
pub struct RemoveCalendarDayInput {
    pub date: Date,
    pub reason: String,
}

#[derive(SimpleObject)]
pub struct RemoveCalendarDayPayload {
    /// The day as it was listed.
    pub removed: CalendarDay,
}

#[derive(Default)]
pub struct CalendarMutation;

#[Object]
impl CalendarMutation {
    /// Lists holidays and adjusted working days, all or none (ADMIN of the whole tree). Load
    /// each year's State Council notice (国务院办公厅关于…部分节假日安排的通知) with it.
    async fn set_calendar_days(
        &self,
        ctx: &Context<'_>,
        input: SetCalendarDaysInput,
    ) -> GqlResult<SetCalendarDaysPayload> {
        let days = input
            .days
            .into_iter()
            .map(|d| calendar::DayInput {
                day: d.date.0,
                kind: d.kind.into(),
                name: d.name,
            })
            .collect();
        let saved = calendar::set_days(ledger(ctx), request(ctx), days).await.gql(ctx)?;
        Ok(SetCalendarDaysPayload {
            days: saved.into_iter().map(CalendarDay).collect(),
        })
    }

    /// Removes a listed day, with a reason (ADMIN of the whole tree).
    async fn remove_calendar_day(
        &self,
        ctx: &Context<'_>,
        input: RemoveCalendarDayInput,
    ) -> GqlResult<RemoveCalendarDayPayload> {
        let removed = calendar::remove_day(ledger(ctx), request(ctx), input.date.0, &input.reason)
            .await
            .gql(ctx)?;
        Ok(RemoveCalendarDayPayload {
            removed: CalendarDay(removed),
        })
    }
}
