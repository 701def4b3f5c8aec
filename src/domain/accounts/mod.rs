//! Accounts (账号): who may act. Passwords are hashed with Argon2id; bearer tokens are random,
//! returned once and stored only as their SHA-256; failed logins are limited per username and
//! client address, and per client address, with a doubling wait; a login failure never says
//! whether the username exists.

pub mod grants;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use entity::{access_token, account, login_failure};
use rand_core::{OsRng, RngCore};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::domain::access::{Access, Operation, Target};
use crate::domain::context::{Actor, RequestContext, Session};
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::page::{keyset_page, Page, PageRequest};
use crate::domain::text::{limits, Text};
use crate::domain::{org::people, Ledger};

pub const ENTITY: &str = "Account";
pub const MIN_PASSWORD_CHARS: usize = 10;
const MAX_PASSWORD_CHARS: usize = 200;
/// Failed logins of one username from one client address, within [`FAILURE_WINDOW_SECONDS`],
/// before that pair must wait.
pub const MAX_FAILURES: u64 = 5;
/// Failed logins from one client address, whatever the usernames, before the address must wait.
pub const MAX_ADDRESS_FAILURES: u64 = 20;
/// How long failures count (and are kept: older rows are pruned at each attempt): twice the
/// longest wait, so that the doubling can reach it before the first failures age out.
pub const FAILURE_WINDOW_SECONDS: i64 = 2 * MAX_WAIT_SECONDS;
/// The first wait once a limit is reached; it doubles with each further failure, up to
/// [`MAX_WAIT_SECONDS`].
pub const FIRST_WAIT_SECONDS: i64 = 60;
pub const MAX_WAIT_SECONDS: i64 = 15 * 60;
const LOGIN_FAILED: &str = "invalid username or password";

#[derive(Clone)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub person_id: Option<Uuid>,
    pub password: String,
}

/// Never prints the password.
impl std::fmt::Debug for NewAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAccount")
            .field("username", &self.username)
            .field("display_name", &self.display_name)
            .field("person_id", &self.person_id)
            .field("password", &"***")
            .finish()
    }
}

/// A successful login: the token is shown to the client once and never stored.
#[derive(Clone)]
pub struct Login {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub account: account::Model,
}

/// Never prints the token (nor the account's password hash).
impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Login")
            .field("token", &"***")
            .field("expires_at", &self.expires_at)
            .field("account", &self.account.id)
            .finish()
    }
}

fn username(raw: &str) -> DomainResult<String> {
    let value = raw.trim().to_lowercase();
    let ok = (3..=64).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if !ok {
        return Err(DomainError::invalid(
            "username",
            "username must be 3 to 64 of lower-case letters, digits, '.', '_' or '-'",
        ));
    }
    Ok(value)
}

fn check_password(field: &str, password: &str) -> DomainResult<()> {
    let chars = password.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars) {
        return Err(DomainError::invalid(
            field,
            format!("{field} must be {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters long"),
        ));
    }
    Ok(())
}

fn hash_password(password: &str) -> DomainResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| DomainError::Internal(format!("password hashing failed: {e}")))
}

fn password_matches(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Argon2 is deliberately slow (tens of milliseconds): run it on the blocking pool, not on the
/// worker thread that serves other requests.
async fn hash_password_off_thread(password: &str) -> DomainResult<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| DomainError::Internal(format!("password hashing task failed: {e}")))?
}

async fn password_matches_off_thread(password: &str, phc: &str) -> bool {
    let (password, phc) = (password.to_owned(), phc.to_owned());
    tokio::task::spawn_blocking(move || password_matches(&password, &phc))
        .await
        .unwrap_or(false)
}

/// A hash to verify against when the username is unknown, so that both failures take as long.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password, never valid").unwrap_or_default())
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A random password for generated accounts (the demo's), 22 characters of base64url.
pub fn random_password() -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub async fn get<C: ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<account::Model>> {
    Ok(account::Entity::find_by_id(id).one(db).await?)
}

#[tracing::instrument(skip_all, fields(username = %input.username))]
pub async fn create(ledger: &Ledger, ctx: &RequestContext, input: NewAccount) -> DomainResult<account::Model> {
    // Cheap checks first: an anonymous caller never gets a password hashed.
    ctx.access.require(Operation::ManageAccounts, Target::Anywhere)?;
    let username = username(&input.username)?;
    let display_name = Text::parse("displayName", &input.display_name, limits::PERSON_NAME)?.into_inner();
    check_password("password", &input.password)?;
    let password_hash = hash_password_off_thread(&input.password).await?;
    let w = ledger.write(ctx).await?;
    if let Some(person) = input.person_id {
        let person = people::active(w.tx(), person, "personId").await?;
        ctx.access.require(
            Operation::ManageAccounts,
            Target::Units(&[person.unit_id], "the unit of the linked person"),
        )?;
    }
    let taken = account::Entity::find()
        .filter(account::Column::Username.eq(&username))
        .count(w.tx())
        .await?;
    if taken > 0 {
        return Err(DomainError::invalid(
            "username",
            format!("username {username} is already taken"),
        ));
    }
    let now = ledger.now();
    let model = account::Model {
        id: Uuid::now_v7(),
        username,
        display_name,
        person_id: input.person_id,
        password_hash,
        disabled: false,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let saved = w
        .create("account.create", model, Some(("username", "username is already taken")))
        .await?;
    w.commit().await?;
    Ok(saved)
}

/// How long a limit still holds: `failures` recent failures against a limit of `max`, the last
/// of them `since_last` ago. Reaching the limit means [`FIRST_WAIT_SECONDS`], each failure past
/// it doubles the wait (back-off), up to [`MAX_WAIT_SECONDS`]; 0 when free to try.
pub fn wait_seconds(failures: u64, max: u64, since_last: Duration) -> i64 {
    if failures < max {
        return 0;
    }
    let doublings = u32::try_from((failures - max).min(10)).unwrap_or(10);
    let wait = (FIRST_WAIT_SECONDS << doublings).min(MAX_WAIT_SECONDS);
    (wait - since_last.num_seconds()).max(0)
}

/// Recent failures matching `cond`: how many, and when the last was.
async fn recent_failures<C: ConnectionTrait>(
    db: &C,
    cond: sea_orm::Condition,
    since: DateTime<Utc>,
) -> DomainResult<(u64, Option<DateTime<Utc>>)> {
    let rows: Vec<DateTime<Utc>> = login_failure::Entity::find()
        .select_only()
        .column(login_failure::Column::OccurredAt)
        .filter(cond)
        .filter(login_failure::Column::OccurredAt.gt(since))
        .into_tuple()
        .all(db)
        .await?;
    Ok((rows.len() as u64, rows.into_iter().max()))
}

/// Refuses a login while this username from this address, or this address for any username,
/// has too many recent failures. There is no limit on a username alone: it would let a
/// stranger lock a user out from every address (docs/operations.md).
async fn check_rate<C: ConnectionTrait>(db: &C, now: DateTime<Utc>, username: &str, address: &str) -> DomainResult<()> {
    let since = now - Duration::seconds(FAILURE_WINDOW_SECONDS);
    let at_address = login_failure::Column::Address.eq(address);
    let pair = sea_orm::Condition::all()
        .add(login_failure::Column::Username.eq(username))
        .add(at_address.clone());
    let mut wait = 0;
    for (cond, max) in [
        (pair, MAX_FAILURES),
        (sea_orm::Condition::all().add(at_address), MAX_ADDRESS_FAILURES),
    ] {
        let (count, last) = recent_failures(db, cond, since).await?;
        let since_last = last.map_or(Duration::zero(), |l| now - l);
        wait = wait.max(wait_seconds(count, max, since_last));
    }
    if wait > 0 {
        return Err(DomainError::RateLimited {
            retry_after_seconds: wait,
        });
    }
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn login(ledger: &Ledger, raw_username: &str, password: &str, address: &str) -> DomainResult<Login> {
    let name: String = raw_username.trim().to_lowercase().chars().take(64).collect();
    let (attempt, found) = reserve_attempt(ledger, &name, address).await?;
    // The hash is computed outside any transaction, a bounded number at a time: guesses wait
    // for a permit, not for the write lock every other change needs.
    let valid = {
        let _permit = HASHING
            .acquire()
            .await
            .map_err(|e| DomainError::Internal(e.to_string()))?;
        match &found {
            Some(a) => password_matches_off_thread(password, &a.password_hash).await && !a.disabled,
            None => {
                let _ = password_matches_off_thread(password, decoy_hash()).await;
                false
            }
        }
    };
    let Some(account) = found.filter(|_| valid) else {
        crate::metrics::count_login_failure();
        return Err(DomainError::Unauthenticated(LOGIN_FAILED.to_owned()));
    };
    let token = new_token();
    let now = ledger.now();
    let expires_at = now + ledger.token_ttl;
    // Logins write no audit event: they run as nobody.
    let nobody = RequestContext::anonymous(None);
    let w = ledger.write(&nobody).await?;
    // The attempt succeeded: it is no failure after all, and this user's earlier failures from
    // this address are forgiven.
    login_failure::Entity::delete_by_id(attempt).exec(w.tx()).await?;
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::Username.eq(account.username.as_str()))
        .filter(login_failure::Column::Address.eq(address_key(address)))
        .exec(w.tx())
        .await?;
    access_token::Entity::insert(access_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        account_id: Set(account.id),
        token_hash: Set(token_hash(&token)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
    })
    .exec_without_returning(w.tx())
    .await?;
    w.commit().await?;
    Ok(Login {
        token,
        expires_at,
        account,
    })
}

/// Passwords hashed at once by logins: half the cores, at least one, so that guessing cannot
/// take every core from the other requests.
static HASHING: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    tokio::sync::Semaphore::new((cores / 2).max(1))
});

/// Checks the limits and records the attempt as a failure before any hashing, in one short
/// write: parallel guesses each count against the limit while they are being checked. A
/// successful login withdraws its row. Returns the row's id and the account, if any.
async fn reserve_attempt(ledger: &Ledger, name: &str, address: &str) -> DomainResult<(Uuid, Option<account::Model>)> {
    let nobody = RequestContext::anonymous(None);
    let w = ledger.write(&nobody).await?;
    let now = ledger.now();
    // Failures older than the window count for nothing: prune them.
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::OccurredAt.lte(now - Duration::seconds(FAILURE_WINDOW_SECONDS)))
        .exec(w.tx())
        .await?;
    let address = address_key(address);
    check_rate(w.tx(), now, name, &address).await?;
    let attempt = Uuid::now_v7();
    login_failure::Entity::insert(login_failure::ActiveModel {
        id: Set(attempt),
        username: Set(name.to_owned()),
        address: Set(address),
        occurred_at: Set(now),
    })
    .exec_without_returning(w.tx())
    .await?;
    let found = find_by_username(w.tx(), name).await?;
    w.commit().await?;
    Ok((attempt, found))
}

/// An address as the failure table keeps it (at most 64 characters).
fn address_key(address: &str) -> String {
    address.chars().take(64).collect()
}

/// The session, actor and rights of a bearer token; `UNAUTHENTICATED` for an unknown, expired
/// or revoked token or a disabled account.
pub async fn authenticate(ledger: &Ledger, token: &str) -> DomainResult<(Session, Actor, Access)> {
    let invalid =
        || DomainError::Unauthenticated("the bearer token is invalid or has expired; log in again".to_owned());
    let now = ledger.now();
    let row = access_token::Entity::find()
        .filter(access_token::Column::TokenHash.eq(token_hash(token)))
        .filter(access_token::Column::RevokedAt.is_null())
        .filter(access_token::Column::ExpiresAt.gt(now))
        .one(&ledger.db)
        .await?
        .ok_or_else(invalid)?;
    let account = get(&ledger.db, row.account_id)
        .await?
        .filter(|a| !a.disabled)
        .ok_or_else(invalid)?;
    let access = grants::access_of(&ledger.db, &account).await?;
    Ok((
        Session {
            account_id: account.id,
            token_id: row.id,
        },
        Actor {
            id: account.id.to_string(),
            display_name: account.display_name,
        },
        access,
    ))
}

fn session(ctx: &RequestContext) -> DomainResult<Session> {
    ctx.session
        .ok_or_else(|| DomainError::Unauthenticated("log in first: this needs a bearer token".to_owned()))
}

/// Revokes the token the request was made with.
pub async fn logout(ledger: &Ledger, ctx: &RequestContext) -> DomainResult<()> {
    let session = session(ctx)?;
    access_token::Entity::update_many()
        .col_expr(access_token::Column::RevokedAt, Expr::value(ledger.now()))
        .filter(access_token::Column::Id.eq(session.token_id))
        .exec(&ledger.db)
        .await?;
    Ok(())
}

/// Changes the password of the logged-in account and revokes all its other tokens.
#[tracing::instrument(skip_all)]
pub async fn change_password(
    ledger: &Ledger,
    ctx: &RequestContext,
    current: &str,
    new: &str,
) -> DomainResult<account::Model> {
    let session = session(ctx)?;
    check_password("newPassword", new)?;
    let w = ledger.write(ctx).await?;
    let account = get(w.tx(), session.account_id)
        .await?
        .ok_or_else(|| DomainError::not_found(ENTITY, session.account_id))?;
    if !password_matches_off_thread(current, &account.password_hash).await {
        return Err(DomainError::invalid(
            "currentPassword",
            "currentPassword is not the account's password",
        ));
    }
    let mut next = account.clone();
    next.password_hash = hash_password_off_thread(new).await?;
    // The hash is not in the snapshot, so record the change explicitly: the version moves.
    let saved = w.update(&account, next, None).await?;
    w.record::<account::Model>(
        "account.change_password",
        saved.id,
        Some(crate::domain::snapshot::snapshot(&account)?),
        crate::domain::snapshot::snapshot(&saved)?,
        None,
    )
    .await?;
    access_token::Entity::update_many()
        .col_expr(access_token::Column::RevokedAt, Expr::value(ledger.now()))
        .filter(access_token::Column::AccountId.eq(account.id))
        .filter(access_token::Column::Id.ne(session.token_id))
        .filter(access_token::Column::RevokedAt.is_null())
        .exec(w.tx())
        .await?;
    w.commit().await?;
    Ok(saved)
}

/// Disables or re-enables an account; a disabled account's tokens stop working at once.
#[tracing::instrument(skip_all, fields(account_id = %id))]
pub async fn set_disabled(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    disabled: bool,
) -> DomainResult<account::Model> {
    ctx.access.require(Operation::ManageAccounts, Target::WholeTree)?;
    if disabled && ctx.session.is_some_and(|s| s.account_id == id) {
        return Err(DomainError::invalid(
            "accountId",
            "an account cannot disable itself; ask another administrator",
        ));
    }
    let w = ledger.write(ctx).await?;
    let current = get(w.tx(), id)
        .await?
        .ok_or_else(|| DomainError::not_found(ENTITY, id))?;
    let mut next = current.clone();
    next.disabled = disabled;
    let action = if disabled { "account.disable" } else { "account.enable" };
    let saved = w.save(action, current, next, None, None).await?;
    w.commit().await?;
    Ok(saved)
}

pub async fn find_by_username<C: ConnectionTrait>(db: &C, name: &str) -> DomainResult<Option<account::Model>> {
    Ok(account::Entity::find()
        .filter(account::Column::Username.eq(name.trim().to_lowercase()))
        .one(db)
        .await?)
}

pub async fn count<C: ConnectionTrait>(db: &C) -> DomainResult<u64> {
    Ok(account::Entity::find().count(db).await?)
}

/// Every account, by username; only for administrators of the whole tree.
pub async fn list(ledger: &Ledger, ctx: &RequestContext, page: PageRequest) -> DomainResult<Page<account::Model>> {
    ctx.access.require(Operation::ManageAccounts, Target::WholeTree)?;
    keyset_page(
        &ledger.db,
        account::Entity::find(),
        account::Column::Username,
        account::Column::Id,
        sea_orm::Order::Asc,
        page,
    )
    .await
}
