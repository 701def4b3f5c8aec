//! `progress_report`: a report of progress (进展) on a measure.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "progress_report")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub measure_id: Uuid,
    pub percent: i32,
    pub text: String,
    pub reported_on: Date,
    pub reporter_id: String,
    pub reporter_name: String,
    /// The period of the campaign's reporting rhythm the report covers (first and last day);
    /// none when no rhythm applied (and for reports recorded before rhythms existed).
    #[serde(default)]
    pub period_from: Option<Date>,
    #[serde(default)]
    pub period_to: Option<Date>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
