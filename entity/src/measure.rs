//! `measure`: a rectification measure (整改措施) of a problem.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::{Disclosure, MeasureStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "measure")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub problem_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub acceptance_criteria: Option<String>,
    pub lead_unit_id: Uuid,
    pub responsible_leader_id: Option<Uuid>,
    pub responsible_person_id: Option<Uuid>,
    pub deadline: Date,
    pub original_deadline: Date,
    pub status: MeasureStatus,
    pub progress_percent: i32,
    pub started_on: Option<Date>,
    pub submitted_on: Option<Date>,
    pub closed_on: Option<Date>,
    pub disclosure: Disclosure,
    /// The actor who submitted the measure for verification.
    pub submitted_by: Option<String>,
    /// How many times the deadline was postponed through an approved extension.
    pub extension_count: i32,
    /// The explanation to the public (向群众说明情况) of a measure solved step by step; shown
    /// to whoever may read the measure. (Snapshots written before the column read as none.)
    #[serde(default)]
    pub public_explanation: Option<String>,
    /// 反弹: how often the measure was reopened after it was closed, and when last.
    #[serde(default)]
    pub relapse_count: i32,
    #[serde(default)]
    pub last_relapse_on: Option<Date>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
