//! `look_back`: a follow-up check (回头看) of a closed measure, recorded with or without a
//! reopen.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "look_back")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub measure_id: Uuid,
    pub looked_on: Date,
    /// Whether the rectification was found still in place.
    pub found_in_order: bool,
    pub note: Option<String>,
    pub reviewer_id: String,
    pub reviewer_name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
