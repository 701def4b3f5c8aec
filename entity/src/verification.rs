//! `verification`: one check (验收) of a submitted measure by someone other than its owner.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::VerificationResult;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "verification")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub measure_id: Uuid,
    pub result: VerificationResult,
    pub comment: Option<String>,
    pub verifier_id: String,
    pub verifier_name: String,
    pub approved_seq: i64,
    pub verified_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
