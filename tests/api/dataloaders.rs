use serde_json::json;

use crate::helpers::TestApp;
use crate::on_both_engines;

const PAGE: &str = "query($first: Int) { measures(first: $first) { totalCount edges { node { id title status overdue problem { code title status } leadUnit { name parent { name } } cooperatingUnits { name } responsibleLeader { name } responsiblePerson { name unit { name } } } } } }";

/// Statements the server ran for one request.
async fn statements_for(app: &TestApp, first: i64) -> (usize, usize) {
    let before = app.statements();
    let data = app.ok(PAGE, json!({"first": first})).await;
    let edges = data["measures"]["edges"].as_array().unwrap().len();
    (app.statements() - before, edges)
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
    // Each kind of link is one batched query per resolution round; how rounds coincide depends
    // on timing, so the count may differ by one between runs, but it is bounded by the number
    // of link kinds, never by the number of rows (without loaders, 100 rows cost 500+).
    const BOUND: usize = 10;
    for first in [1, 5, 40, 100] {
        let (statements, edges) = statements_for(&app, first).await;
        assert_eq!(edges, first as usize);
        eprintln!("SQL statements for a page of {first} measures with their links: {statements}");
        assert!(
            statements <= BOUND,
            "a page of {first} measures took {statements} statements"
        );
    }
}

on_both_engines!(a_page_of_measures_with_its_links_costs_a_fixed_number_of_statements);
