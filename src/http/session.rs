//! Browser sessions (the console). `POST /session` logs in with `{username, password}` and
//! puts the token in an `HttpOnly; SameSite=Strict` cookie that page scripts cannot read (a
//! script injected into a page cannot steal it); `DELETE /session` revokes it and clears the
//! cookie. API clients keep sending `Authorization: Bearer …`, which wins over a cookie.
//!
//! CSRF: a cross-site page cannot make the browser send a SameSite=Strict cookie at all, and on
//! top of that a request authenticated by the cookie that is not a GET must carry
//! `X-Requested-With: taizhang` — a header no HTML form can send and no script of another
//! origin may send without a CORS preflight, which taizhang never answers — and an `Origin`, if
//! the browser sends one, naming this server. Without both it is refused (403, FORBIDDEN).

use actix_web::http::{header, Method};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use tracing_actix_web::RequestId;

use super::{client_address, domain_error, request_context, request_error};
use crate::domain::accounts;
use crate::domain::error::DomainError;
use crate::domain::Ledger;

/// The session cookie's name.
pub const COOKIE: &str = "taizhang_session";
/// The header (and its value) a cookie-authenticated write carries.
pub const CSRF_HEADER: &str = "x-requested-with";
pub const CSRF_VALUE: &str = "taizhang";

/// How a request says who it is.
#[derive(Debug, PartialEq, Eq)]
pub enum Credential {
    Bearer(String),
    Cookie(String),
    None,
}

/// The request's credential: the bearer token if any, else the session cookie.
pub fn credential(req: &HttpRequest) -> Credential {
    if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or_default();
        return Credential::Bearer(token.to_owned());
    }
    match cookie_value(req) {
        Some(token) => Credential::Cookie(token),
        None => Credential::None,
    }
}

/// The session cookie's value, from every `Cookie` header.
fn cookie_value(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim_matches('"').to_owned())
        .filter(|value| !value.is_empty())
}

/// Refuses a cookie-authenticated request that could have been forged by another site.
pub fn check_csrf(req: &HttpRequest) -> Result<(), DomainError> {
    if req.method() == Method::GET || req.method() == Method::HEAD {
        return Ok(());
    }
    let marked = req
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case(CSRF_VALUE));
    if !marked {
        return Err(DomainError::Forbidden(format!(
            "a request signed in by the session cookie must carry the header {CSRF_HEADER}: {CSRF_VALUE} (the console sends it; API clients use a bearer token)"
        )));
    }
    if !same_origin(req) {
        return Err(DomainError::Forbidden(
            "the request comes from a page of another site (its Origin is not this server)".to_owned(),
        ));
    }
    Ok(())
}

/// No `Origin`, or one whose host is the host the request was sent to.
pub(super) fn same_origin(req: &HttpRequest) -> bool {
    let Some(origin) = req.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin.split_once("://").map_or("", |(_, rest)| rest);
    !host.is_empty() && origin_host.eq_ignore_ascii_case(host)
}

/// The cookie carrying `token` for `max_age_seconds`; `Secure` when the request came over
/// HTTPS (a browser would drop a Secure cookie sent over plain HTTP on the intranet).
fn set_cookie(req: &HttpRequest, token: &str, max_age_seconds: i64) -> String {
    let secure = if req.connection_info().scheme() == "https" {
        "; Secure"
    } else {
        ""
    };
    format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_seconds}{secure}")
}

#[derive(Deserialize)]
struct LoginBody {
    username: String,
    password: String,
}

/// `POST /session`: logs in; the token goes into the cookie, never into the body.
pub async fn login(
    req: HttpRequest,
    body: web::Bytes,
    ledger: web::Data<Ledger>,
    request_id: RequestId,
) -> HttpResponse {
    let Ok(body) = serde_json::from_slice::<LoginBody>(&body) else {
        return request_error("the body is not {\"username\": …, \"password\": …} in JSON".to_owned());
    };
    let login = match accounts::login(&ledger, &body.username, &body.password, &client_address(&req)).await {
        Ok(login) => login,
        Err(e) => return domain_error(&e, request_id),
    };
    let max_age = (login.expires_at - ledger.now()).num_seconds().max(0);
    HttpResponse::Ok()
        .insert_header((header::SET_COOKIE, set_cookie(&req, &login.token, max_age)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({
            "account": {
                "id": login.account.id.to_string(),
                "username": login.account.username,
                "displayName": login.account.display_name,
            },
            "expiresAt": login.expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }))
}

/// `DELETE /session`: revokes the session the request signs in with and clears the cookie.
pub async fn logout(req: HttpRequest, ledger: web::Data<Ledger>, request_id: RequestId) -> HttpResponse {
    let context = match request_context(&req, &ledger, request_id).await {
        Ok(context) => context,
        Err(response) => return response,
    };
    if let Err(e) = accounts::logout(&ledger, &context).await {
        return domain_error(&e, request_id);
    }
    HttpResponse::Ok()
        .insert_header((header::SET_COOKIE, set_cookie(&req, "", 0)))
        .json(serde_json::json!({"revoked": true}))
}
