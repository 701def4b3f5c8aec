//! `accountability`: a 问责 decision about a person or a unit, on the basis of a problem,
//! measure, supervision action or bulletin, as the 纪委 recorded it; revoked (撤销) rather than
//! deleted.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::AccountabilityKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "accountability")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub kind: AccountabilityKind,
    /// The unit held accountable, or the unit of the person held accountable.
    pub subject_unit_id: Uuid,
    pub subject_person_id: Option<Uuid>,
    pub problem_id: Option<Uuid>,
    pub measure_id: Option<Uuid>,
    pub supervision_action_id: Option<Uuid>,
    pub bulletin_id: Option<Uuid>,
    /// What happened and why (问责事由).
    pub facts: String,
    pub deciding_body: String,
    /// 文号, e.g. 青纪发〔2026〕12号.
    pub document_number: String,
    pub decided_on: Date,
    pub recorded_by: String,
    pub recorder_name: String,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoker_name: Option<String>,
    pub revoke_reason: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
