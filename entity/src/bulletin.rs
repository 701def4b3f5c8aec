//! `bulletin`: a bulletin (通报) of a campaign for a period, as it was generated.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "bulletin")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub period_from: Date,
    pub period_to: Date,
    pub title: String,
    /// 第N期: its number within the campaign, from 1, assigned when generated. (Snapshots
    /// written before the column read as 0.)
    #[serde(default)]
    pub issue_number: i32,
    pub as_of: DateTimeUtc,
    pub audit_seq: i64,
    pub audit_hash: String,
    #[sea_orm(column_type = "Text")]
    pub markdown: String,
    #[sea_orm(column_type = "Text")]
    pub html: String,
    /// Who reads it besides every account: PUBLIC bulletins are read without login, in their
    /// public edition. (Snapshots written before the column read as INTERNAL.)
    #[serde(default)]
    pub disclosure: crate::enums::Disclosure,
    /// The public edition (公开版): units named, no person and no internal item. None for
    /// bulletins generated before editions existed.
    #[serde(default)]
    #[sea_orm(column_type = "Text", nullable)]
    pub public_markdown: Option<String>,
    #[serde(default)]
    #[sea_orm(column_type = "Text", nullable)]
    pub public_html: Option<String>,
    pub generated_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
