//! `urging`: a supervisor pressing a unit (催办) for an acknowledgement, a measure's work and
//! reports, or an answer to a supervision action, with a note and a new time. Never changed.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "urging")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub campaign_id: Option<Uuid>,
    pub receipt_id: Option<Uuid>,
    pub measure_id: Option<Uuid>,
    pub supervision_action_id: Option<Uuid>,
    pub unit_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub respond_by: Date,
    pub urged_by: String,
    pub urger_name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
