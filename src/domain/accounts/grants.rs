//! Role grants (授权): which role an account holds on which unit subtree, and the [`Access`] of
//! a request computed from them. Granting and revoking are audited like every other change.

use std::collections::HashMap;

use entity::role_grant;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Statement};
use uuid::Uuid;

use crate::audit::Change;
use crate::domain::access::{role_name, Access, Operation, Role, Target};
use crate::domain::context::RequestContext;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::snapshot::snapshot;
use crate::domain::text::{limits, Text};
use crate::domain::{org::units, Ledger};

pub const ENTITY: &str = "RoleGrant";

pub async fn of_accounts<C: ConnectionTrait>(db: &C, account_ids: &[Uuid]) -> DomainResult<Vec<role_grant::Model>> {
    Ok(role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.is_in(account_ids.to_vec()))
        .order_by_asc(role_grant::Column::CreatedAt)
        .order_by_asc(role_grant::Column::Id)
        .all(db)
        .await?)
}

/// The units of each root's subtree, in one recursive query.
async fn subtrees<C: ConnectionTrait>(db: &C, roots: &[Uuid]) -> DomainResult<HashMap<Uuid, Vec<Uuid>>> {
    let mut map: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    if roots.is_empty() {
        return Ok(map);
    }
    let backend = db.get_database_backend();
    let placeholders: Vec<String> = (1..=roots.len())
        .map(|i| {
            if backend == sea_orm::DbBackend::Postgres {
                format!("${i}")
            } else {
                "?".to_owned()
            }
        })
        .collect();
    // UNION (not UNION ALL) stops even if a cycle ever slipped in.
    let sql = format!(
        "WITH RECURSIVE sub(root, id) AS (SELECT id, id FROM unit WHERE id IN ({}) \
         UNION SELECT sub.root, u.id FROM unit u JOIN sub ON u.parent_id = sub.id) SELECT root, id FROM sub",
        placeholders.join(", ")
    );
    let values: Vec<sea_orm::Value> = roots.iter().map(|r| (*r).into()).collect();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    for row in rows {
        let root: Uuid = row.try_get("", "root")?;
        let id: Uuid = row.try_get("", "id")?;
        map.entry(root).or_default().push(id);
    }
    Ok(map)
}

/// What an account may do, from its grants, the person it is linked to and the unit tree as it
/// is now. The caller has read the account already (every authenticated request does).
pub async fn access_of<C: ConnectionTrait>(db: &C, account: &entity::account::Model) -> DomainResult<Access> {
    let grants = of_accounts(db, &[account.id]).await?;
    let pairs: Vec<(Role, Option<Uuid>)> = grants.iter().map(|g| (g.role, g.unit_id)).collect();
    let roots: Vec<Uuid> = grants.iter().filter_map(|g| g.unit_id).collect();
    let trees = subtrees(db, &roots).await?;
    Ok(Access::from_grants(&pairs, account.person_id, |root| {
        trees.get(&root).cloned().unwrap_or_default()
    }))
}

fn target(unit: &Option<Uuid>) -> Target<'_> {
    match unit {
        Some(u) => Target::Units(std::slice::from_ref(u), "the granted unit"),
        None => Target::WholeTree,
    }
}

/// Grants `role` on `unit`'s subtree (None: the whole tree) to an account. The granting admin
/// must hold ADMIN over that scope.
#[tracing::instrument(skip_all, fields(account_id = %account_id))]
pub async fn grant(
    ledger: &Ledger,
    ctx: &RequestContext,
    account_id: Uuid,
    role: Role,
    unit_id: Option<Uuid>,
) -> DomainResult<role_grant::Model> {
    ctx.access.require(Operation::ManageAccounts, target(&unit_id))?;
    if role == Role::Discipline && ctx.session.is_some_and(|s| s.account_id == account_id) {
        // Separation of duties: the office that administers accounts does not become the 纪委.
        return Err(DomainError::Forbidden(
            "DISCIPLINE is granted by another administrator: an account may not give itself the 纪委's role".to_owned(),
        ));
    }
    let w = ledger.write(ctx).await?;
    account_row(w.tx(), account_id)
        .await?
        .ok_or_else(|| DomainError::invalid("accountId", format!("account {account_id} does not exist")))?;
    if let Some(unit) = unit_id {
        units::active(w.tx(), unit, "unitId").await?;
    }
    let held = of_accounts(w.tx(), &[account_id]).await?;
    if held.iter().any(|g| g.role == role && g.unit_id == unit_id) {
        return Err(DomainError::invalid(
            "role",
            format!("the account already holds {} there", role_name(role)),
        ));
    }
    let row = role_grant::Model {
        id: Uuid::now_v7(),
        account_id,
        role,
        unit_id,
        created_at: ledger.now(),
    };
    let row = w.insert_record(ENTITY, "role_grant.create", row).await?;
    w.commit().await?;
    Ok(row)
}

/// Revokes a grant (the row is deleted; its audit event keeps what it was). The last
/// whole-tree ADMIN grant cannot be revoked: someone must be able to manage accounts.
#[tracing::instrument(skip_all, fields(grant_id = %grant_id))]
pub async fn revoke(
    ledger: &Ledger,
    ctx: &RequestContext,
    grant_id: Uuid,
    reason: Option<&str>,
) -> DomainResult<role_grant::Model> {
    ctx.access.require(Operation::ManageAccounts, Target::Anywhere)?;
    let reason = Text::parse_optional("reason", reason, limits::REASON)?.map(Text::into_inner);
    let w = ledger.write(ctx).await?;
    let row = role_grant::Entity::find_by_id(grant_id)
        .one(w.tx())
        .await?
        .ok_or_else(|| DomainError::invalid("grantId", format!("grant {grant_id} does not exist")))?;
    ctx.access.require(Operation::ManageAccounts, target(&row.unit_id))?;
    if row.role == Role::Admin && row.unit_id.is_none() {
        let others = role_grant::Entity::find()
            .filter(role_grant::Column::Role.eq(Role::Admin))
            .filter(role_grant::Column::UnitId.is_null())
            .filter(role_grant::Column::Id.ne(grant_id))
            .all(w.tx())
            .await?;
        let mut enabled = false;
        for other in others {
            enabled |= account_row(w.tx(), other.account_id)
                .await?
                .is_some_and(|a| !a.disabled);
        }
        if !enabled {
            return Err(DomainError::invalid(
                "grantId",
                "this is the last whole-tree ADMIN grant of an enabled account; grant another first",
            ));
        }
    }
    role_grant::Entity::delete_by_id(grant_id).exec(w.tx()).await?;
    let change = Change {
        action: "role_grant.revoke",
        entity_type: ENTITY,
        entity_id: grant_id,
        before: Some(snapshot(&row)?),
        after: None,
        reason: reason.as_deref(),
    };
    w.record_change(change).await?;
    w.commit().await?;
    Ok(row)
}

/// An account's row. Read here rather than through `accounts`, which reads grants to log in:
/// the two files would lean on each other.
async fn account_row<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<entity::account::Model>> {
    Ok(entity::account::Entity::find_by_id(id).one(db).await?)
}
