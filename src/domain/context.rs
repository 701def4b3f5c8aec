//! Who is acting and in which request: every change is attributed through this.

use super::access::Access;

/// The account a change is attributed to: the logged-in account, or [`Actor::system`] for the
/// command-line tools; the audit code takes whatever actor the request carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: String,
    pub display_name: String,
}

impl Actor {
    pub fn system() -> Self {
        Self {
            id: "system".to_owned(),
            display_name: "system".to_owned(),
        }
    }

    pub fn anonymous() -> Self {
        Self {
            id: "anonymous".to_owned(),
            display_name: "anonymous".to_owned(),
        }
    }
}

/// A logged-in account and the token it presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session {
    pub account_id: uuid::Uuid,
    pub token_id: uuid::Uuid,
}

/// The per-request context passed to every domain service that writes.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub actor: Actor,
    pub request_id: Option<String>,
    /// Set when the request carried a valid bearer token.
    pub session: Option<Session>,
    /// What the request may read and change.
    pub access: Access,
}

impl RequestContext {
    /// The command-line tools (demo, account bootstrap): every right.
    pub fn system(request_id: Option<String>) -> Self {
        Self {
            actor: Actor::system(),
            request_id,
            session: None,
            access: Access::System,
        }
    }

    /// Who the audit trail names for a change made in this request.
    pub fn attribution(&self) -> crate::audit::Attribution<'_> {
        crate::audit::Attribution {
            actor_id: &self.actor.id,
            actor_name: &self.actor.display_name,
            request_id: self.request_id.as_deref(),
        }
    }

    /// A request without a bearer token: public reads only.
    pub fn anonymous(request_id: Option<String>) -> Self {
        Self {
            actor: Actor::anonymous(),
            request_id,
            session: None,
            access: Access::Anonymous,
        }
    }
}
