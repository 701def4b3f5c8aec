//! `supervision_action`: a supervisor pressing a unit (督办), and the unit's response.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::SupervisionKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "supervision_action")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: SupervisionKind,
    pub target_unit_id: Uuid,
    pub measure_id: Option<Uuid>,
    pub problem_id: Option<Uuid>,
    pub content: String,
    pub response_due: Option<Date>,
    pub issued_by: String,
    pub issuer_name: String,
    pub issued_at: DateTimeUtc,
    pub response: Option<String>,
    pub responder_id: Option<String>,
    pub responder_name: Option<String>,
    pub responded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
