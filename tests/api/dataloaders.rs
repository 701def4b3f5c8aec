use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_engines;

const PAGE: &str = "query($first: Int) { measures(first: $first) { totalCount edges { node { id title status overdue problem { code title status } leadUnit { name parent { name } } cooperatingUnits { name } responsibleLeader { name } responsiblePerson { name unit { name } } } } } }";

/// Statements the server ran for one page, less those every authenticated request runs
/// (looking up the bearer token, its account and its grants), measured with `{ __typename }`.
async fn statements_for(app: &TestApp, first: i64) -> (usize, usize) {
    let before = app.statements();
    app.ok("{ __typename }", json!({})).await;
    let per_request = app.statements() - before;
    let before = app.statements();
    let data = app.ok(PAGE, json!({"first": first})).await;
    let edges = data["measures"]["edges"].as_array().unwrap().len();
    (app.statements() - before - per_request, edges)
}

async fn a_page_of_measures_with_its_links_costs_a_fixed_number_of_statements(app: TestApp) {
    let f = app.fixture().await;
    for p in 0..25 {
        let problem = app.create_problem(&f, &format!("A-{p:03}"), &f.water, "MEDIUM").await;
        for (i, lead) in [&f.water, &f.water_division, &f.education, &f.county]
            .into_iter()
            .enumerate()
        {
            let coop: Vec<&str> = [&f.water, &f.water_division, &f.education, &f.county]
                .into_iter()
                .filter(|u| *u != lead)
                .take(1 + i % 3)
                .map(String::as_str)
                .collect();
            app.create_measure(&f, &problem, lead, &coop, "2026-07-31").await;
        }
    }
    // Each kind of link is one batched query per resolution round. How the rounds of the
    // different loaders coincide depends on timing (on a loaded machine a round can split in
    // two), so the fewest statements of three tries is held to the structural bound and every
    // try to a looser one; both are bounded by the number of link kinds, never by the number
    // of rows (without loaders, 100 rows cost 500+). Milestones count too: `overdue` and the
    // problem's status read them (one batch each).
    const BOUND: usize = 12;
    const BOUND_UNDER_LOAD: usize = 30;
    for first in [1, 5, 40, 100] {
        let mut tries = Vec::new();
        for _ in 0..3 {
            let (statements, edges) = statements_for(&app, first).await;
            assert_eq!(edges, first as usize);
            tries.push(statements);
        }
        eprintln!("SQL statements for a page of {first} measures with their links: {tries:?}");
        let fewest = *tries.iter().min().unwrap();
        let most = *tries.iter().max().unwrap();
        assert!(
            fewest <= BOUND,
            "a page of {first} measures took at least {fewest} statements ({tries:?})"
        );
        assert!(
            most <= BOUND_UNDER_LOAD,
            "a page of {first} measures took up to {most} statements ({tries:?})"
        );
    }
}

on_both_engines!(a_page_of_measures_with_its_links_costs_a_fixed_number_of_statements);
