//! DataLoaders: every link followed from a list is fetched in one query per kind of link per
//! request tick, whatever the page size.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{campaign, measure, person, problem, unit};
use uuid::Uuid;

use crate::domain::{campaigns, measures, people, problems, units, Ledger};

/// Loads rows of the ledger by key; one instance per request.
pub struct LedgerLoader {
    pub ledger: Ledger,
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
/// The measures of a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MeasuresOfProblem(pub Uuid);
/// The cooperating unit ids of a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CooperatingUnitsOf(pub Uuid);
/// The active children of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChildrenOf(pub Uuid);

/// Errors reach resolvers as INTERNAL; the details are logged here, once.
pub type LoadError = async_graphql::Error;

fn err(e: crate::domain::error::DomainError) -> LoadError {
    use async_graphql::ErrorExtensions;
    tracing::error!(error = %e, "data loader query failed");
    async_graphql::Error::new("internal error while loading related data")
        .extend_with(|_, ext| ext.set("code", super::error::code::INTERNAL))
}

macro_rules! by_id_loader {
    ($key:ty, $model:ty, $fetch:path) => {
        impl Loader<$key> for LedgerLoader {
            type Value = $model;
            type Error = LoadError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
                let rows = $fetch(&self.ledger.db, &ids).await.map_err(err)?;
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
by_id_loader!(ProblemKey, problem::Model, problems::by_ids);
by_id_loader!(MeasureKey, measure::Model, measures::by_ids);

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
        let mut rows = measures::by_problem_ids(&self.ledger.db, &ids).await.map_err(err)?;
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
            .map_err(err)?;
        pairs.sort();
        Ok(group(keys, pairs.into_iter().map(|(m, u)| (CooperatingUnitsOf(m), u))))
    }
}

impl Loader<ChildrenOf> for LedgerLoader {
    type Value = Vec<unit::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[ChildrenOf]) -> Result<HashMap<ChildrenOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let mut rows = units::children_of(&self.ledger.db, &ids).await.map_err(err)?;
        rows.sort_by(|a, b| (a.sort_order, &a.name, a.id).cmp(&(b.sort_order, &b.name, b.id)));
        Ok(group(
            keys,
            rows.into_iter().filter_map(|u| u.parent_id.map(|p| (ChildrenOf(p), u))),
        ))
    }
}

/// The verifications of a measure, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VerificationsOf(pub Uuid);
/// The progress reports of a measure, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProgressReportsOf(pub Uuid);

impl Loader<VerificationsOf> for LedgerLoader {
    type Value = Vec<entity::verification::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[VerificationsOf]) -> Result<HashMap<VerificationsOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = crate::domain::lifecycle::verifications_of(&self.ledger.db, &ids)
            .await
            .map_err(err)?;
        Ok(group(
            keys,
            rows.into_iter().map(|v| (VerificationsOf(v.measure_id), v)),
        ))
    }
}

impl Loader<ProgressReportsOf> for LedgerLoader {
    type Value = Vec<entity::progress_report::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[ProgressReportsOf]) -> Result<HashMap<ProgressReportsOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = crate::domain::lifecycle::progress_reports_of(&self.ledger.db, &ids)
            .await
            .map_err(err)?;
        Ok(group(
            keys,
            rows.into_iter().map(|r| (ProgressReportsOf(r.measure_id), r)),
        ))
    }
}

/// The deadline extension requests of a measure, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExtensionsOf(pub Uuid);

impl Loader<ExtensionsOf> for LedgerLoader {
    type Value = Vec<entity::deadline_extension::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[ExtensionsOf]) -> Result<HashMap<ExtensionsOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = crate::domain::extensions::of_measures(&self.ledger.db, &ids)
            .await
            .map_err(err)?;
        Ok(group(keys, rows.into_iter().map(|e| (ExtensionsOf(e.measure_id), e))))
    }
}
