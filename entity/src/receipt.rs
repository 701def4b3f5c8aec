//! `receipt`: a unit's acknowledgement (签收) of an assignment: a measure it leads or
//! cooperates on, or a supervision action addressed to it.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::ReceiptRole;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "receipt")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub campaign_id: Option<Uuid>,
    pub measure_id: Option<Uuid>,
    pub supervision_action_id: Option<Uuid>,
    pub unit_id: Uuid,
    pub role: ReceiptRole,
    pub assigned_at: DateTimeUtc,
    /// The last day to acknowledge; none: the campaign sets no time limit.
    pub due_on: Option<Date>,
    pub acknowledged_at: Option<DateTimeUtc>,
    pub acknowledged_by: Option<String>,
    pub acknowledger_name: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    /// The unit is no longer assigned (the measure's units changed).
    pub withdrawn_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
