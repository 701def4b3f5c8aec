//! `campaign`: a campaign (活动, 专项, 批次) with its phase and dates.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::CampaignPhase;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "campaign")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub phase: CampaignPhase,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    /// The share of satisfied + basically satisfied a survey must reach, in basis points.
    /// (Audit snapshots written before the column existed read as the default, 95 %.)
    #[serde(default = "default_threshold_bp")]
    pub satisfaction_threshold_bp: i32,
    /// 销号 needs a verifier whose person belongs to an INSPECTION_GROUP unit (督查组).
    #[serde(default)]
    pub verified_by_inspection_group: bool,
    /// Measures of IMMEDIATE problems (立行立改) may be submitted without an evidence file.
    #[serde(default)]
    pub evidence_optional_for_immediate: bool,
    /// The ranking's weights as JSON (see the domain's `ranking::Weights`); none: the documented
    /// defaults.
    #[serde(default)]
    #[sea_orm(column_type = "Text", nullable)]
    pub ranking_weights: Option<String>,
    /// When progress reports are due, as JSON (see the domain's `rhythms::Rhythms`); none: no
    /// report is ever due.
    #[serde(default)]
    #[sea_orm(column_type = "Text", nullable)]
    pub report_rhythm: Option<String>,
    /// Working days a unit has to acknowledge (签收) an assignment; none: no time limit.
    #[serde(default)]
    pub acknowledge_within_days: Option<i32>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

fn default_threshold_bp() -> i32 {
    9_500
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
