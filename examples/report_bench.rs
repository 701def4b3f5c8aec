//! Times the reports on a large ledger: builds N measures (default 10 000, about ten audit
//! events each) through the domain services into a fresh database, then runs `ledgerStats` and
//! `unitRanking` now and as of the end of loading, the Excel export now and the CSV export as
//! of the end, and a bulletin as of the end, R times each, and prints the medians. A SQLite file
//! it created itself is removed at the end.
//!
//!     cargo run --release --example report_bench -- [DATABASE_URL]
//!
//! Settings: BENCH_MEASURES (10000), BENCH_RUNS (5). The default database is a new SQLite file
//! under /tmp. See bench/README.md and bench/reports.sh.

use std::sync::Arc;
use std::time::Instant;

use chrono::Duration;
use entity::enums::{
    CampaignPhase, MeasureStatus, ProblemSource, RectificationKind, ResponsibilityLevel, Severity, UnitKind,
};
use taizhang::domain::access::Access;
use taizhang::domain::clock::SystemClock;
use taizhang::domain::context::{Actor, RequestContext};
use taizhang::domain::lifecycle::{self, Command, Verb};
use taizhang::domain::reporting::bulletins::{self, NewBulletin};
use taizhang::domain::reporting::export::{self, csv, xlsx, ExportFilter};
use taizhang::domain::reporting::ranking::{self, Weights};
use taizhang::domain::reporting::stats::{self, StatsFilter};
use taizhang::domain::{
    ledger::campaigns, ledger::measures, ledger::milestones, ledger::problems, org::people, org::units, Ledger,
};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

async fn step(
    ledger: &Ledger,
    actor: &RequestContext,
    id: uuid::Uuid,
    version: i32,
    verb: Verb,
) -> Result<lifecycle::Outcome, taizhang::domain::error::DomainError> {
    let command = Command {
        percent: Some(50),
        text: Some("推进中".into()),
        ..Default::default()
    };
    lifecycle::apply(ledger, actor, id, version, verb, command).await
}

/// Meets the close-out gate: 100 % reported and a completion report attached; the new version.
async fn complete(
    ledger: &Ledger,
    actor: &RequestContext,
    id: uuid::Uuid,
    version: i32,
) -> Result<i32, taizhang::domain::error::DomainError> {
    let command = Command {
        percent: Some(100),
        text: Some("整改完成".into()),
        ..Default::default()
    };
    let done = lifecycle::apply(ledger, actor, id, version, Verb::ReportProgress, command).await?;
    let report = lifecycle::evidence::NewEvidence {
        measure_id: id,
        file_name: "整改完成情况报告.txt".into(),
        media_type: Some("text/plain".into()),
        content: bytes::Bytes::from_static("整改完成情况报告".as_bytes()),
        description: None,
    };
    lifecycle::evidence::upload(ledger, actor, report).await?;
    Ok(done.measure.version)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n = env("BENCH_MEASURES", 10_000);
    let runs = env("BENCH_RUNS", 5).max(1);
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| format!("sqlite:///tmp/taizhang-report-bench-{}.db?mode=rwc", std::process::id()));
    let db = taizhang::db::connect(&url, 8).await?;
    taizhang::db::migrate(&db).await?;
    let ledger = Ledger::new(db, Arc::new(SystemClock));
    let ctx = RequestContext::system(Some("bench".to_owned()));
    let verifier = RequestContext {
        actor: Actor {
            id: "bench-verifier".to_owned(),
            display_name: "督查组（压测）".to_owned(),
        },
        request_id: Some("bench".to_owned()),
        session: None,
        access: Access::System,
    };
    let e = |e: taizhang::domain::error::DomainError| anyhow::anyhow!("{e}");

    let started = Instant::now();
    let county = units::create(
        &ledger,
        &ctx,
        units::NewUnit {
            name: "青山县".into(),
            short_code: "QS".into(),
            kind: UnitKind::Committee,
            parent_id: None,
            sort_order: None,
            ranking_category: None,
        },
    )
    .await
    .map_err(e)?;
    let mut unit_ids = Vec::new();
    let mut person_ids = Vec::new();
    for u in 0..50 {
        let unit = units::create(
            &ledger,
            &ctx,
            units::NewUnit {
                name: format!("县直单位{u:02}"),
                short_code: format!("QS-{u:02}"),
                kind: UnitKind::Department,
                parent_id: Some(county.id),
                sort_order: Some(u),
                ranking_category: Some("县直部门".into()),
            },
        )
        .await
        .map_err(e)?;
        let person = people::create(
            &ledger,
            &ctx,
            people::NewPerson {
                name: format!("责任人{u:02}"),
                unit_id: unit.id,
                position: Some("科长".into()),
                contact: None,
            },
        )
        .await
        .map_err(e)?;
        unit_ids.push(unit.id);
        person_ids.push(person.id);
    }
    let today = ledger.today();
    let campaign = campaigns::create(
        &ledger,
        &ctx,
        campaigns::NewCampaign {
            name: "压测活动".into(),
            description: None,
            phase: Some(CampaignPhase::Rectification),
            starts_on: today - Duration::days(200),
            ends_on: None,
            satisfaction_threshold_bp: None,
            close_out: campaigns::CloseOutRules::default(),
            acknowledge_within_days: None,
        },
    )
    .await
    .map_err(e)?;
    let mut problem_id = None;
    for i in 0..n {
        let unit = i % unit_ids.len();
        if i % 10 == 0 {
            let p = problems::create(
                &ledger,
                &ctx,
                problems::NewProblem {
                    campaign_id: campaign.id,
                    code: format!("P-{:05}", i / 10),
                    title: "压测问题".into(),
                    description: None,
                    category: "作风建设".into(),
                    source: ProblemSource::Forum,
                    source_detail: None,
                    found_on: today - Duration::days(100),
                    responsibility_level: ResponsibilityLevel::LeadershipTeam,
                    severity: Severity::Medium,
                    rectification_kind: RectificationKind::WithinDeadline,
                    root_cause: None,
                    lead_unit_id: unit_ids[unit],
                    disclosure: None,
                    repeats_problem_id: None,
                },
            )
            .await
            .map_err(e)?;
            problem_id = Some(p.id);
        }
        let Some(problem) = problem_id else { continue };
        let deadline = today + Duration::days((i % 120) as i64 - 60);
        let m = measures::create(
            &ledger,
            &ctx,
            measures::NewMeasure {
                problem_id: problem,
                title: format!("压测措施{i}"),
                description: None,
                acceptance_criteria: Some("按期完成，群众满意".into()),
                lead_unit_id: unit_ids[unit],
                cooperating_unit_ids: vec![unit_ids[(unit + 1) % unit_ids.len()]],
                responsible_leader_id: Some(person_ids[unit]),
                responsible_person_id: Some(person_ids[unit]),
                deadline,
                disclosure: None,
            },
        )
        .await
        .map_err(e)?;
        let step_id = milestones::add(&ledger, &ctx, m.id, "阶段任务", deadline - Duration::days(10))
            .await
            .map_err(e)?
            .id;
        let mut version = m.version;
        version = step(&ledger, &ctx, m.id, version, Verb::Start)
            .await
            .map_err(e)?
            .measure
            .version;
        version = step(&ledger, &ctx, m.id, version, Verb::ReportProgress)
            .await
            .map_err(e)?
            .measure
            .version;
        version = step(&ledger, &ctx, m.id, version, Verb::ReportProgress)
            .await
            .map_err(e)?
            .measure
            .version;
        if i % 10 < 7 {
            milestones::complete(&ledger, &ctx, step_id, 1, None).await.map_err(e)?;
            version = complete(&ledger, &ctx, m.id, version).await.map_err(e)?;
            version = step(&ledger, &ctx, m.id, version, Verb::Submit)
                .await
                .map_err(e)?
                .measure
                .version;
            let done = step(&ledger, &verifier, m.id, version, Verb::Pass).await.map_err(e)?;
            debug_assert_eq!(done.measure.status, MeasureStatus::Closed);
        }
        if (i + 1) % 1000 == 0 {
            eprintln!("{} measures loaded ({:.0} s)", i + 1, started.elapsed().as_secs_f64());
        }
    }
    let head = taizhang::audit::read_head(&ledger.db)
        .await
        .map_err(|err| e(err.into()))?;
    let load_secs = started.elapsed().as_secs_f64();
    println!(
        "ledger: {n} measures, {} audit events, loaded in {load_secs:.1} s ({url})",
        head.seq
    );
    let end = ledger.now();
    let filter = StatsFilter {
        campaign_id: Some(campaign.id),
        unit_id: None,
    };
    let mut timings: Vec<(&str, Vec<f64>)> = vec![
        ("ledgerStats now", vec![]),
        ("ledgerStats asOf end", vec![]),
        ("unitRanking now", vec![]),
        ("unitRanking asOf end", vec![]),
        ("ledger.xlsx now", vec![]),
        ("ledger.csv asOf end", vec![]),
        ("bulletin asOf end", vec![]),
    ];
    let mut files = (0, 0, 0, 0);
    let mut check = None;
    for _ in 0..runs {
        let t = Instant::now();
        let live = stats::stats(
            &stats::snapshot(&ledger, &Access::System, &filter, None)
                .await
                .map_err(e)?,
        );
        timings[0].1.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let replayed = stats::stats(
            &stats::snapshot(&ledger, &Access::System, &filter, Some(end))
                .await
                .map_err(e)?,
        );
        timings[1].1.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        ranking::unit_ranking(&ledger, &Access::System, campaign.id, None, Some(Weights::default()), 3)
            .await
            .map_err(e)?;
        timings[2].1.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        ranking::unit_ranking(
            &ledger,
            &Access::System,
            campaign.id,
            Some(end),
            Some(Weights::default()),
            3,
        )
        .await
        .map_err(e)?;
        timings[3].1.push(t.elapsed().as_secs_f64() * 1000.0);
        let everything = ExportFilter {
            campaign_id: Some(campaign.id),
            ..Default::default()
        };
        let t = Instant::now();
        let mut rows = export::open(&ledger, &Access::System, everything.clone())
            .await
            .map_err(e)?;
        let title = export::title(&ledger, &everything).await.map_err(e)?;
        let mut sheet = xlsx::Sheet::new(&title).map_err(e)?;
        while let Some(page) = rows.next_page(&ledger).await.map_err(e)? {
            sheet.append(&page).map_err(e)?;
        }
        let written = sheet.rows();
        let mut file = tempfile::tempfile()?;
        sheet.finish(&mut file).map_err(e)?;
        timings[4].1.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let as_of = ExportFilter {
            as_of: Some(end),
            ..everything
        };
        let mut rows = export::open(&ledger, &Access::System, as_of).await.map_err(e)?;
        let mut csv_bytes = 0;
        while let Some(page) = rows.next_page(&ledger).await.map_err(e)? {
            csv_bytes += csv::lines(&page).len();
        }
        timings[5].1.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let today = taizhang::domain::clock::date_of(end);
        let bulletin = bulletins::generate(
            &ledger,
            &ctx,
            NewBulletin {
                campaign_id: campaign.id,
                from: today - Duration::days(14),
                to: today,
                as_of: Some(end),
                bottom: 3,
                disclosure: None,
            },
        )
        .await
        .map_err(e)?;
        timings[6].1.push(t.elapsed().as_secs_f64() * 1000.0);
        files = (written, file.metadata()?.len(), csv_bytes, bulletin.markdown.len());
        check = Some((
            live.total,
            live.closed,
            live.overdue,
            replayed.total,
            replayed.closed,
            replayed.overdue,
        ));
    }
    if let Some((t, c, o, rt, rc, ro)) = check {
        println!("figures: total {t}, closed {c}, overdue {o}; as of the end: total {rt}, closed {rc}, overdue {ro}");
        anyhow::ensure!(
            (t, c, o) == (rt, rc, ro),
            "the replayed report differs from the live one"
        );
    }
    println!(
        "files: the workbook has {} rows in {} bytes; the CSV as of the end has {} bytes; the bulletin {} bytes of Markdown",
        files.0, files.1, files.2, files.3
    );
    for (name, xs) in timings {
        let min = xs.iter().copied().fold(f64::INFINITY, f64::min);
        println!(
            "{name:<22} median {:>8.1} ms  (min {min:.1} ms, {runs} runs)",
            median(xs)
        );
    }
    if let Some(path) = url.strip_prefix("sqlite://").and_then(|p| p.split('?').next()) {
        if std::env::args().nth(1).is_none() {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{path}{suffix}"));
            }
        }
    }
    Ok(())
}
