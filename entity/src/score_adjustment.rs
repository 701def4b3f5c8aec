//! `score_adjustment`: a 考核 加分/减分 item of a unit in a campaign, proposed by one account and
//! approved or refused by another.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::{AdjustmentKind, AdjustmentStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "score_adjustment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub unit_id: Uuid,
    pub kind: AdjustmentKind,
    /// Hundredths of a point, always positive; `kind` gives the sign.
    pub points_centi: i32,
    /// 考核事项.
    pub item: String,
    /// 依据: the rule or fact the points rest on.
    pub basis: String,
    /// 佐证材料: what proves it.
    pub evidence: String,
    pub proposed_by: String,
    pub proposer_name: String,
    pub status: AdjustmentStatus,
    pub decided_by: Option<String>,
    pub decider_name: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_note: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
