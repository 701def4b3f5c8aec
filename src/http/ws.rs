//! `GET /graphql/ws`: subscriptions over a WebSocket, in the graphql-transport-ws protocol
//! (graphql-ws's, which the console uses; the older subscriptions-transport-ws is accepted too).
//!
//! Who subscribes: `connection_init`'s payload `{"Authorization": "Bearer …"}`, else the bearer
//! header or the session cookie of the upgrade request — the cookie only from a page of this
//! server (its `Origin`), so that another site's page cannot open a socket with the user's
//! cookie. A token that does not authenticate refuses the connection. Every operation goes
//! through the document guard and the depth limits as over HTTP; mutations are refused
//! (send them with POST).

use std::any::TypeId;
use std::sync::Arc;

use actix_web::{web, HttpRequest, HttpResponse};
use async_graphql::futures_util::stream::{self, BoxStream, StreamExt};
use async_graphql::{Data, Executor, Request, Response, ServerError};
use async_graphql_actix_web::GraphQLSubscription;
use tracing_actix_web::RequestId;

use super::session::{self, Credential};
use super::{domain_error, guard_request, holds_mutation, too_deep};
use crate::domain::context::RequestContext;
use crate::domain::error::DomainError;
use crate::domain::{accounts, Ledger};
use crate::graphql::subscription::Subscriber;
use crate::graphql::{request_loader, AppSchema, Limits};

/// The schema behind the socket, with the checks every HTTP request gets.
#[derive(Clone)]
struct Guarded {
    schema: AppSchema,
    ledger: Ledger,
    limits: Limits,
}

fn refusal(message: impl Into<String>) -> Response {
    let mut response = Response::from_errors(vec![ServerError::new(message, None)]);
    crate::graphql::error::add_default_codes(&mut response);
    response
}

/// The request's context for the subscriber holding `token`.
async fn context_of(ledger: &Ledger, token: Option<&str>) -> Result<RequestContext, DomainError> {
    let mut context = RequestContext::anonymous(Some(uuid::Uuid::now_v7().to_string()));
    if let Some(token) = token {
        let (session, actor, access) = accounts::authenticate(ledger, token).await?;
        context.actor = actor;
        context.session = Some(session);
        context.access = access;
    }
    Ok(context)
}

impl Guarded {
    /// The guard's refusal of `request`, if any.
    fn check(&self, request: &mut Request) -> Option<Response> {
        if let Err(refused) = guard_request(request, &self.limits.guard) {
            return Some(refusal(refused.0));
        }
        if too_deep(request, &self.limits) {
            return Some(refusal("Query is nested too deep."));
        }
        if holds_mutation(request) {
            return Some(refusal(
                "mutations must be sent with POST /graphql, not over the subscription socket",
            ));
        }
        None
    }
}

impl Executor for Guarded {
    async fn execute(&self, mut request: Request) -> Response {
        if let Some(refused) = self.check(&mut request) {
            return refused;
        }
        match context_of(&self.ledger, None).await {
            Ok(context) => {
                let loader = request_loader(self.ledger.clone(), &context);
                self.schema.execute(request.data(context).data(loader)).await
            }
            Err(e) => Response::from_errors(vec![
                crate::graphql::error::with_request_id(e, "").into_server_error(Default::default())
            ]),
        }
    }

    fn execute_stream(&self, mut request: Request, session_data: Option<Arc<Data>>) -> BoxStream<'static, Response> {
        if let Some(refused) = self.check(&mut request) {
            return stream::once(async move { refused }).boxed();
        }
        let token = session_data
            .as_ref()
            .and_then(|d| d.get(&TypeId::of::<Subscriber>()))
            .and_then(|s| s.downcast_ref::<Subscriber>())
            .and_then(|s| s.token.clone());
        let (schema, ledger) = (self.schema.clone(), self.ledger.clone());
        stream::once(async move {
            match context_of(&ledger, token.as_deref()).await {
                Ok(context) => {
                    let loader = request_loader(ledger, &context);
                    Executor::execute_stream(&schema, request.data(context).data(loader), session_data)
                }
                Err(e) => {
                    let error = crate::graphql::error::with_request_id(e, "").into_server_error(Default::default());
                    stream::once(async move { Response::from_errors(vec![error]) }).boxed()
                }
            }
        })
        .flatten()
        .boxed()
    }
}

/// The token of `connection_init`'s payload (`Authorization: Bearer …`), if any.
fn token_in(payload: &serde_json::Value) -> Option<String> {
    let value = payload.get("Authorization").or_else(|| payload.get("authorization"))?;
    value.as_str()?.strip_prefix("Bearer ").map(|t| t.trim().to_owned())
}

pub async fn subscriptions(
    req: HttpRequest,
    payload: web::Payload,
    schema: web::Data<AppSchema>,
    ledger: web::Data<Ledger>,
    request_id: RequestId,
) -> actix_web::Result<HttpResponse> {
    let from_upgrade = match session::credential(&req) {
        Credential::Bearer(token) => Some(token),
        Credential::Cookie(token) if session::same_origin(&req) => Some(token),
        Credential::Cookie(_) => {
            let refused = DomainError::Forbidden(
                "a subscription signed in by the session cookie must come from a page of this server".to_owned(),
            );
            return Ok(domain_error(&refused, request_id));
        }
        Credential::None => None,
    };
    let limits = req
        .app_data::<web::Data<Limits>>()
        .map_or_else(Limits::default, |l| *l.get_ref());
    let executor = Guarded {
        schema: schema.get_ref().clone(),
        ledger: ledger.get_ref().clone(),
        limits,
    };
    let ledger = ledger.get_ref().clone();
    GraphQLSubscription::new(executor)
        .on_connection_init(move |payload| async move {
            let token = token_in(&payload).or(from_upgrade);
            if let Some(token) = &token {
                accounts::authenticate(&ledger, token)
                    .await
                    .map_err(|e| async_graphql::Error::new(e.to_string()))?;
            }
            let mut data = Data::default();
            data.insert(Subscriber { token });
            Ok(data)
        })
        .start(&req, payload)
}
