//! 签收 and 催办. A unit confirms it received an assignment (签收): every lead and cooperating
//! unit of a measure, and the unit a supervision action (督办) is addressed to, gets a receipt
//! when it is assigned, due within the campaign's `acknowledge_within_days` working days (null:
//! 签收 has no time limit in the campaign). A receipt is acknowledged once, or withdrawn when the
//! unit is no longer assigned; it is never deleted, and its instants make it answer as of any
//! moment by itself. A supervisor presses (催办) for an acknowledgement, a report or an answer
//! with a note and a new time; an urging is never changed.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_unit::Unit;
use crate::m20261122_000003_create_campaign::Campaign;
use crate::m20261122_000005_create_measure::Measure;
use crate::m20261122_000010_create_supervision_action::SupervisionAction;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Campaign::Table)
                    .add_column(integer_null(Col::AcknowledgeWithinDays))
                    .to_owned(),
            )
            .await?;
        manager.create_table(receipt()).await?;
        manager.create_table(urging()).await?;
        for (name, table, columns) in [
            ("idx_receipt_campaign", Col::Receipt, vec![Col::CampaignId, Col::UnitId]),
            ("idx_receipt_measure", Col::Receipt, vec![Col::MeasureId]),
            ("idx_receipt_action", Col::Receipt, vec![Col::SupervisionActionId]),
            ("idx_urging_measure", Col::Urging, vec![Col::MeasureId]),
            ("idx_urging_action", Col::Urging, vec![Col::SupervisionActionId]),
            ("idx_urging_receipt", Col::Urging, vec![Col::ReceiptId]),
        ] {
            let mut index = Index::create().name(name).table(table).to_owned();
            for c in columns {
                index.col(c);
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Col::Urging).to_owned()).await?;
        manager.drop_table(Table::drop().table(Col::Receipt).to_owned()).await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Campaign::Table)
                    .drop_column(Col::AcknowledgeWithinDays)
                    .to_owned(),
            )
            .await
    }
}

fn receipt() -> TableCreateStatement {
    Table::create()
        .table(Col::Receipt)
        .col(pk_uuid(Col::Id))
        // The campaign of the measure or action (null: an action about nothing in particular).
        .col(uuid_null(Col::CampaignId))
        .col(uuid_null(Col::MeasureId))
        .col(uuid_null(Col::SupervisionActionId))
        .col(uuid(Col::UnitId))
        // LEAD, COOPERATING (a measure's units) or SUPERVISION (an action's target).
        .col(string_len(Col::Role, 16))
        .col(timestamp_with_time_zone(Col::AssignedAt))
        // The last day to acknowledge: N working days after the assignment; null: no limit.
        .col(date_null(Col::DueOn))
        .col(timestamp_with_time_zone_null(Col::AcknowledgedAt))
        .col(string_len_null(Col::AcknowledgedBy, 64))
        .col(string_len_null(Col::AcknowledgerName, 200))
        .col(text_null(Col::Note))
        // The unit was taken off the assignment (a measure's units changed).
        .col(timestamp_with_time_zone_null(Col::WithdrawnAt))
        .col(integer(Col::Version))
        .col(timestamp_with_time_zone(Col::CreatedAt))
        .col(timestamp_with_time_zone(Col::UpdatedAt))
        .foreign_key(&mut fk(
            "fk_receipt_campaign",
            Col::Receipt,
            Col::CampaignId,
            Campaign::Table,
            Campaign::Id,
        ))
        .foreign_key(&mut fk(
            "fk_receipt_measure",
            Col::Receipt,
            Col::MeasureId,
            Measure::Table,
            Measure::Id,
        ))
        .foreign_key(&mut fk(
            "fk_receipt_action",
            Col::Receipt,
            Col::SupervisionActionId,
            SupervisionAction::Table,
            SupervisionAction::Id,
        ))
        .foreign_key(&mut fk(
            "fk_receipt_unit",
            Col::Receipt,
            Col::UnitId,
            Unit::Table,
            Unit::Id,
        ))
        .to_owned()
}

fn urging() -> TableCreateStatement {
    Table::create()
        .table(Col::Urging)
        .col(pk_uuid(Col::Id))
        .col(uuid_null(Col::CampaignId))
        // Exactly one of the three: what is pressed for (an acknowledgement, a measure's work
        // and reports, an answer to a supervision action).
        .col(uuid_null(Col::ReceiptId))
        .col(uuid_null(Col::MeasureId))
        .col(uuid_null(Col::SupervisionActionId))
        // The unit pressed.
        .col(uuid(Col::UnitId))
        .col(text(Col::Note))
        // The new time by which the unit is to act.
        .col(date(Col::RespondBy))
        .col(string_len(Col::UrgedBy, 64))
        .col(string_len(Col::UrgerName, 200))
        .col(timestamp_with_time_zone(Col::CreatedAt))
        .foreign_key(&mut fk(
            "fk_urging_campaign",
            Col::Urging,
            Col::CampaignId,
            Campaign::Table,
            Campaign::Id,
        ))
        .foreign_key(&mut fk(
            "fk_urging_receipt",
            Col::Urging,
            Col::ReceiptId,
            Col::Receipt,
            Col::Id,
        ))
        .foreign_key(&mut fk(
            "fk_urging_measure",
            Col::Urging,
            Col::MeasureId,
            Measure::Table,
            Measure::Id,
        ))
        .foreign_key(&mut fk(
            "fk_urging_action",
            Col::Urging,
            Col::SupervisionActionId,
            SupervisionAction::Table,
            SupervisionAction::Id,
        ))
        .foreign_key(&mut fk(
            "fk_urging_unit",
            Col::Urging,
            Col::UnitId,
            Unit::Table,
            Unit::Id,
        ))
        .to_owned()
}

fn fk<A: IntoIden + 'static, B: IntoIden + 'static, C: IntoIden + 'static, D: IntoIden + 'static>(
    name: &str,
    from: A,
    from_col: B,
    to: C,
    to_col: D,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from, from_col)
        .to(to, to_col)
        .to_owned()
}

#[derive(DeriveIden)]
enum Col {
    Receipt,
    Urging,
    Id,
    CampaignId,
    MeasureId,
    SupervisionActionId,
    ReceiptId,
    UnitId,
    Role,
    AssignedAt,
    DueOn,
    AcknowledgedAt,
    AcknowledgedBy,
    AcknowledgerName,
    Note,
    WithdrawnAt,
    RespondBy,
    UrgedBy,
    UrgerName,
    Version,
    CreatedAt,
    UpdatedAt,
    AcknowledgeWithinDays,
}
