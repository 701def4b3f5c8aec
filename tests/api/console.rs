//! The web console and GraphiQL (issue 11): served from the files embedded in the binary, with
//! cache headers that fit hashed assets, and pointing at no other host, so that they work on an
//! intranet without internet. These read no data: they run on SQLite only.

use crate::helpers::{spawn_app, Engine, TestApp};

/// Identifiers that are never fetched and that the DOM or Monaco's JSON mode need verbatim:
/// XML namespace URIs and the JSON Schema draft identifiers. The same list as
/// web/vite-plugins/no-foreign-hosts.ts, which drops the scheme of every other URL at build time.
const ALLOWED: [&str; 10] = [
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/1998/Math/MathML",
    "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/2000/xmlns/",
    "http://json-schema.org/draft-0",
    "https://json-schema.org/draft-0",
    "https://json-schema.org/draft/2019-09/schema",
    "https://json-schema.org/draft/2020-12/schema",
];

/// Every URL of `text` that names a host (`scheme://` followed by a letter or digit) and is not
/// allowed, and every protocol-relative reference in an attribute or a CSS `url()`.
fn foreign_urls(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for scheme in ["http://", "https://", "ws://", "wss://"] {
        for (at, _) in text.match_indices(scheme) {
            // `xhttp://` is not a URL; `https://` also contains `http` only as a prefix.
            if text[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric())
            {
                continue;
            }
            let rest = &text[at..];
            let end = rest
                .find(|c: char| c.is_whitespace() || "\"'`()<>\\,;".contains(c))
                .unwrap_or(rest.len());
            let url = &rest[..end];
            let names_host = url[scheme.len()..].starts_with(|c: char| c.is_ascii_alphanumeric());
            if names_host && !ALLOWED.iter().any(|a| url.starts_with(a)) {
                found.push(url.to_owned());
            }
        }
    }
    for relative in [
        "src=\"//",
        "href=\"//",
        "url(//",
        "url(\"//",
        "url('//",
        "from\"//",
        "import(\"//",
    ] {
        if let Some(at) = text.find(relative) {
            found.push(text[at..].chars().take(80).collect());
        }
    }
    found
}

#[test]
fn the_scanner_finds_urls_of_other_hosts_and_lets_namespaces_pass() {
    let text = r#"a="https://cdn.example/x.js" b=`http://www.w3.org/2000/svg` c='wss://h:1/' d=src="//e.example/y" e=react.dev/errors/1 f=http://${host}"#;
    assert_eq!(
        foreign_urls(text),
        vec![
            "https://cdn.example/x.js",
            "wss://h:1/",
            "src=\"//e.example/y\" e=react.dev/errors/1 f=http://${host}"
        ]
    );
}

async fn get(app: &TestApp, path: &str, accept: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut response = app
        .client()
        .get(app.url(path))
        .insert_header(("Accept", accept))
        .send()
        .await
        .unwrap();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned()))
        .collect();
    let body = response.body().limit(64 << 20).await.unwrap().to_vec();
    (response.status().as_u16(), headers, body)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map_or("", |(_, v)| v.as_str())
}

/// The `/assets/…` files an HTML page loads.
fn assets_of(html: &str) -> Vec<String> {
    html.match_indices("\"/assets/")
        .map(|(at, _)| {
            let rest = &html[at + 1..];
            rest[..rest.find('"').unwrap_or(rest.len())].to_owned()
        })
        .collect()
}

#[actix_web::test]
async fn the_console_is_served_at_its_routes_and_never_cached() {
    let app = spawn_app(Engine::Sqlite).await;
    let (_, _, index) = get(&app, "/", "text/html").await;
    for path in [
        "/",
        "/login",
        "/dashboard",
        "/ledger",
        "/measures/01939a3e-0000-7000-8000-000000000000",
        "/me",
    ] {
        let (status, headers, body) = get(&app, path, "text/html,*/*").await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(body, index, "{path} is not the console's index.html");
        assert!(header(&headers, "content-type").starts_with("text/html"), "{path}");
        assert_eq!(header(&headers, "cache-control"), "no-cache", "{path}");
        assert!(
            header(&headers, "content-security-policy").contains("connect-src 'self'"),
            "{path}"
        );
    }
    let html = String::from_utf8(index).unwrap();
    assert!(html.contains("<div id=\"app\">"), "{html}");
    // Files that do not exist, server paths and other methods are not the console.
    for path in [
        "/favicon.ico",
        "/assets/nothing-here.js",
        "/export/nothing",
        "/graphql/x",
    ] {
        let (status, _, _) = get(&app, path, "text/html").await;
        assert_eq!(status, 404, "{path}");
    }
    let post = app.client().post(app.url("/ledger")).send().await.unwrap();
    assert_eq!(post.status(), 404);
}

#[actix_web::test]
async fn hashed_assets_are_cached_for_a_year_and_every_page_loads_only_existing_ones() {
    let app = spawn_app(Engine::Sqlite).await;
    for (page, accept) in [("/", "text/html"), ("/graphql", "text/html")] {
        let (status, _, body) = get(&app, page, accept).await;
        assert_eq!(status, 200, "{page}");
        let html = String::from_utf8(body).unwrap();
        let assets = assets_of(&html);
        assert!(
            assets.iter().any(|a| a.ends_with(".js")),
            "{page} loads no script: {html}"
        );
        assert!(
            assets.iter().any(|a| a.ends_with(".css")),
            "{page} loads no style sheet: {html}"
        );
        for asset in assets {
            let (status, headers, body) = get(&app, &asset, "*/*").await;
            assert_eq!(status, 200, "{page} loads {asset}, which is not served");
            assert_eq!(
                header(&headers, "cache-control"),
                "public, max-age=31536000, immutable",
                "{asset}"
            );
            let kind = header(&headers, "content-type");
            assert!(
                (asset.ends_with(".js") && kind.starts_with("text/javascript"))
                    || (asset.ends_with(".css") && kind.starts_with("text/css")),
                "{asset}: {kind}"
            );
            assert!(!body.is_empty(), "{asset}");
        }
    }
}

#[actix_web::test]
async fn no_page_or_asset_served_points_at_another_host() {
    let app = spawn_app(Engine::Sqlite).await;
    // Every embedded file, fetched over HTTP as a browser would: the two pages where they are
    // served (`/` and `/graphql`), the rest under `/assets/`.
    let served: Vec<(&str, &str)> = taizhang::http::console::paths()
        .map(|p| match p {
            "/index.html" => ("/", "text/html"),
            "/graphiql.html" => ("/graphql", "text/html"),
            other => {
                assert!(other.starts_with("/assets/"), "{other} is embedded but never served");
                (other, "*/*")
            }
        })
        .collect();
    let mut scanned = 0;
    for (path, accept) in &served {
        let (status, _, body) = get(&app, path, accept).await;
        assert_eq!(status, 200, "{path}");
        let Ok(text) = String::from_utf8(body) else {
            continue; // fonts
        };
        scanned += 1;
        let foreign = foreign_urls(&text);
        assert!(foreign.is_empty(), "{path} points at other hosts: {foreign:?}");
    }
    // The console's and GraphiQL's pages, scripts, style sheets and workers.
    assert!(scanned >= 8, "only {scanned} text files scanned");
}
