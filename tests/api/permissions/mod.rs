//! The permission matrix of docs/permissions.md, checked cell by cell against a running server:
//! every query and mutation of the served schema, anonymously and for each role held on the
//! target's subtree, on another subtree and on the whole tree. A new operation without a row in
//! the document, or without a sample request here, fails the test.
//!
//! In four parts: this file (the matrix as documented, the served operations, the one test
//! that compares them cell by cell), `world` (the units, people and objects the samples act
//! on), `samples` (one request per operation) and `scenarios` (whole stories: disclosure,
//! cooperating units, bounded administrators, the liaison and the supervisor).

mod samples;
mod scenarios;
mod world;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::helpers::TestApp;
use samples::{sample, Grant, Sample};
use world::{unique, World};

const ROLES: [&str; 5] = ["VIEWER", "EDITOR", "SUPERVISOR", "ADMIN", "DISCIPLINE"];
const SCOPES: [&str; 3] = ["in", "out", "all"];

/// The matrix as documented: operation → 16 outcomes (anonymous, then role × scope).
fn documented_matrix() -> BTreeMap<String, Vec<String>> {
    let doc = include_str!("../../../docs/permissions.md");
    let table = doc.split("## The matrix").nth(1).expect("a matrix section");
    let mut matrix = BTreeMap::new();
    for line in table.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let op = cells[0].trim_matches('`').to_owned();
        let mut outcomes = vec![cells[1].to_owned()];
        for cell in &cells[2..] {
            let parts: Vec<String> = cell.split('/').map(|s| s.trim().to_owned()).collect();
            assert_eq!(parts.len(), 3, "{op}: `{cell}` is not in / out / all");
            outcomes.extend(parts);
        }
        assert_eq!(outcomes.len(), 16, "{op}: expected anonymous and 5 roles");
        for o in &outcomes {
            assert!(
                ["ok", "hidden", "FORBIDDEN", "UNAUTHENTICATED"].contains(&o.as_str()),
                "{op}: unknown outcome {o}"
            );
        }
        assert!(matrix.insert(op.clone(), outcomes).is_none(), "{op} twice");
    }
    matrix
}

/// Every query and mutation the server serves, from introspection.
async fn served_operations(app: &TestApp) -> BTreeSet<String> {
    let data = app
        .ok(
            "{ __schema { queryType { fields { name } } mutationType { fields { name } } } }",
            json!({}),
        )
        .await;
    let mut ops = BTreeSet::new();
    for root in ["queryType", "mutationType"] {
        for f in data["__schema"][root]["fields"].as_array().unwrap() {
            ops.insert(f["name"].as_str().unwrap().to_owned());
        }
    }
    ops
}

/// The outcome of a request, in the matrix's words.
fn outcome(body: &Value, sample: &Sample) -> String {
    if let Some(error) = body["errors"].get(0) {
        return error["extensions"]["code"].as_str().unwrap_or("no code").to_owned();
    }
    match &sample.present {
        Some(present) if !present(&body["data"]) => "hidden".to_owned(),
        _ => "ok".to_owned(),
    }
}

/// (label, role and scope) of the 16 columns.
fn columns(w: &World) -> Vec<(String, Grant<'_>)> {
    let mut cols = vec![("anonymous".to_owned(), None)];
    for role in ROLES {
        for scope in SCOPES {
            let unit = match scope {
                "in" => Some(w.water.as_str()),
                "out" => Some(w.education.as_str()),
                _ => None,
            };
            cols.push((format!("{role} {scope}"), Some((role, unit))));
        }
    }
    cols
}

async fn every_operation_for_every_role_and_scope_is_as_documented(app: TestApp) {
    let documented = documented_matrix();
    let served = served_operations(&app).await;
    let doc_ops: BTreeSet<String> = documented.keys().cloned().collect();
    assert_eq!(
        served, doc_ops,
        "docs/permissions.md must have exactly one row per query and mutation of the schema"
    );
    let w = World::build(&app).await;
    let cols = columns(&w);
    // One account per column, reused; operations on one's own account log in afresh.
    let mut tokens: Vec<Option<String>> = vec![None];
    for (i, (_, grant)) in cols.iter().enumerate().skip(1) {
        tokens.push(Some(
            app.account(&format!("matrix.col{i}"), "矩阵测试", *grant, None).await,
        ));
    }
    let mut mismatches = Vec::new();
    let mut checked = 0;
    for (op, expected) in &documented {
        for (col, (label, grant)) in cols.iter().enumerate() {
            let sample = sample(&app, &w, op).await;
            let token = match (&tokens[col], sample.own_account) {
                (None, _) => None,
                (Some(_), true) => {
                    let username = unique("matrix.own");
                    Some(app.account(&username, "矩阵测试", *grant, None).await)
                }
                (Some(t), false) => Some(t.clone()),
            };
            let body = match (&token, sample.file) {
                (_, Some(content)) => {
                    let file = ("整改材料.pdf", "application/pdf", content);
                    let variables = sample.variables.clone();
                    app.post_file(token.as_deref(), &sample.query, variables, "variables.i.file", file)
                        .await
                        .1
                }
                (Some(t), None) => app.post_as(t, &sample.query, sample.variables.clone()).await.1,
                (None, None) => app.post_anonymous(&sample.query, sample.variables.clone()).await,
            };
            let got = outcome(&body, &sample);
            checked += 1;
            if got != expected[col] {
                mismatches.push(format!(
                    "{op} as {label}: documented {}, got {got}: {body}",
                    expected[col]
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {checked} cells differ from docs/permissions.md:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    assert_eq!(checked, documented.len() * 16);
    let verified = app.ok("{ verifyAudit { ok } }", json!({})).await;
    assert_eq!(verified["verifyAudit"]["ok"], true);
}

crate::on_both_engines!(every_operation_for_every_role_and_scope_is_as_documented);
