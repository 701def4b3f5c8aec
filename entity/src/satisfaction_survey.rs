//! `satisfaction_survey`: the result of a satisfaction survey (满意度测评) of a unit.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::{Disclosure, SurveyMethod};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "satisfaction_survey")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub unit_id: Uuid,
    pub held_on: Date,
    pub method: SurveyMethod,
    pub participants: i32,
    pub satisfied: i32,
    pub basically_satisfied: i32,
    pub dissatisfied: i32,
    pub note: Option<String>,
    /// Who may read the result besides the surveyed unit's scope (公示). (Snapshots written
    /// before the column read as INTERNAL.)
    #[serde(default)]
    pub disclosure: Disclosure,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
