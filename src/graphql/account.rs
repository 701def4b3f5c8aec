//! Accounts: log in for a bearer token, log out, change the password, see who you are.

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use entity::account as db;

use super::audit::{history, AuditEvent};
use super::connection::{connection, page_request, parse_id, parse_opt_id, uuid_cursor, Conn};
use super::enums::Role;
use super::error::{GqlResult, IntoGql};
use super::loaders::GrantsOf;
use super::person::Person;
use super::scalars::DateTime;
use super::unit::Unit;
use super::{ledger, loader, request};
use crate::domain::{accounts, accounts::grants};

/// The peer address of the HTTP request, for the login rate limit.
#[derive(Debug, Clone)]
pub struct ClientAddress(pub String);

/// A login. Its id is the actor id in the audit events it causes.
pub struct Account(pub db::Model);

#[Object]
impl Account {
    pub async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Lower-case login name.
    async fn username(&self) -> &str {
        &self.0.username
    }
    /// The name audit events show for this account's changes.
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    async fn disabled(&self) -> bool {
        self.0.disabled
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// The person this account belongs to, if linked.
    async fn person(&self, ctx: &Context<'_>) -> GqlResult<Option<Person>> {
        Person::link(ctx, self.0.person_id).await
    }
    /// The roles this account holds, oldest grant first.
    async fn grants(&self, ctx: &Context<'_>) -> GqlResult<Vec<Grant>> {
        let rows = loader(ctx).load_one(GrantsOf(self.0.id)).await?.unwrap_or_default();
        Ok(rows.into_iter().map(Grant).collect())
    }
    /// Audit events of this account (creation, password changes, …), newest first.
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Conn<AuditEvent>> {
        history(ctx, self.0.id, first, after).await
    }
}

/// A role held on a unit subtree, or on the whole tree when `unit` is null.
pub struct Grant(pub entity::role_grant::Model);

#[Object]
impl Grant {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn role(&self) -> Role {
        self.0.role.into()
    }
    /// The root of the subtree the role covers; null for the whole tree.
    async fn unit(&self, ctx: &Context<'_>) -> GqlResult<Option<Unit>> {
        match self.0.unit_id {
            Some(id) => Unit::link(ctx, id).await,
            None => Ok(None),
        }
    }
    /// True when the role covers the whole unit tree.
    async fn whole_tree(&self) -> bool {
        self.0.unit_id.is_none()
    }
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The account of the bearer token sent; null without one.
    async fn me(&self, ctx: &Context<'_>) -> GqlResult<Option<Account>> {
        match request(ctx).session {
            Some(session) => Ok(accounts::get(&ledger(ctx).db, session.account_id)
                .await
                .gql(ctx)?
                .map(Account)),
            None => Ok(None),
        }
    }

    /// Every account, by username (administrators of the whole tree only).
    #[graphql(complexity = "super::connection::page_cost(first, child_complexity)")]
    async fn accounts(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Rows to skip, for page numbers: offset = (page − 1) × first. Not with `after`.")]
        offset: Option<i32>,
    ) -> GqlResult<Conn<Account>> {
        let page = accounts::list(ledger(ctx), request(ctx), page_request(first, after, offset)?)
            .await
            .gql(ctx)?;
        Ok(connection(page, |a| uuid_cursor(&a.id), Account))
    }
}

#[derive(InputObject)]
pub struct CreateAccountInput {
    /// 3 to 64 of lower-case letters, digits, '.', '_' or '-'.
    pub username: String,
    pub display_name: String,
    /// The person the account belongs to; an administrator of a subtree may only link people
    /// of units in it.
    pub person_id: Option<ID>,
    /// At least 10 characters. Send it in variables, not inline in the query text.
    #[graphql(secret)]
    pub password: String,
}

#[derive(InputObject)]
pub struct GrantRoleInput {
    pub account_id: ID,
    pub role: Role,
    /// The root of the subtree; omit or null for the whole tree.
    pub unit_id: Option<ID>,
}

#[derive(SimpleObject)]
pub struct GrantRolePayload {
    pub grant: Grant,
    pub account: Account,
}

#[derive(InputObject)]
pub struct RevokeGrantInput {
    pub grant_id: ID,
    pub reason: Option<String>,
}

#[derive(InputObject)]
pub struct SetAccountDisabledInput {
    pub account_id: ID,
    pub disabled: bool,
}

async fn account_by_id(ctx: &Context<'_>, id: uuid::Uuid) -> GqlResult<Account> {
    accounts::get(&ledger(ctx).db, id)
        .await
        .gql(ctx)?
        .map(Account)
        .ok_or_else(|| crate::domain::error::DomainError::not_found(accounts::ENTITY, id))
        .gql(ctx)
}

#[derive(InputObject)]
pub struct LoginInput {
    pub username: String,
    #[graphql(secret)]
    pub password: String,
}

/// A bearer token: send it as `Authorization: Bearer <token>`. It is shown only here.
#[derive(SimpleObject)]
pub struct LoginPayload {
    pub token: String,
    pub expires_at: DateTime,
    pub account: Account,
}

#[derive(SimpleObject)]
pub struct LogoutPayload {
    /// The token this request was made with no longer works.
    pub revoked: bool,
}

#[derive(InputObject)]
pub struct ChangePasswordInput {
    #[graphql(secret)]
    pub current_password: String,
    /// At least 10 characters.
    #[graphql(secret)]
    pub new_password: String,
}

#[derive(SimpleObject)]
pub struct AccountPayload {
    pub account: Account,
}

#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Exchanges a username and password for a bearer token. Failures say only "invalid
    /// username or password"; after 5 failures in a minute for a username or an address,
    /// further attempts get RATE_LIMITED.
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> GqlResult<LoginPayload> {
        let address = ctx.data_opt::<ClientAddress>().map(|a| a.0.clone()).unwrap_or_default();
        let login = accounts::login(ledger(ctx), &input.username, &input.password, &address)
            .await
            .gql(ctx)?;
        Ok(LoginPayload {
            token: login.token,
            expires_at: DateTime(login.expires_at),
            account: Account(login.account),
        })
    }

    /// Revokes the bearer token this request was made with.
    async fn logout(&self, ctx: &Context<'_>) -> GqlResult<LogoutPayload> {
        accounts::logout(ledger(ctx), request(ctx)).await.gql(ctx)?;
        Ok(LogoutPayload { revoked: true })
    }

    /// Changes your password; every other token of your account stops working.
    async fn change_password(&self, ctx: &Context<'_>, input: ChangePasswordInput) -> GqlResult<AccountPayload> {
        let account =
            accounts::change_password(ledger(ctx), request(ctx), &input.current_password, &input.new_password)
                .await
                .gql(ctx)?;
        Ok(AccountPayload {
            account: Account(account),
        })
    }

    /// Creates an account (ADMIN). It can do nothing until it is granted a role.
    async fn create_account(&self, ctx: &Context<'_>, input: CreateAccountInput) -> GqlResult<AccountPayload> {
        let new = accounts::NewAccount {
            username: input.username,
            display_name: input.display_name,
            person_id: parse_opt_id("personId", input.person_id.as_ref())?,
            password: input.password,
        };
        let account = accounts::create(ledger(ctx), request(ctx), new).await.gql(ctx)?;
        Ok(AccountPayload {
            account: Account(account),
        })
    }

    /// Grants a role on a unit subtree or the whole tree (ADMIN over that scope).
    async fn grant_role(&self, ctx: &Context<'_>, input: GrantRoleInput) -> GqlResult<GrantRolePayload> {
        let account_id = parse_id("accountId", &input.account_id)?;
        let unit_id = parse_opt_id("unitId", input.unit_id.as_ref())?;
        let grant = grants::grant(ledger(ctx), request(ctx), account_id, input.role.into(), unit_id)
            .await
            .gql(ctx)?;
        Ok(GrantRolePayload {
            grant: Grant(grant),
            account: account_by_id(ctx, account_id).await?,
        })
    }

    /// Revokes a grant (ADMIN over its scope); the last whole-tree ADMIN cannot be revoked.
    async fn revoke_grant(&self, ctx: &Context<'_>, input: RevokeGrantInput) -> GqlResult<AccountPayload> {
        let grant_id = parse_id("grantId", &input.grant_id)?;
        let grant = grants::revoke(ledger(ctx), request(ctx), grant_id, input.reason.as_deref())
            .await
            .gql(ctx)?;
        Ok(AccountPayload {
            account: account_by_id(ctx, grant.account_id).await?,
        })
    }

    /// Disables (or re-enables) an account; its tokens stop working at once (ADMIN of the
    /// whole tree).
    async fn set_account_disabled(
        &self,
        ctx: &Context<'_>,
        input: SetAccountDisabledInput,
    ) -> GqlResult<AccountPayload> {
        let id = parse_id("accountId", &input.account_id)?;
        let account = accounts::set_disabled(ledger(ctx), request(ctx), id, input.disabled)
            .await
            .gql(ctx)?;
        Ok(AccountPayload {
            account: Account(account),
        })
    }
}
