//! Accounts: log in for a bearer token, log out, change the password, see who you are.

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use entity::account as db;

use super::audit::{history, AuditEvent};
use super::connection::Conn;
use super::error::{GqlResult, IntoGql};
use super::loaders::PersonKey;
use super::person::Person;
use super::scalars::DateTime;
use super::{ledger, loader, request};
use crate::domain::accounts;

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
        match self.0.person_id {
            Some(id) => Ok(loader(ctx).load_one(PersonKey(id)).await?.map(Person)),
            None => Ok(None),
        }
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
}

#[derive(InputObject)]
pub struct LoginInput {
    pub username: String,
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
    pub current_password: String,
    /// At least 10 characters.
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
}
