//! The Chinese names of the API's enums, from the domain's one table (`domain::labels`): what
//! the console and any client show instead of the SCREAMING_SNAKE_CASE values.

use async_graphql::resolver_utils::EnumType;
use async_graphql::{Object, OutputType, SimpleObject};

use super::enums::{
    CampaignPhase, Disclosure, MeasureStatus, ProblemSource, ProblemStatus, RectificationKind, ResponsibilityLevel,
    Role, Severity, UnitKind,
};
use crate::domain::labels::Labelled;

/// One value of an enum and its Chinese name.
#[derive(SimpleObject)]
pub struct EnumValueLabel {
    pub value: String,
    pub label: String,
}

/// An enum of the schema and the Chinese names of its values.
#[derive(SimpleObject)]
pub struct EnumLabels {
    /// The enum's name in the schema (`MeasureStatus`).
    pub name: String,
    pub values: Vec<EnumValueLabel>,
}

fn of<G, D>() -> EnumLabels
where
    G: EnumType + OutputType + Copy + Into<D>,
    D: Labelled,
{
    EnumLabels {
        name: G::type_name().into_owned(),
        values: G::items()
            .iter()
            .map(|item| EnumValueLabel {
                value: item.name.to_owned(),
                label: item.value.into().label().to_owned(),
            })
            .collect(),
    }
}

/// Every labelled enum of the schema.
fn all() -> Vec<EnumLabels> {
    use crate::domain::lifecycle::actions::MeasureAction as Action;
    use entity::enums as e;
    vec![
        of::<MeasureStatus, e::MeasureStatus>(),
        of::<ProblemStatus, crate::domain::ledger::problems::ProblemStatus>(),
        of::<UnitKind, e::UnitKind>(),
        of::<CampaignPhase, e::CampaignPhase>(),
        of::<ProblemSource, e::ProblemSource>(),
        of::<ResponsibilityLevel, e::ResponsibilityLevel>(),
        of::<Severity, e::Severity>(),
        of::<RectificationKind, e::RectificationKind>(),
        of::<Disclosure, e::Disclosure>(),
        of::<Role, e::Role>(),
        of::<super::lifecycle::VerificationResult, e::VerificationResult>(),
        of::<super::extension::ExtensionStatus, e::ExtensionStatus>(),
        of::<super::supervision::SupervisionKind, e::SupervisionKind>(),
        of::<super::calendar::DayKind, e::DayKind>(),
        of::<super::intake::FeedbackChannel, e::FeedbackChannel>(),
        of::<super::intake::FeedbackStatus, e::FeedbackStatus>(),
        of::<super::intake::SurveyMethod, e::SurveyMethod>(),
        of::<super::commitment::CommitmentStatus, e::CommitmentStatus>(),
        of::<super::actions::MeasureAction, Action>(),
        of::<super::accountability::AccountabilityKind, e::AccountabilityKind>(),
        of::<super::scoring::AdjustmentKind, e::AdjustmentKind>(),
        of::<super::scoring::AdjustmentStatus, e::AdjustmentStatus>(),
        of::<super::inspection::InspectionMode, e::InspectionMode>(),
    ]
}

#[derive(Default)]
pub struct LabelQuery;

#[Object]
impl LabelQuery {
    /// The Chinese names of the enums' values (待验收 for SUBMITTED, …): the names the export,
    /// the bulletins and the console print. `names` picks enums by their schema name; without
    /// it, every labelled enum.
    async fn labels(&self, names: Option<Vec<String>>) -> Vec<EnumLabels> {
        let mut all = all();
        if let Some(names) = names {
            all.retain(|e| names.contains(&e.name));
        }
        all
    }
}
