//! `problem`: a problem found (查摆问题) in a campaign.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::{Disclosure, ProblemSource, RectificationKind, ResponsibilityLevel, Severity};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "problem")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub code: String,
    pub title: String,
    pub description: Option<String>,
    pub category: String,
    pub source: ProblemSource,
    pub source_detail: Option<String>,
    pub found_on: Date,
    pub responsibility_level: ResponsibilityLevel,
    pub severity: Severity,
    pub rectification_kind: RectificationKind,
    pub root_cause: Option<String>,
    pub lead_unit_id: Uuid,
    pub disclosure: Disclosure,
    pub repeats_problem_id: Option<Uuid>,
    pub archived: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
