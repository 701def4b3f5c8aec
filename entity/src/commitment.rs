//! `commitment`: a public commitment (公开承诺) of a unit and its head.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::CommitmentStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "commitment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub unit_id: Uuid,
    pub person_id: Option<Uuid>,
    pub content: String,
    pub due_on: Date,
    pub status: CommitmentStatus,
    pub fulfilled_on: Option<Date>,
    pub fulfilment_note: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
