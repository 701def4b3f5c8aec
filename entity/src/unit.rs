//! `unit`: an organisation node (单位); units form a tree.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::UnitKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "unit")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub short_code: String,
    pub kind: UnitKind,
    pub parent_id: Option<Uuid>,
    pub head_id: Option<Uuid>,
    pub sort_order: i32,
    /// The group the unit is ranked in (县直部门, 乡镇, …); none: it counts for the nearest unit
    /// above it that has one. (Snapshots written before the column read as none.)
    #[serde(default)]
    pub ranking_category: Option<String>,
    pub archived: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
