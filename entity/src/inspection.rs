//! `inspection`: a visit by an inspection group (督查), 明察 or 暗访, with its plan and dates; its
//! team, the units it visits and the problems its findings became are in `inspection_member`,
//! `inspection_visit` and `inspection_finding`.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::InspectionMode;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "inspection")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub campaign_id: Uuid,
    /// The INSPECTION_GROUP unit that inspects.
    pub group_unit_id: Uuid,
    pub mode: InspectionMode,
    pub title: String,
    pub plan: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub recorded_by: String,
    pub recorder_name: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
