//! Introspection within the limits (issue 11): the standard introspection query of graphql-js,
//! which GraphiQL, graphql-codegen and Python's gql send, is answered, while queries that abuse
//! the depth or the size of a document are still refused.
//!
//! The fixtures are the exact text of `getIntrospectionQuery()` from the npm package graphql
//! 16.15.0, with its default options and with every option on.

use serde_json::{json, Value};

use crate::helpers::TestApp;

/// `getIntrospectionQuery()`: descriptions on, nine levels of `ofType`.
const STANDARD: &str = include_str!("fixtures/introspection_query.graphql");
/// `getIntrospectionQuery({descriptions, specifiedByUrl, directiveIsRepeatable,
/// schemaDescription, inputValueDeprecation, oneOf})`, all true.
const ALL_OPTIONS: &str = include_str!("fixtures/introspection_query_all_options.graphql");

fn type_named<'a>(data: &'a Value, name: &str) -> Option<&'a Value> {
    data["__schema"]["types"].as_array()?.iter().find(|t| t["name"] == name)
}

async fn the_standard_introspection_query_of_graphql_js_is_answered(app: TestApp) {
    for (label, text) in [("default options", STANDARD), ("every option", ALL_OPTIONS)] {
        let data = app.ok_anonymous(text, json!({})).await;
        assert_eq!(data["__schema"]["queryType"]["name"], "QueryRoot", "{label}");
        let measure = type_named(&data, "Measure").unwrap_or_else(|| panic!("{label}: no Measure"));
        let fields: Vec<&str> = measure["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert!(
            fields.contains(&"history") && fields.contains(&"deadline"),
            "{label}: {fields:?}"
        );
        // The nine ofType levels reach the named type of `[X!]!` and deeper wrappers.
        let status = measure["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "status")
            .unwrap();
        assert_eq!(status["type"]["ofType"]["name"], "MeasureStatus", "{label}: {status}");
    }
}

/// An introspection selection `levels` deep: `__schema { types { ofType { … name } } }`.
fn deep_introspection(levels: usize) -> String {
    let mut inner = String::from("name");
    for _ in 0..levels.saturating_sub(3) {
        inner = format!("ofType {{ {inner} }}");
    }
    format!("{{ __schema {{ types {{ {inner} }} }} }}")
}

async fn introspection_deeper_than_its_own_limit_is_refused(app: TestApp) {
    // 20 levels pass, 21 do not.
    app.ok_anonymous(&deep_introspection(20), json!({})).await;
    let err = app.err(&deep_introspection(21), json!({})).await;
    assert_eq!(err.code, "BAD_USER_INPUT");
    assert_eq!(err.message, "Query is nested too deep.");
}

async fn data_gets_no_deeper_limit_for_asking_introspection_too(app: TestApp) {
    // Twelve levels of data pass; thirteen are refused, even beside a deep introspection.
    let mut data = String::from("id");
    for _ in 0..8 {
        data = format!("parent {{ {data} }}");
    }
    let twelve = format!("units {{ edges {{ node {{ {data} }} }} }}");
    app.ok(&format!("{{ {twelve} }}"), json!({})).await;
    let thirteen = format!("units {{ edges {{ node {{ parent {{ {data} }} }} }} }}");
    let beside = deep_introspection(14);
    let beside = beside.trim_start_matches('{').trim_end_matches('}');
    let err = app.err(&format!("{{ {thirteen} {beside} }}"), json!({})).await;
    assert_eq!(err.message, "Query is nested too deep.");
    // A fragment on the query type spread at the root opens introspection as the field itself
    // does; data spread below an ordinary field stays data and keeps its limit.
    let q = |extra: &str| {
        format!(
            "{{ ...I units {{ edges {{ node {{ ...D }} }} }} }} fragment I on QueryRoot {{ {beside} }} \
             fragment D on Unit {{ {extra} {data} {close} }}",
            close = if extra.is_empty() { "" } else { "}" }
        )
    };
    app.ok(&q(""), json!({})).await;
    let err = app.err(&q("parent {"), json!({})).await;
    assert_eq!(err.message, "Query is nested too deep.");
}

async fn many_copies_of_the_introspection_query_are_refused(app: TestApp) {
    // One copy is answered (above); a hundred aliased copies of its largest part are refused by
    // the document guard before anything runs.
    let fragments = STANDARD.split_once("fragment FullType").map(|(_, rest)| rest).unwrap();
    let copies: String = (0..100)
        .map(|i| format!("s{i}: __schema {{ types {{ ...FullType }} }} "))
        .collect();
    let q = format!("{{ {copies} }} fragment FullType{fragments}");
    let (status, body) = app.post_as(&app.root_token(), &q, json!({})).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("once its fragments are expanded"),
        "{body}"
    );
}

crate::on_both_engines!(
    the_standard_introspection_query_of_graphql_js_is_answered,
    introspection_deeper_than_its_own_limit_is_refused,
    data_gets_no_deeper_limit_for_asking_introspection_too,
    many_copies_of_the_introspection_query_are_refused,
);
