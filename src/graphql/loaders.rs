//! DataLoaders: every link followed from a list is fetched in one query per kind of link per
//! request tick, whatever the page size.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{campaign, measure, person, problem, unit};
use uuid::Uuid;

use crate::domain::access::Access;
use crate::domain::{
    accounts::grants, ledger::campaigns, ledger::measures, ledger::problems, org::people, org::units, Ledger,
};

/// Loads rows of the ledger by key; one instance per request, with that request's rights:
/// problems and measures it may not read are simply not found.
pub struct LedgerLoader {
    pub ledger: Ledger,
    pub access: Access,
    /// The request's id, for the INTERNAL errors a load may end in.
    pub request_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnitKey(pub Uuid);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PersonKey(pub Uuid);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CampaignKey(pub Uuid);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProblemKey(pub Uuid);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MeasureKey(pub Uuid);
/// All the measures of a problem, whoever asks (a problem's status is derived from all of
/// them); filter through [`MeasureKey`] before showing them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MeasuresOfProblem(pub Uuid);
/// The cooperating unit ids of a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CooperatingUnitsOf(pub Uuid);
/// The active children of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChildrenOf(pub Uuid);

/// Errors reach resolvers mapped as every other domain error is (`error::with_request_id`).
pub type LoadError = async_graphql::Error;

impl LedgerLoader {
    /// A failed load as the client sees it, with this request's id.
    fn failed(&self, err: crate::domain::error::DomainError) -> LoadError {
        super::error::with_request_id(err, &self.request_id)
    }
}

macro_rules! by_id_loader {
    ($key:ty, $model:ty, $fetch:path) => {
        impl Loader<$key> for LedgerLoader {
            type Value = $model;
            type Error = LoadError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
                let rows = $fetch(&self.ledger.db, &ids).await.map_err(|e| self.failed(e))?;
                Ok(rows.into_iter().map(|row| (<$key>::from(row.id), row)).collect())
            }
        }
    };
}

impl From<Uuid> for UnitKey {
    fn from(id: Uuid) -> Self {
        Self(id)
    }
}
impl From<Uuid> for PersonKey {
    fn from(id: Uuid) -> Self {
        Self(id)
    }
}
impl From<Uuid> for CampaignKey {
    fn from(id: Uuid) -> Self {
        Self(id)
    }
}
impl From<Uuid> for MeasureKey {
    fn from(id: Uuid) -> Self {
        Self(id)
    }
}
impl From<Uuid> for ProblemKey {
    fn from(id: Uuid) -> Self {
        Self(id)
    }
}

by_id_loader!(UnitKey, unit::Model, units::by_ids);
by_id_loader!(PersonKey, person::Model, people::by_ids);
by_id_loader!(CampaignKey, campaign::Model, campaigns::by_ids);

macro_rules! visible_by_id_loader {
    ($key:ty, $model:ty, $fetch:path) => {
        impl Loader<$key> for LedgerLoader {
            type Value = $model;
            type Error = LoadError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
                let rows = $fetch(&self.ledger.db, &self.access, &ids)
                    .await
                    .map_err(|e| self.failed(e))?;
                Ok(rows.into_iter().map(|row| (<$key>::from(row.id), row)).collect())
            }
        }
    };
}

visible_by_id_loader!(ProblemKey, problem::Model, problems::visible_by_ids);
visible_by_id_loader!(MeasureKey, measure::Model, measures::visible_by_ids);

fn group<K: std::hash::Hash + Eq + Copy, V>(keys: &[K], pairs: impl IntoIterator<Item = (K, V)>) -> HashMap<K, Vec<V>> {
    let mut map: HashMap<K, Vec<V>> = keys.iter().map(|k| (*k, Vec::new())).collect();
    for (k, v) in pairs {
        map.entry(k).or_default().push(v);
    }
    map
}

impl Loader<MeasuresOfProblem> for LedgerLoader {
    type Value = Vec<measure::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[MeasuresOfProblem]) -> Result<HashMap<MeasuresOfProblem, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let mut rows = measures::by_problem_ids(&self.ledger.db, &ids)
            .await
            .map_err(|e| self.failed(e))?;
        rows.sort_by_key(|m| (m.deadline, m.id));
        Ok(group(
            keys,
            rows.into_iter().map(|m| (MeasuresOfProblem(m.problem_id), m)),
        ))
    }
}

impl Loader<CooperatingUnitsOf> for LedgerLoader {
    type Value = Vec<Uuid>;
    type Error = LoadError;

    async fn load(&self, keys: &[CooperatingUnitsOf]) -> Result<HashMap<CooperatingUnitsOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let mut pairs = measures::cooperating_units_of(&self.ledger.db, &ids)
            .await
            .map_err(|e| self.failed(e))?;
        pairs.sort();
        Ok(group(keys, pairs.into_iter().map(|(m, u)| (CooperatingUnitsOf(m), u))))
    }
}

impl Loader<ChildrenOf> for LedgerLoader {
    type Value = Vec<unit::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[ChildrenOf]) -> Result<HashMap<ChildrenOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let mut rows = units::children_of(&self.ledger.db, &ids)
            .await
            .map_err(|e| self.failed(e))?;
        rows.sort_by(|a, b| (a.sort_order, &a.name, a.id).cmp(&(b.sort_order, &b.name, b.id)));
        Ok(group(
            keys,
            rows.into_iter().filter_map(|u| u.parent_id.map(|p| (ChildrenOf(p), u))),
        ))
    }
}

/// Declares a key for "the rows of one parent" and its loader: one query for all the parents
/// asked for in a tick, the rows grouped by `$parent` (each list in the order `$fetch` returns).
macro_rules! children_loader {
    ($(#[$doc:meta])* $key:ident, $model:ty, $fetch:path, $parent:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $key(pub Uuid);

        impl Loader<$key> for LedgerLoader {
            type Value = Vec<$model>;
            type Error = LoadError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
                let rows = $fetch(&self.ledger.db, &ids).await.map_err(|e| self.failed(e))?;
                Ok(group(keys, rows.into_iter().map(|row| ($key(row.$parent), row))))
            }
        }
    };
}

children_loader!(
    /// The look-backs (回头看) of a measure, newest first.
    LookBacksOf, entity::look_back::Model, crate::domain::lifecycle::look_back::of_measures, measure_id
);
children_loader!(
    /// The verifications of a measure, newest first.
    VerificationsOf, entity::verification::Model, crate::domain::lifecycle::verifications_of, measure_id
);
children_loader!(
    /// The progress reports of a measure, newest first.
    ProgressReportsOf, entity::progress_report::Model, crate::domain::lifecycle::progress_reports_of, measure_id
);
children_loader!(
    /// The deadline extension requests of a measure, newest first.
    ExtensionsOf, entity::deadline_extension::Model, crate::domain::lifecycle::extensions::of_measures, measure_id
);
children_loader!(
    /// The milestones of a measure, by due date.
    MilestonesOf, entity::milestone::Model, crate::domain::ledger::milestones::of_measures, measure_id
);
children_loader!(
    /// The evidence of a measure, newest first.
    EvidenceOf, entity::evidence::Model, crate::domain::lifecycle::evidence::of_measures, measure_id
);
children_loader!(
    /// The role grants of an account.
    GrantsOf, entity::role_grant::Model, grants::of_accounts, account_id
);

/// The working-day calendar, loaded once per request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CalendarKey;

impl Loader<CalendarKey> for LedgerLoader {
    type Value = crate::domain::org::calendar::WorkCalendar;
    type Error = LoadError;

    async fn load(&self, _: &[CalendarKey]) -> Result<HashMap<CalendarKey, Self::Value>, Self::Error> {
        let calendar = crate::domain::org::calendar::load(&self.ledger.db)
            .await
            .map_err(|e| self.failed(e))?;
        Ok(HashMap::from([(CalendarKey, calendar)]))
    }
}
