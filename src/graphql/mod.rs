//! The GraphQL API: types apart from entities, thin resolvers that call domain services.

pub mod account;
pub mod accountability;
pub mod actions;
pub mod audit;
pub mod bulletin;
pub mod calendar;
pub mod campaign;
pub mod commitment;
pub mod connection;
pub mod enums;
pub mod error;
pub mod evidence;
pub mod extension;
pub mod guard;
pub mod inbox;
pub mod inspection;
pub mod intake;
pub mod labels;
pub mod lifecycle;
pub mod loaders;
pub mod measure;
pub mod milestone;
pub mod node;
pub mod person;
pub mod problem;
pub mod receipt;
pub mod report;
pub mod rhythm;
pub mod scalars;
pub mod scoring;
pub mod subscription;
pub mod supervision;
pub mod unit;
pub mod webhook;

use std::sync::LazyLock;

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, MaybeUndefined, MergedObject, Schema};

use crate::domain::context::RequestContext;
use crate::domain::Ledger;
use loaders::LedgerLoader;

#[derive(MergedObject, Default)]
pub struct QueryRoot(
    node::NodeQuery,
    account::AccountQuery,
    unit::UnitQuery,
    person::PersonQuery,
    campaign::CampaignQuery,
    problem::ProblemQuery,
    measure::MeasureQuery,
    audit::AuditQuery,
    supervision::SupervisionQuery,
    calendar::CalendarQuery,
    intake::IntakeQuery,
    commitment::CommitmentQuery,
    report::ReportQuery,
    report::StatsByQuery,
    report::RankingQuery,
    report::TrendQuery,
    bulletin::BulletinQuery,
    labels::LabelQuery,
    accountability::AccountabilityQuery,
    scoring::ScoringQuery,
    inspection::InspectionQuery,
    rhythm::RhythmQuery,
    receipt::ReceiptQuery,
    inbox::InboxQuery,
    webhook::WebhookQuery,
);

#[derive(MergedObject, Default)]
pub struct MutationRoot(
    account::AccountMutation,
    unit::UnitMutation,
    person::PersonMutation,
    campaign::CampaignMutation,
    problem::ProblemMutation,
    measure::MeasureMutation,
    lifecycle::LifecycleMutation,
    extension::ExtensionMutation,
    supervision::SupervisionMutation,
    calendar::CalendarMutation,
    milestone::MilestoneMutation,
    evidence::EvidenceMutation,
    intake::IntakeMutation,
    commitment::CommitmentMutation,
    bulletin::BulletinMutation,
    report::RankingMutation,
    accountability::AccountabilityMutation,
    scoring::ScoringMutation,
    inspection::InspectionMutation,
    rhythm::RhythmMutation,
    receipt::ReceiptMutation,
    inbox::InboxMutation,
);

pub type AppSchema = Schema<QueryRoot, MutationRoot, subscription::SubscriptionRoot>;

/// Limits that keep one request from costing the server more than a page of a list.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest selection of data (the root field is level 1).
    pub depth: usize,
    /// Deepest selection below `__schema` or `__type`, measured apart from `depth`
    /// (`guard::selection_depth`): the standard introspection query needs 14 levels.
    pub introspection_depth: usize,
    pub complexity: usize,
    /// Checked by the HTTP layer before the document is parsed and validated.
    pub guard: guard::GuardLimits,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            depth: 12,
            introspection_depth: 20,
            complexity: 20_000,
            guard: guard::GuardLimits::default(),
        }
    }
}

pub fn build_schema(ledger: Ledger, limits: Limits) -> AppSchema {
    builder()
        .data(ledger)
        // The HTTP layer checks data and introspection apart (`guard::selection_depth`); this is
        // the backstop for anything that reaches the schema without it.
        .limit_depth(limits.depth.max(limits.introspection_depth))
        .limit_complexity(limits.complexity)
        .extension(async_graphql::extensions::Tracing)
        .finish()
}

/// The data loader of one request; created per request so nothing is cached across them, and
/// nothing loaded for one account is shown to another.
pub fn request_loader(ledger: Ledger, context: &RequestContext) -> DataLoader<LedgerLoader> {
    let loader = LedgerLoader {
        ledger,
        access: context.access.clone(),
        request_id: context.request_id.clone().unwrap_or_default(),
    };
    DataLoader::new(loader, tokio::spawn)
}

/// The SDL of the served schema (the same builder, without runtime data), as committed in
/// `schema.graphql`.
pub fn sdl() -> String {
    builder().finish().sdl()
}

fn builder() -> async_graphql::SchemaBuilder<QueryRoot, MutationRoot, subscription::SubscriptionRoot> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        subscription::SubscriptionRoot,
    )
}

pub(crate) fn ledger<'a>(ctx: &Context<'a>) -> &'a Ledger {
    // The schema is always built with the ledger (build_schema); requests cannot remove it.
    ctx.data_unchecked::<Ledger>()
}

pub(crate) fn loader<'a>(ctx: &Context<'a>) -> &'a DataLoader<LedgerLoader> {
    // Inserted into every request by the HTTP layer.
    ctx.data_unchecked::<DataLoader<LedgerLoader>>()
}

static ANONYMOUS_REQUEST: LazyLock<RequestContext> = LazyLock::new(|| RequestContext::anonymous(None));

/// The acting account, its rights and the request id; anonymous when a request carries none.
pub(crate) fn request<'a>(ctx: &Context<'a>) -> &'a RequestContext {
    ctx.data_opt::<RequestContext>().unwrap_or(&ANONYMOUS_REQUEST)
}

/// `MaybeUndefined` (absent / null / value) as the domain's patch field.
pub(crate) fn patch<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

/// A nullable id in an update input, parsed.
pub(crate) fn opt_id(
    field: &str,
    id: MaybeUndefined<async_graphql::ID>,
) -> error::GqlResult<Option<Option<uuid::Uuid>>> {
    patch(id)
        .map(|v| v.map(|id| connection::parse_id(field, &id)).transpose())
        .transpose()
}
