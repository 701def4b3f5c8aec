//! `deadline_extension`: a request to move a measure's deadline, and its decision.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::ExtensionStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "deadline_extension")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub measure_id: Uuid,
    pub previous_deadline: Date,
    pub requested_deadline: Date,
    pub reason: String,
    pub status: ExtensionStatus,
    pub requested_by: String,
    pub requester_name: String,
    pub requested_at: DateTimeUtc,
    pub decided_by: Option<String>,
    pub decider_name: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_comment: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
