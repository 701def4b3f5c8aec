//! `feedback`: an opinion received in a campaign (征求意见), sorted into a problem or dismissed.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::enums::{FeedbackChannel, FeedbackStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "feedback")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub unit_id: Uuid,
    pub channel: FeedbackChannel,
    pub received_on: Date,
    pub content: String,
    pub category: Option<String>,
    pub submitter: Option<String>,
    pub status: FeedbackStatus,
    pub problem_id: Option<Uuid>,
    pub dismiss_reason: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
