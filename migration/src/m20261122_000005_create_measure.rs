//! Rectification measures (整改措施) and their cooperating units (配合单位).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_unit::Unit;
use crate::m20261122_000002_create_person::Person;
use crate::m20261122_000004_create_problem::Problem;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(measure_table()).await?;
        for (name, cols) in [
            ("idx_measure_problem", vec![Measure::ProblemId]),
            ("idx_measure_lead_unit", vec![Measure::LeadUnitId]),
            // The overdue and countdown views filter on status and sort by deadline.
            ("idx_measure_status_deadline", vec![Measure::Status, Measure::Deadline]),
            ("idx_measure_deadline", vec![Measure::Deadline]),
            ("idx_measure_responsible_person", vec![Measure::ResponsiblePersonId]),
            ("idx_measure_responsible_leader", vec![Measure::ResponsibleLeaderId]),
        ] {
            let mut index = Index::create().name(name).table(Measure::Table).to_owned();
            for col in cols {
                index.col(col);
            }
            manager.create_index(index).await?;
        }
        manager.create_table(cooperating_unit_table()).await?;
        // "Measures where unit X cooperates" is a filter; the primary key covers the other way.
        manager
            .create_index(
                Index::create()
                    .name("idx_measure_cooperating_unit_unit")
                    .table(MeasureCooperatingUnit::Table)
                    .col(MeasureCooperatingUnit::UnitId)
                    .col(MeasureCooperatingUnit::MeasureId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MeasureCooperatingUnit::Table).to_owned())
            .await?;
        manager.drop_table(Table::drop().table(Measure::Table).to_owned()).await
    }
}

fn measure_table() -> TableCreateStatement {
    Table::create()
        .table(Measure::Table)
        .col(pk_uuid(Measure::Id))
        .col(uuid(Measure::ProblemId))
        .col(string_len(Measure::Title, 200))
        .col(text_null(Measure::Description))
        .col(text_null(Measure::AcceptanceCriteria))
        .col(uuid(Measure::LeadUnitId))
        .col(uuid_null(Measure::ResponsibleLeaderId))
        .col(uuid_null(Measure::ResponsiblePersonId))
        .col(date(Measure::Deadline))
        // The deadline as first set; "只能提前，不能推后" needs the original to stay visible.
        .col(date(Measure::OriginalDeadline))
        .col(string_len(Measure::Status, 32))
        .col(integer(Measure::ProgressPercent).default(0))
        .col(date_null(Measure::StartedOn))
        .col(date_null(Measure::SubmittedOn))
        .col(date_null(Measure::ClosedOn))
        .col(string_len(Measure::Disclosure, 16))
        .col(integer(Measure::Version))
        .col(timestamp_with_time_zone(Measure::CreatedAt))
        .col(timestamp_with_time_zone(Measure::UpdatedAt))
        .check(Expr::col(Measure::ProgressPercent).between(0, 100))
        .foreign_key(
            ForeignKey::create()
                .name("fk_measure_problem")
                .from(Measure::Table, Measure::ProblemId)
                .to(Problem::Table, Problem::Id),
        )
        .foreign_key(
            ForeignKey::create()
                .name("fk_measure_lead_unit")
                .from(Measure::Table, Measure::LeadUnitId)
                .to(Unit::Table, Unit::Id),
        )
        .foreign_key(
            ForeignKey::create()
                .name("fk_measure_responsible_leader")
                .from(Measure::Table, Measure::ResponsibleLeaderId)
                .to(Person::Table, Person::Id),
        )
        .foreign_key(
            ForeignKey::create()
                .name("fk_measure_responsible_person")
                .from(Measure::Table, Measure::ResponsiblePersonId)
                .to(Person::Table, Person::Id),
        )
        .to_owned()
}

fn cooperating_unit_table() -> TableCreateStatement {
    Table::create()
        .table(MeasureCooperatingUnit::Table)
        .col(uuid(MeasureCooperatingUnit::MeasureId))
        .col(uuid(MeasureCooperatingUnit::UnitId))
        .primary_key(
            Index::create()
                .col(MeasureCooperatingUnit::MeasureId)
                .col(MeasureCooperatingUnit::UnitId),
        )
        .foreign_key(
            ForeignKey::create()
                .name("fk_mcu_measure")
                .from(MeasureCooperatingUnit::Table, MeasureCooperatingUnit::MeasureId)
                .to(Measure::Table, Measure::Id),
        )
        .foreign_key(
            ForeignKey::create()
                .name("fk_mcu_unit")
                .from(MeasureCooperatingUnit::Table, MeasureCooperatingUnit::UnitId)
                .to(Unit::Table, Unit::Id),
        )
        .to_owned()
}

#[derive(DeriveIden)]
pub enum Measure {
    Table,
    Id,
    ProblemId,
    Title,
    Description,
    AcceptanceCriteria,
    LeadUnitId,
    ResponsibleLeaderId,
    ResponsiblePersonId,
    Deadline,
    OriginalDeadline,
    Status,
    ProgressPercent,
    StartedOn,
    SubmittedOn,
    ClosedOn,
    Disclosure,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub enum MeasureCooperatingUnit {
    Table,
    MeasureId,
    UnitId,
}
