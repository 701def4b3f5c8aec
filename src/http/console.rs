//! The web console and GraphiQL, from the files of `web/dist` embedded in the binary by
//! `build.rs`: nothing is read from disk or from another host at run time.
//!
//! - `/assets/…`: the hashed files Vite wrote (a file's name changes with its content), cached
//!   for a year as immutable.
//! - `/` and the console's routes (any other `GET` for HTML whose last path segment has no
//!   dot): the console's `index.html`, never cached, so a new binary's console is picked up at
//!   once. The console's router shows the page for the path.
//! - `GET /graphql` from a browser: GraphiQL (`graphiql.html`), also never cached.
//!
//! Pages carry a Content-Security-Policy that allows requests to this server only.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

mod assets {
    include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));
}

/// The policy of every page: scripts, styles, fonts, workers and requests from this origin
/// only. Element Plus and ECharts set inline `style` attributes; Monaco creates its workers from
/// `blob:` URLs in some browsers and draws with data-URI images.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; \
     worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
     frame-ancestors 'none'; form-action 'self'";

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// An embedded file by its URL path (`/index.html`, `/assets/…`).
pub fn file(path: &str) -> Option<&'static [u8]> {
    assets::FILES
        .binary_search_by(|(p, _)| (*p).cmp(path))
        .ok()
        .map(|i| assets::FILES[i].1)
}

/// Every embedded file's URL path, for tests and diagnostics.
pub fn paths() -> impl Iterator<Item = &'static str> {
    assets::FILES.iter().map(|(p, _)| *p)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("ttf") => "font/ttf",
        Some("woff") => "font/woff",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// An HTML page of the build (`/index.html`, `/graphiql.html`), never cached.
pub fn page(name: &str) -> HttpResponse {
    match file(name) {
        Some(body) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, content_type(name)))
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .insert_header((header::REFERRER_POLICY, "same-origin"))
            .body(body),
        None => HttpResponse::NotFound().finish(),
    }
}

/// `GET /assets/{file}`: a hashed build file, cached for a year.
pub(super) async fn asset(path: web::Path<String>) -> HttpResponse {
    let name = format!("/assets/{path}");
    match file(&name) {
        Some(body) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, content_type(&name)))
            .insert_header((header::CACHE_CONTROL, IMMUTABLE))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .body(body),
        None => HttpResponse::NotFound()
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .finish(),
    }
}

/// Whether a path can be one of the console's own routes: no dot in its last segment (files
/// have one) and not under a prefix the server answers itself.
fn console_route(path: &str) -> bool {
    const SERVER_PREFIXES: [&str; 6] = [
        "/assets/",
        "/graphql",
        "/evidence/",
        "/export/",
        "/bulletins/",
        "/healthz",
    ];
    let last = path.rsplit('/').next().unwrap_or_default();
    !last.contains('.') && !SERVER_PREFIXES.iter().any(|p| path.starts_with(p))
}

/// Everything no route matched: the console for a browser's `GET` of one of its routes, 404
/// for the rest.
pub(super) async fn fallback(req: HttpRequest) -> HttpResponse {
    let get = req.method() == actix_web::http::Method::GET || req.method() == actix_web::http::Method::HEAD;
    if get && console_route(req.path()) {
        page("/index.html")
    } else {
        HttpResponse::NotFound().finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_of_the_console_are_told_from_files_and_server_paths() {
        assert!(console_route("/"));
        assert!(console_route("/ledger"));
        assert!(console_route("/measures/01a2-b3"));
        assert!(!console_route("/favicon.ico"));
        assert!(!console_route("/assets/console-x.js"));
        assert!(!console_route("/export/nothing"));
        assert!(!console_route("/graphql/x"));
    }

    #[test]
    fn the_table_is_sorted_so_that_lookups_find_every_file() {
        let all: Vec<&str> = paths().collect();
        assert!(all.windows(2).all(|w| w[0] < w[1]), "{all:?}");
        assert!(all.iter().all(|p| file(p).is_some()));
        assert!(file("/index.html").is_some() && file("/graphiql.html").is_some());
    }
}
