//! Webhooks: the outbox. When the server is configured with a webhook URL, each audit event
//! gets an outbox row in the same transaction as the change and the event, so a committed change
//! is never lost to a crash before its delivery; the deliverer POSTs the pending rows after
//! commit, in seq order, and records each attempt's outcome on the row (the delivery log).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Col::WebhookOutbox)
                    // The audit event's seq: one row per event.
                    .col(big_integer(Col::Seq).primary_key())
                    .col(string_len(Col::Action, 64))
                    .col(timestamp_with_time_zone(Col::CreatedAt))
                    .col(integer(Col::Attempts))
                    .col(timestamp_with_time_zone(Col::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(Col::LastAttemptAt))
                    // The HTTP status of the last attempt; null: no answer (refused, timed out).
                    .col(integer_null(Col::LastStatus))
                    .col(text_null(Col::LastError))
                    .col(timestamp_with_time_zone_null(Col::DeliveredAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_outbox_pending")
                    .table(Col::WebhookOutbox)
                    .col(Col::DeliveredAt)
                    .col(Col::NextAttemptAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Col::WebhookOutbox).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Col {
    WebhookOutbox,
    Seq,
    Action,
    CreatedAt,
    Attempts,
    NextAttemptAt,
    LastAttemptAt,
    LastStatus,
    LastError,
    DeliveredAt,
}
