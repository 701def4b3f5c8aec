//! Intake (征求意见) and satisfaction surveys (满意度测评): opinions received through each
//! channel, sorted into problems; survey results per unit and campaign, judged against the
//! campaign's threshold (default 95 %).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_unit::Unit;
use crate::m20261122_000003_create_campaign::Campaign;
use crate::m20261122_000004_create_problem::Problem;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Satisfied + basically satisfied share a survey must reach, in basis points (9500 = 95 %).
        manager
            .alter_table(
                Table::alter()
                    .table(Campaign::Table)
                    .add_column(integer(CampaignThreshold::SatisfactionThresholdBp).default(9500))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Feedback::Table)
                    .col(pk_uuid(Feedback::Id))
                    .col(uuid(Feedback::CampaignId))
                    // The unit the opinion is about (or that received it).
                    .col(uuid(Feedback::UnitId))
                    // FORUM, FORM, SUGGESTION_BOX, ONLINE_BOX, LETTER, VISIT, SURVEY, …
                    .col(string_len(Feedback::Channel, 32))
                    .col(date(Feedback::ReceivedOn))
                    .col(string_len(Feedback::Content, 5000))
                    .col(string_len_null(Feedback::Category, 50))
                    // NULL: anonymous (匿名).
                    .col(string_len_null(Feedback::Submitter, 100))
                    // NEW, MERGED or DISMISSED.
                    .col(string_len(Feedback::Status, 16))
                    .col(uuid_null(Feedback::ProblemId))
                    .col(string_len_null(Feedback::DismissReason, 1000))
                    .col(integer(Feedback::Version))
                    .col(timestamp_with_time_zone(Feedback::CreatedAt))
                    .col(timestamp_with_time_zone(Feedback::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_feedback_campaign")
                            .from(Feedback::Table, Feedback::CampaignId)
                            .to(Campaign::Table, Campaign::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_feedback_unit")
                            .from(Feedback::Table, Feedback::UnitId)
                            .to(Unit::Table, Unit::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_feedback_problem")
                            .from(Feedback::Table, Feedback::ProblemId)
                            .to(Problem::Table, Problem::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_feedback_campaign_unit")
                    .table(Feedback::Table)
                    .col(Feedback::CampaignId)
                    .col(Feedback::UnitId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SatisfactionSurvey::Table)
                    .col(pk_uuid(SatisfactionSurvey::Id))
                    .col(uuid(SatisfactionSurvey::CampaignId))
                    .col(uuid(SatisfactionSurvey::UnitId))
                    .col(date(SatisfactionSurvey::HeldOn))
                    // REPRESENTATIVES, RANDOM_SAMPLE or OTHER.
                    .col(string_len(SatisfactionSurvey::Method, 32))
                    .col(integer(SatisfactionSurvey::Participants))
                    .col(integer(SatisfactionSurvey::Satisfied))
                    .col(integer(SatisfactionSurvey::BasicallySatisfied))
                    .col(integer(SatisfactionSurvey::Dissatisfied))
                    .col(string_len_null(SatisfactionSurvey::Note, 1000))
                    .col(integer(SatisfactionSurvey::Version))
                    .col(timestamp_with_time_zone(SatisfactionSurvey::CreatedAt))
                    .col(timestamp_with_time_zone(SatisfactionSurvey::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_survey_campaign")
                            .from(SatisfactionSurvey::Table, SatisfactionSurvey::CampaignId)
                            .to(Campaign::Table, Campaign::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_survey_unit")
                            .from(SatisfactionSurvey::Table, SatisfactionSurvey::UnitId)
                            .to(Unit::Table, Unit::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SatisfactionSurvey::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Feedback::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Campaign::Table)
                    .drop_column(CampaignThreshold::SatisfactionThresholdBp)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
pub enum CampaignThreshold {
    SatisfactionThresholdBp,
}

#[derive(DeriveIden)]
pub enum Feedback {
    Table,
    Id,
    CampaignId,
    UnitId,
    Channel,
    ReceivedOn,
    Content,
    Category,
    Submitter,
    Status,
    ProblemId,
    DismissReason,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub enum SatisfactionSurvey {
    Table,
    Id,
    CampaignId,
    UnitId,
    HeldOn,
    Method,
    Participants,
    Satisfied,
    BasicallySatisfied,
    Dissatisfied,
    Note,
    Version,
    CreatedAt,
    UpdatedAt,
}
