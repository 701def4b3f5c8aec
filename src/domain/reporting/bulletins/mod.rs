//! Bulletins (通报): the document a supervisor issues for a period of a campaign — the state of
//! the ledger, the units and responsible people with overdue items named (点单位、点姓名), the
//! unit ranking with the lowest flagged for a talk (排后约谈), satisfaction results, supervision
//! issued in the period, and the audit checkpoint (seq and hash) it was computed at. The figures
//! come from the audit trail as of an instant, so the same bulletin can be produced again; the
//! generated text is stored as it was issued, in Markdown and HTML, and never changed.

pub mod document;

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, SubsecRound, Utc};
use entity::enums::{AccountabilityKind, Disclosure, SupervisionKind};
use entity::{audit_event, bulletin, campaign, person, satisfaction_survey as survey, unit};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::audit::Change;
use crate::domain::access::{Access, Operation, Target};
use crate::domain::context::RequestContext;
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::labels::Labelled;
use crate::domain::ledger::overdue::{self, Missed};
use crate::domain::ledger::{receipts, rhythms};
use crate::domain::reporting::ranking::{self, Ranking, UnitRank, Weights};
use crate::domain::reporting::stats::{self, LedgerStats, Snapshot, StatsFilter};
use crate::domain::snapshot::snapshot;
use crate::domain::{
    accountability, clock, intake, ledger::campaigns, ledger::milestones, org::units, supervision, Ledger,
};
use document::Document;

pub const ENTITY: &str = "Bulletin";

/// The longest period one bulletin covers.
pub const MAX_PERIOD_DAYS: i64 = 366;

/// Units flagged for a talk by default, as in `unitRanking`.
pub const DEFAULT_BOTTOM: usize = 3;

/// What to generate.
#[derive(Debug, Clone)]
pub struct NewBulletin {
    pub campaign_id: Uuid,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Default: the end of `to`, or now if that is later than now.
    pub as_of: Option<DateTime<Utc>>,
    /// How many of the lowest-ranked units are flagged (排后约谈).
    pub bottom: usize,
    /// INTERNAL (default: every account reads it) or PUBLIC (anyone reads its public edition).
    pub disclosure: Option<Disclosure>,
}

/// Which edition a document is written for: the full one circulated to accounts, or the
/// public one (公开版), which names units but no person and no internal item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edition {
    Full,
    Public,
}

pub async fn get<C: sea_orm::ConnectionTrait>(db: &C, id: Uuid) -> DomainResult<Option<bulletin::Model>> {
    Ok(bulletin::Entity::find_by_id(id).one(db).await?)
}

/// A bulletin: any, for a logged-in account (bulletins are circulated to every account); a
/// PUBLIC one without login.
pub async fn read(ledger: &Ledger, access: &Access, id: Uuid) -> DomainResult<Option<bulletin::Model>> {
    Ok(bulletin::Entity::find_by_id(id)
        .filter(access.bulletin_condition())
        .one(&ledger.db)
        .await?)
}

/// The bulletins of a campaign (or all), newest first, at most `first`.
pub async fn list(
    ledger: &Ledger,
    access: &Access,
    campaign_id: Option<Uuid>,
    first: u64,
) -> DomainResult<Vec<bulletin::Model>> {
    let mut query = bulletin::Entity::find().filter(access.bulletin_condition());
    if let Some(c) = campaign_id {
        query = query.filter(bulletin::Column::CampaignId.eq(c));
    }
    Ok(query
        .order_by_desc(bulletin::Column::CreatedAt)
        .order_by_desc(bulletin::Column::Id)
        .limit(first)
        .all(&ledger.db)
        .await?)
}

/// The period in words: a half month (上半月 / 下半月), a month, or the two dates.
pub fn period_label(from: NaiveDate, to: NaiveDate) -> String {
    let (y, m) = if from.month() == 12 {
        (from.year() + 1, 1)
    } else {
        (from.year(), from.month() + 1)
    };
    let month_end = NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|first| first.pred_opt())
        .unwrap_or(from);
    let ym = format!("{}年{}月", from.year(), from.month());
    match (from.day(), to) {
        (1, to) if Some(to) == from.with_day(15) => format!("{ym}上半月"),
        (16, to) if to == month_end => format!("{ym}下半月"),
        (1, to) if to == month_end => ym,
        _ => format!("{}至{}", cn_date(from), cn_date(to)),
    }
}

fn cn_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn percent(bp: Option<i64>) -> String {
    match bp {
        Some(bp) => format!("{}.{:02}%", bp / 100, bp % 100),
        None => "—".to_owned(),
    }
}

/// Checks the period and the instant; the instant defaults to the end of the period or now.
fn check_period(ledger: &Ledger, input: &NewBulletin) -> DomainResult<DateTime<Utc>> {
    if input.to < input.from {
        return Err(DomainError::invalid(
            "period.to",
            "period.to must not be before period.from",
        ));
    }
    if (input.to - input.from).num_days() >= MAX_PERIOD_DAYS {
        return Err(DomainError::invalid(
            "period.to",
            format!("a bulletin covers at most {MAX_PERIOD_DAYS} days"),
        ));
    }
    let now = ledger.now();
    if input.from > ledger.today() {
        return Err(DomainError::invalid(
            "period.from",
            "period.from must not be after today",
        ));
    }
    // Microseconds, as the database keeps instants.
    let as_of = input
        .as_of
        .unwrap_or_else(|| clock::end_of_day(input.to).min(now))
        .trunc_subsecs(6);
    if as_of > now {
        return Err(DomainError::invalid("asOf", "asOf must not be in the future"));
    }
    if as_of < clock::start_of_day(input.from) {
        return Err(DomainError::invalid(
            "asOf",
            "asOf must not be before the period starts",
        ));
    }
    ranking::check_arguments(&Weights::default(), input.bottom)?;
    Ok(as_of)
}

/// Generates, stores and returns the bulletin (SUPERVISOR on the whole tree: it names units
/// across the county). Audited as `bulletin.generate`.
#[tracing::instrument(skip_all, fields(campaign_id = %input.campaign_id))]
pub async fn generate(ledger: &Ledger, ctx: &RequestContext, input: NewBulletin) -> DomainResult<bulletin::Model> {
    ctx.access.require(Operation::Supervise, Target::WholeTree)?;
    let as_of = check_period(ledger, &input)?;
    let disclosure = check_disclosure(input.disclosure.unwrap_or_default())?;
    let campaign = campaign_existing_at(ledger, input.campaign_id, as_of).await?;
    let figures = Figures::as_of(ledger, &ctx.access, &campaign, as_of, input.bottom).await?;
    // The campaign's name and survey threshold as they were.
    let campaign = figures.then.campaigns.get(&campaign.id).cloned().unwrap_or(campaign);
    let title = format!(
        "{}整改工作通报（{}）",
        campaign.name,
        period_label(input.from, input.to)
    );
    let mut doc = write_document(ledger, &input, &campaign, &figures, title.clone(), Edition::Full).await?;
    let mut public = write_document(ledger, &input, &campaign, &figures, title.clone(), Edition::Public).await?;
    // The number is taken inside the write, under the audit head's lock: two generations one
    // after the other get consecutive numbers (the unique index backs it).
    let w = ledger.write(ctx).await?;
    let issue_number = next_issue_number(w.tx(), campaign.id).await?;
    doc.issue = Some(format!("第{issue_number}期"));
    public.issue = Some(format!("第{issue_number}期（公开版）"));
    let checkpoint = figures.checkpoint;
    let row = bulletin::Model {
        id: Uuid::now_v7(),
        campaign_id: campaign.id,
        period_from: input.from,
        period_to: input.to,
        title,
        issue_number,
        as_of,
        audit_seq: checkpoint.seq,
        audit_hash: checkpoint.hash,
        markdown: doc.markdown(),
        html: doc.html(),
        disclosure,
        public_markdown: Some(public.markdown()),
        public_html: Some(public.html()),
        generated_by: ctx.actor.display_name.clone(),
        created_at: w.now(),
    };
    let saved = w.insert_record(ENTITY, "bulletin.generate", row).await?;
    w.commit().await?;
    Ok(saved)
}

/// A bulletin is INTERNAL (circulated to every account) or PUBLIC; SYSTEM would add nobody.
fn check_disclosure(d: Disclosure) -> DomainResult<Disclosure> {
    if d == Disclosure::System {
        return Err(DomainError::invalid(
            "disclosure",
            "a bulletin is INTERNAL (every account reads it) or PUBLIC (anyone reads its public edition); SYSTEM adds nobody",
        ));
    }
    Ok(d)
}

/// Publishes a bulletin's public edition, or withdraws it (公示; SUPERVISOR on the whole tree, as
/// generating). An audited change of the bulletin's disclosure; its text never changes.
#[tracing::instrument(skip_all, fields(bulletin_id = %id))]
pub async fn disclose(
    ledger: &Ledger,
    ctx: &RequestContext,
    id: Uuid,
    disclosure: Disclosure,
) -> DomainResult<bulletin::Model> {
    ctx.access.require(Operation::Disclose, Target::WholeTree)?;
    let disclosure = check_disclosure(disclosure)?;
    let w = ledger.write(ctx).await?;
    let current = get(w.tx(), id)
        .await?
        .ok_or_else(|| DomainError::not_found(ENTITY, id))?;
    if disclosure == Disclosure::Public && current.public_markdown.is_none() {
        return Err(DomainError::invalid(
            "id",
            "this bulletin was generated before public editions existed; generate it again to publish it",
        ));
    }
    if current.disclosure == disclosure {
        return Ok(current);
    }
    let next = bulletin::Model {
        disclosure,
        ..current.clone()
    };
    let saved = bulletin::Entity::update(next.into_active_model().reset_all())
        .exec(w.tx())
        .await?;
    let change = Change {
        action: "bulletin.disclose",
        entity_type: ENTITY,
        entity_id: id,
        before: Some(snapshot(&current)?),
        after: Some(snapshot(&saved)?),
        reason: None,
    };
    w.record_change(change).await?;
    w.commit().await?;
    Ok(saved)
}

/// The campaign's next issue number (第N期): one more than its last bulletin's, 1 for the first.
async fn next_issue_number<C: sea_orm::ConnectionTrait>(db: &C, campaign_id: Uuid) -> DomainResult<i32> {
    let last: Option<Option<i32>> = bulletin::Entity::find()
        .select_only()
        .column_as(bulletin::Column::IssueNumber.max(), "last")
        .filter(bulletin::Column::CampaignId.eq(campaign_id))
        .into_tuple()
        .one(db)
        .await?;
    Ok(last.flatten().unwrap_or(0) + 1)
}

/// The campaign, which must exist and have been created by the bulletin's instant.
async fn campaign_existing_at(ledger: &Ledger, id: Uuid, as_of: DateTime<Utc>) -> DomainResult<campaign::Model> {
    let campaign = campaigns::get(&ledger.db, id)
        .await?
        .ok_or_else(|| DomainError::invalid("campaignId", format!("campaignId: campaign {id} does not exist")))?;
    if campaign.created_at > as_of {
        return Err(DomainError::invalid("asOf", "asOf is before the campaign was created"));
    }
    Ok(campaign)
}

/// What a bulletin is computed from, all as of its instant.
struct Figures {
    snapshot: Snapshot,
    stats: LedgerStats,
    /// The last audit event the figures include.
    checkpoint: audit_event::Model,
    then: Names,
    ranking: Ranking,
}

impl Figures {
    async fn as_of(
        ledger: &Ledger,
        access: &Access,
        campaign: &campaign::Model,
        as_of: DateTime<Utc>,
        bottom: usize,
    ) -> DomainResult<Self> {
        let filter = StatsFilter {
            campaign_id: Some(campaign.id),
            unit_id: None,
        };
        let snapshot = stats::snapshot(ledger, access, &filter, Some(as_of)).await?;
        let stats = stats::stats(&snapshot);
        let checkpoint = crate::audit::query::get(&ledger.db, snapshot.audit_seq)
            .await?
            .ok_or_else(|| DomainError::invalid("asOf", "asOf is before the first audit event"))?;
        let then = Names::as_of(ledger, as_of).await?;
        // The campaign's ranking weights as they stood at the instant.
        let rules = ranking::Rules::of(campaign.id, then.campaigns.get(&campaign.id), None);
        let ranking = ranking::rank_snapshot(ledger, access, &snapshot, &rules, bottom, &then.units).await?;
        Ok(Self {
            snapshot,
            stats,
            checkpoint,
            then,
            ranking,
        })
    }
}

/// The bulletin's text: its heading paragraph and its seven sections.
async fn write_document(
    ledger: &Ledger,
    input: &NewBulletin,
    campaign: &campaign::Model,
    figures: &Figures,
    title: String,
    edition: Edition,
) -> DomainResult<Document> {
    let as_of = figures.snapshot.as_of;
    let mut doc = Document::new(title);
    doc.paragraph(format!(
        "通报期间：{}至{}。统计截至：{}（北京时间）。",
        cn_date(input.from),
        cn_date(input.to),
        clock::local_time(as_of).format("%Y-%m-%d %H:%M:%S")
    ));
    overview(&mut doc, &figures.stats, &figures.snapshot, input.from, input.to);
    match edition {
        Edition::Full => overdue_items(&mut doc, &figures.snapshot, &figures.then),
        Edition::Public => overdue_units(&mut doc, &figures.snapshot, &figures.then),
    }
    missed_reports(ledger, &mut doc, campaign.id, figures, (input.from, input.to)).await?;
    late_acknowledgements(ledger, &mut doc, campaign.id, figures, (input.from, input.to)).await?;
    let latest = latest_surveys(ledger, campaign, as_of, edition).await?;
    let rate_shown = |unit: Uuid| edition == Edition::Full || latest.contains_key(&unit);
    ranking_table(&mut doc, &figures.ranking, &figures.then, &rate_shown);
    satisfaction(&mut doc, campaign, &latest, &figures.then, edition);
    // Supervision of the period: from its first day to its end, or to the instant if earlier.
    let period_end = clock::end_of_day(input.to).min(as_of);
    supervision(
        ledger,
        &mut doc,
        campaign.id,
        clock::start_of_day(input.from),
        period_end,
    )
    .await?;
    let held = accountability::of_campaign_at(
        &ledger.db,
        &Access::System,
        campaign.id,
        Some(clock::start_of_day(input.from)),
        period_end,
    )
    .await?;
    accountability_section(&mut doc, &held, &figures.ranking, &figures.then, edition);
    checkpoint_section(&mut doc, &figures.checkpoint);
    Ok(doc)
}

/// Section 二's last paragraph under a reporting rhythm (as the campaign stood at the
/// instant): the units whose progress reports fell due in the period, by the instant, and were
/// not filed by their due day (点单位, in both editions). No rhythm: no paragraph.
async fn missed_reports(
    ledger: &Ledger,
    doc: &mut Document,
    campaign_id: Uuid,
    figures: &Figures,
    (from, to): (NaiveDate, NaiveDate),
) -> DomainResult<()> {
    let Some(campaign) = figures.then.campaigns.get(&campaign_id) else {
        return Ok(());
    };
    let Some(rhythms) = rhythms::Rhythms::of(campaign) else {
        return Ok(());
    };
    let as_of = figures.snapshot.as_of;
    let book = rhythms::report_book(&ledger.db, campaign_id, as_of).await?;
    let calendar = crate::domain::org::calendar::load(&ledger.db).await?;
    let dues = rhythms::Dues {
        rhythms: &rhythms,
        ends_on: campaign.ends_on,
        tree: &figures.then.units,
        calendar: &calendar,
        book: &book,
    };
    let until = to.min(rhythms::judged_until(as_of));
    let rows: Vec<rhythms::MissedReport> = figures
        .snapshot
        .facts
        .iter()
        .flat_map(|f| dues.missed_by(&f.row, from - chrono::Duration::days(1), until))
        .collect();
    if rows.is_empty() {
        doc.paragraph("进展报送：通报期间应报送的整改进展均已按时报送。");
        return Ok(());
    }
    let mut units = crate::domain::reporting::reports_due::count_by_unit(&rows);
    units.sort_by_key(|(unit, count)| (std::cmp::Reverse(*count), figures.then.unit_order(*unit)));
    let named: Vec<String> = units
        .iter()
        .map(|(unit, count)| format!("{}{count}次", figures.then.unit(*unit)))
        .collect();
    doc.paragraph(format!(
        "进展报送：通报期间应报送的整改进展中，{}个单位共{}次未按时报送：{}。请相关单位按规定时间报送进展。",
        units.len(),
        rows.len(),
        named.join("、")
    ));
    Ok(())
}

/// Section 二's paragraph on 签收 when the campaign sets a time limit (as it stood at the
/// instant): the units whose assignments fell due in the period, by the instant, and were not
/// acknowledged by their due day (点单位, in both editions).
async fn late_acknowledgements(
    ledger: &Ledger,
    doc: &mut Document,
    campaign_id: Uuid,
    figures: &Figures,
    (from, to): (NaiveDate, NaiveDate),
) -> DomainResult<()> {
    let limited = figures
        .then
        .campaigns
        .get(&campaign_id)
        .is_some_and(|c| c.acknowledge_within_days.is_some());
    if !limited {
        return Ok(());
    }
    let as_of = figures.snapshot.as_of;
    let until = to.min(rhythms::judged_until(as_of));
    let late: Vec<_> = receipts::late_in_campaign(&ledger.db, campaign_id, until, as_of)
        .await?
        .into_iter()
        .filter(|r| r.due_on.is_some_and(|d| d >= from))
        .collect();
    if late.is_empty() {
        doc.paragraph("签收情况：通报期间交办的整改任务和督办事项均已按时签收。");
        return Ok(());
    }
    let mut counts: HashMap<Uuid, i64> = HashMap::new();
    for r in &late {
        *counts.entry(r.unit_id).or_default() += 1;
    }
    let mut units: Vec<(Uuid, i64)> = counts.into_iter().collect();
    units.sort_by_key(|(unit, count)| (std::cmp::Reverse(*count), figures.then.unit_order(*unit)));
    let named: Vec<String> = units
        .iter()
        .map(|(unit, count)| format!("{}{count}项", figures.then.unit(*unit)))
        .collect();
    doc.paragraph(format!(
        "签收情况：通报期间交办的整改任务和督办事项中，{}个单位共{}项未在规定时限内签收：{}。请相关单位及时签收、落实责任。",
        units.len(),
        late.len(),
        named.join("、")
    ));
    Ok(())
}

fn checkpoint_section(doc: &mut Document, checkpoint: &audit_event::Model) {
    doc.heading("七、审计校验点");
    doc.paragraph(format!(
        "本通报依据审计日志第 {} 条事件生成，该事件哈希值为 {}。任何人均可通过 verifyCheckpoint(seq: {}, hash: \"{}\") 核验审计日志仍通向该校验点、未被篡改。",
        checkpoint.seq, checkpoint.hash, checkpoint.seq, checkpoint.hash
    ));
}

/// Units, people and campaigns as they stood at the bulletin's instant, from the audit trail,
/// so that the bulletin generated again as of the same instant names them the same way.
struct Names {
    units: HashMap<Uuid, unit::Model>,
    people: HashMap<Uuid, person::Model>,
    campaigns: HashMap<Uuid, campaign::Model>,
}

impl Names {
    async fn as_of(ledger: &Ledger, as_of: DateTime<Utc>) -> DomainResult<Self> {
        let (mut at, _) = stats::replay_entities(ledger, as_of, &["Unit", "Person", "Campaign"]).await?;
        let mut take = |kind: &str| at.remove(kind).unwrap_or_default();
        Ok(Self {
            units: stats::models(take("Unit"), "unit")?,
            people: stats::models(take("Person"), "person")?,
            campaigns: stats::models(take("Campaign"), "campaign")?,
        })
    }

    /// The unit's name then, a division with its department's (县水利局办公室).
    fn unit(&self, id: Uuid) -> String {
        self.units
            .get(&id)
            .map(|u| units::full_name(u, u.parent_id.and_then(|p| self.units.get(&p))))
            .unwrap_or_default()
    }

    /// Where a unit sorts: the tree's order, then its name.
    fn unit_order(&self, id: Uuid) -> (i32, String) {
        self.units
            .get(&id)
            .map(|u| (u.sort_order, u.name.clone()))
            .unwrap_or_default()
    }

    fn person(&self, id: Option<Uuid>) -> String {
        id.and_then(|i| self.people.get(&i))
            .map(|p| p.name.clone())
            .unwrap_or_else(|| "—".to_owned())
    }
}

fn overview(doc: &mut Document, s: &LedgerStats, snapshot: &Snapshot, from: NaiveDate, to: NaiveDate) {
    doc.heading("一、总体情况");
    doc.paragraph(format!(
        "截至统计时点，本次活动共有整改措施 {} 项（不含已撤销），已销号 {} 项，完成率 {}；其中按期完成 {} 项、逾期完成 {} 项，按期完成率 {}。正在整改 {} 项，待验收 {} 项，待启动 {} 项，长期坚持 {} 项；逾期未完成 {} 项。",
        s.total,
        s.closed,
        percent(s.completion_rate_bp),
        s.closed_on_time,
        s.closed_late,
        percent(s.on_time_rate_bp),
        s.in_progress,
        s.submitted,
        s.pending,
        s.long_term,
        s.overdue
    ));
    let live = snapshot
        .facts
        .iter()
        .filter(|f| f.row.status != entity::enums::MeasureStatus::Cancelled);
    let closed_in_period = live
        .clone()
        .filter(|f| f.row.closed_on.is_some_and(|d| d >= from && d <= to))
        .count();
    let due_in_period = live.filter(|f| f.row.deadline >= from && f.row.deadline <= to).count();
    doc.paragraph(format!(
        "本期（{}至{}）销号 {} 项，本期到期 {} 项。",
        cn_date(from),
        cn_date(to),
        closed_in_period,
        due_in_period
    ));
}

/// 点单位、点姓名: every overdue measure with its lead unit and responsible people.
fn overdue_items(doc: &mut Document, snapshot: &Snapshot, then: &Names) {
    doc.heading("二、逾期未完成事项（点单位、点姓名）");
    let late = overdue_by_unit(snapshot, then);
    if late.is_empty() {
        doc.paragraph("截至统计时点，无逾期未完成事项。");
        return;
    }
    doc.paragraph(format!(
        "{}，予以通报：{}。请相关单位主要负责同志和责任人抓紧整改，说明原因并报送整改进展。",
        late_units_lead(&late, then),
        late_units(&late, then)
    ));
    let rows = late
        .iter()
        .enumerate()
        .map(|(i, (m, missed))| overdue_row(i + 1, m, missed, snapshot, then))
        .collect();
    doc.table(&OVERDUE_COLUMNS, rows);
}

/// The public edition's section 二: the units and their counts (点单位), no person and no item.
fn overdue_units(doc: &mut Document, snapshot: &Snapshot, then: &Names) {
    doc.heading("二、逾期未完成事项（点单位）");
    let late = overdue_by_unit(snapshot, then);
    if late.is_empty() {
        doc.paragraph("截至统计时点，无逾期未完成事项。");
        return;
    }
    doc.paragraph(format!(
        "{}：{}。（公开版不列具体事项和责任人。）",
        late_units_lead(&late, then),
        late_units(&late, then)
    ));
}

const OVERDUE_COLUMNS: [&str; 8] = [
    "序号",
    "牵头单位",
    "责任领导",
    "责任人",
    "问题编号",
    "整改措施",
    "逾期节点（到期日）",
    "逾期天数",
];

/// An overdue measure and what it missed first (its deadline or a milestone).
type Late<'a> = (&'a entity::measure::Model, Missed<'a>);

/// The overdue measures of the snapshot with what each missed first, in the units' order, then
/// oldest first.
fn overdue_by_unit<'a>(snapshot: &'a Snapshot, then: &Names) -> Vec<Late<'a>> {
    let today = clock::date_of(snapshot.as_of);
    let mut late: Vec<Late<'a>> = snapshot
        .facts
        .iter()
        .filter_map(|f| {
            let own = milestones::of(&snapshot.milestones, f.row.id);
            overdue::first_missed(&f.row, own, today).map(|missed| (&f.row, missed))
        })
        .collect();
    late.sort_by(|(a, a_missed), (b, b_missed)| {
        then.unit_order(a.lead_unit_id)
            .cmp(&then.unit_order(b.lead_unit_id))
            .then(a_missed.due_on().cmp(&b_missed.due_on()))
            .then(a.id.cmp(&b.id))
    });
    late
}

/// What was missed, as the overdue table names it: the deadline, or the milestone (时间节点)
/// with its title, each with its date.
fn missed_label(missed: &Missed<'_>) -> String {
    match missed {
        Missed::Deadline(d) => format!("整改时限（{d}）"),
        Missed::Milestone(step) => format!("时间节点“{}”（{}）", step.title, step.due_on),
    }
}

/// "截至统计时点，以下 N 个单位共 M 项整改措施逾期未完成（含时间节点逾期）": both editions' opening.
fn late_units_lead(late: &[Late<'_>], then: &Names) -> String {
    format!(
        "截至统计时点，以下 {} 个单位共 {} 项整改措施逾期未完成（含时间节点逾期）",
        count_per_unit(late, then).len(),
        late.len()
    )
}

/// "单位（n项）、…": each unit named once with its count, in the order of `late`.
fn late_units(late: &[Late<'_>], then: &Names) -> String {
    count_per_unit(late, then)
        .iter()
        .map(|(u, n)| format!("{u}（{n}项）"))
        .collect::<Vec<_>>()
        .join("、")
}

/// Each unit's name with its number of overdue measures, in the order of `late`.
fn count_per_unit(late: &[Late<'_>], then: &Names) -> Vec<(String, usize)> {
    let mut per_unit: Vec<(String, usize)> = Vec::new();
    for (m, _) in late {
        let unit = then.unit(m.lead_unit_id);
        match per_unit.last_mut() {
            Some((u, n)) if *u == unit => *n += 1,
            _ => per_unit.push((unit, 1)),
        }
    }
    per_unit
}

/// One line of the overdue table, in [`OVERDUE_COLUMNS`].
fn overdue_row(
    number: usize,
    m: &entity::measure::Model,
    missed: &Missed<'_>,
    snapshot: &Snapshot,
    then: &Names,
) -> Vec<String> {
    let today = clock::date_of(snapshot.as_of);
    vec![
        number.to_string(),
        then.unit(m.lead_unit_id),
        then.person(m.responsible_leader_id),
        then.person(m.responsible_person_id),
        snapshot
            .problems
            .get(&m.problem_id)
            .map(|p| p.code.clone())
            .unwrap_or_default(),
        relapse_marked(m),
        missed_label(missed),
        (today - missed.due_on()).num_days().to_string(),
    ]
}

/// The measure's title, marked 反弹 when it was reopened after closing.
fn relapse_marked(m: &entity::measure::Model) -> String {
    if m.relapse_count > 0 {
        format!("{}（反弹）", m.title)
    } else {
        m.title.clone()
    }
}

/// The remark of a ranking line: 排后约谈 for the flagged, and the relapsed measures (反弹).
fn rank_remark(r: &UnitRank) -> String {
    let mut remark = Vec::new();
    if r.vetoed {
        remark.push("一票否决".to_owned());
    }
    if r.flagged {
        remark.push("排后约谈".to_owned());
    }
    if r.relapsed > 0 {
        remark.push(format!("反弹{}项", r.relapsed));
    }
    if r.missed_reports > 0 {
        remark.push(format!("未按时报送进展{}次", r.missed_reports));
    }
    if r.late_acknowledgements > 0 {
        remark.push(format!("未按时签收{}项", r.late_acknowledgements));
    }
    remark.join("；")
}

/// The ranking; `rate_shown` says whose satisfaction rate the edition may print (the public
/// edition: only a PUBLIC survey's).
fn ranking_table(doc: &mut Document, ranking: &Ranking, then: &Names, rate_shown: &dyn Fn(Uuid) -> bool) {
    doc.heading("三、单位排名");
    if ranking.rows.is_empty() {
        doc.paragraph("本次活动尚无牵头整改措施，暂不排名。");
        return;
    }
    doc.paragraph(
        "按完成率、按期率、群众满意度综合计分，逾期措施、受督办次数、反弹、未按时报送进展和未按时签收扣分（计分办法见 docs/reports.md），加上经审定的考核加分、减分，各单位在其排名类别内排名，股室等未设类别的单位计入其上级单位，排名如下：",
    );
    let rows = ranking
        .rows
        .iter()
        .map(|r| rank_row(r, then, rate_shown(r.unit_id)))
        .collect();
    doc.table(&RANKING_COLUMNS, rows);
    let flagged: Vec<String> = ranking
        .rows
        .iter()
        .filter(|r| r.flagged)
        .map(|r| then.unit(r.unit_id))
        .collect();
    if !flagged.is_empty() {
        doc.paragraph(format!(
            "排名靠后的单位：{}，由督查组对其主要负责同志进行约谈。",
            flagged.join("、")
        ));
    }
}

const RANKING_COLUMNS: [&str; 13] = [
    "类别",
    "名次",
    "单位",
    "计算得分",
    "考核加减分",
    "得分",
    "措施数",
    "已销号",
    "按期完成",
    "逾期",
    "受督办",
    "满意率",
    "备注",
];

/// One line of the ranking table, in [`RANKING_COLUMNS`].
fn rank_row(r: &UnitRank, then: &Names, rate_shown: bool) -> Vec<String> {
    vec![
        r.category.clone().unwrap_or_else(|| "未分类".to_owned()),
        r.rank.to_string(),
        then.unit(r.unit_id),
        format!("{:.2}", r.computed_score),
        format!("{:+.2}", r.adjustment),
        format!("{:.2}", r.score),
        r.total.to_string(),
        r.closed.to_string(),
        r.closed_on_time.to_string(),
        r.overdue.to_string(),
        r.supervision_received.to_string(),
        percent(r.satisfaction_rate_bp.filter(|_| rate_shown)),
        rank_remark(r),
    ]
}

/// The latest survey of each unit recorded by the instant, against the campaign's threshold.
/// The latest survey of each unit recorded by the instant, in an edition: the public one
/// keeps only the results disclosed as PUBLIC (`discloseSurvey`).
async fn latest_surveys(
    ledger: &Ledger,
    campaign: &campaign::Model,
    as_of: DateTime<Utc>,
    edition: Edition,
) -> DomainResult<HashMap<Uuid, survey::Model>> {
    let mut latest = intake::latest_surveys(&ledger.db, campaign.id, None, as_of).await?;
    if edition == Edition::Public {
        latest.retain(|_, s| s.disclosure == Disclosure::Public);
    }
    Ok(latest)
}

fn satisfaction(
    doc: &mut Document,
    campaign: &campaign::Model,
    latest: &HashMap<Uuid, survey::Model>,
    then: &Names,
    edition: Edition,
) {
    doc.heading("四、群众满意度测评");
    let threshold_bp = campaign.satisfaction_threshold_bp;
    let threshold = percent(Some(i64::from(threshold_bp)));
    if latest.is_empty() {
        doc.paragraph(match edition {
            Edition::Full => "截至统计时点，尚未开展满意度测评。",
            Edition::Public => "截至统计时点，尚无公开的满意度测评结果。",
        });
        return;
    }
    let mut rows: Vec<&survey::Model> = latest.values().collect();
    rows.sort_by_key(|s| then.unit_order(s.unit_id));
    let below: Vec<String> = rows
        .iter()
        .filter(|s| intake::rate_bp(s) < threshold_bp)
        .map(|s| then.unit(s.unit_id))
        .collect();
    doc.paragraph(format!(
        "共 {} 个单位开展测评{}，满意率（满意与基本满意人数之和除以参评人数）目标为不低于 {}。",
        rows.len(),
        if edition == Edition::Public {
            "（公开版只列已公开的测评结果）"
        } else {
            ""
        },
        threshold
    ));
    let table = rows.iter().map(|s| survey_row(s, then, threshold_bp)).collect();
    doc.table(&SURVEY_COLUMNS, table);
    if below.is_empty() {
        doc.paragraph(format!("各单位满意率均达到 {threshold}。"));
    } else {
        doc.paragraph(format!(
            "以下单位满意率低于 {}，须开展“回头看”、进行补课：{}。",
            threshold,
            below.join("、")
        ));
    }
}

const SURVEY_COLUMNS: [&str; 9] = [
    "单位",
    "测评日期",
    "方式",
    "参评人数",
    "满意",
    "基本满意",
    "不满意",
    "满意率",
    "是否达标",
];

/// One line of the survey table, in [`SURVEY_COLUMNS`].
fn survey_row(s: &survey::Model, then: &Names, threshold_bp: i32) -> Vec<String> {
    let rate = intake::rate_bp(s);
    vec![
        then.unit(s.unit_id),
        s.held_on.to_string(),
        s.method.label().to_owned(),
        s.participants.to_string(),
        s.satisfied.to_string(),
        s.basically_satisfied.to_string(),
        s.dissatisfied.to_string(),
        percent(Some(i64::from(rate))),
        if rate >= threshold_bp { "达标" } else { "未达标" }.to_owned(),
    ]
}

/// Supervision actions (督办) issued in `[from, to]` about the campaign's problems and measures
/// or about nothing in particular, by kind, and those unanswered past their date at `to`.
async fn supervision(
    ledger: &Ledger,
    doc: &mut Document,
    campaign_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> DomainResult<()> {
    doc.heading("五、督办情况");
    let actions = supervision::about_campaign(&ledger.db, campaign_id, None, Some(from), to).await?;
    if actions.is_empty() {
        doc.paragraph("本期未发出督办。");
        return Ok(());
    }
    let mut by_kind: Vec<(SupervisionKind, usize)> = Vec::new();
    for a in &actions {
        match by_kind.iter_mut().find(|(k, _)| *k == a.kind) {
            Some((_, n)) => *n += 1,
            None => by_kind.push((a.kind, 1)),
        }
    }
    by_kind.sort_by_key(|(k, _)| k.label());
    let today = clock::date_of(to);
    let unanswered_late = actions
        .iter()
        .filter(|a| a.responded_at.is_none_or(|r| r > to) && a.response_due.is_some_and(|d| d < today))
        .count();
    doc.paragraph(format!(
        "本期共发出督办 {} 件：{}；逾期未回复 {} 件。",
        actions.len(),
        by_kind
            .iter()
            .map(|(k, n)| format!("{}{}件", k.label(), n))
            .collect::<Vec<_>>()
            .join("、"),
        unanswered_late
    ));
    Ok(())
}

/// 问责情况: the decisions recorded in the period and standing at its end (a decision revoked by
/// then is left out), by kind, each with its subject, basis, body and 文号; and the units under
/// a 一票否决, ranked last. The public edition names units only: a person's case is counted,
/// not named.
fn accountability_section(
    doc: &mut Document,
    held: &[entity::accountability::Model],
    ranking: &Ranking,
    then: &Names,
    edition: Edition,
) {
    doc.heading("六、问责情况");
    let vetoed: Vec<String> = ranking
        .rows
        .iter()
        .filter(|r| r.vetoed)
        .map(|r| then.unit(r.unit_id))
        .collect();
    let veto_line = || format!("以下单位被一票否决，在其排名类别中列末位：{}。", vetoed.join("、"));
    if held.is_empty() {
        doc.paragraph("本期无问责事项。");
        // A veto decided earlier still stands in this bulletin's ranking.
        if !vetoed.is_empty() {
            doc.paragraph(veto_line());
        }
        return;
    }
    doc.paragraph(format!("本期共问责 {} 起：{}。", held.len(), counts_by_kind(held)));
    let shown: Vec<&entity::accountability::Model> = held
        .iter()
        .filter(|a| edition == Edition::Full || a.subject_person_id.is_none())
        .collect();
    let rows: Vec<Vec<String>> = shown
        .iter()
        .enumerate()
        .map(|(i, a)| accountability_row(i + 1, a, then))
        .collect();
    match edition {
        Edition::Full => doc.table(&ACCOUNTABILITY_COLUMNS, rows),
        // 问责事由 is free text that may name people or internal items: not in the 公开版.
        Edition::Public => {
            let columns: Vec<&str> = ACCOUNTABILITY_COLUMNS.iter().copied().filter(|c| *c != FACTS).collect();
            let rows = rows
                .into_iter()
                .map(|mut r| {
                    r.remove(FACTS_AT);
                    r
                })
                .collect();
            doc.table(&columns, rows)
        }
    }
    let personal = held.len() - shown.len();
    if personal > 0 {
        doc.paragraph(format!("另有对个人问责 {personal} 起（公开版不列姓名）。"));
    }
    if !vetoed.is_empty() {
        doc.paragraph(veto_line());
    }
}

/// "约谈1起、诫勉谈话2起", in the order of the kinds.
fn counts_by_kind(held: &[entity::accountability::Model]) -> String {
    use sea_orm::Iterable;
    AccountabilityKind::iter()
        .filter_map(|k| {
            let n = held.iter().filter(|a| a.kind == k).count();
            (n > 0).then(|| format!("{}{}起", k.label(), n))
        })
        .collect::<Vec<_>>()
        .join("、")
}

const ACCOUNTABILITY_COLUMNS: [&str; 7] = [
    "序号",
    "问责对象",
    "所在单位",
    "问责方式",
    FACTS,
    "决定机关及文号",
    "决定日期",
];

/// The column of the facts (问责事由), which the public edition leaves out, and its place.
const FACTS: &str = "问责事由";
const FACTS_AT: usize = 4;

/// One line of the accountability table, in [`ACCOUNTABILITY_COLUMNS`].
fn accountability_row(number: usize, a: &entity::accountability::Model, then: &Names) -> Vec<String> {
    let unit = then.unit(a.subject_unit_id);
    vec![
        number.to_string(),
        match a.subject_person_id {
            Some(_) => then.person(a.subject_person_id),
            None => unit.clone(),
        },
        unit,
        a.kind.label().to_owned(),
        a.facts.clone(),
        format!("{}（{}）", a.deciding_body, a.document_number),
        a.decided_on.to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default()
    }

    #[test]
    fn periods_are_named_as_offices_name_them() {
        assert_eq!(period_label(d(11, 1), d(11, 15)), "2026年11月上半月");
        assert_eq!(period_label(d(11, 16), d(11, 30)), "2026年11月下半月");
        assert_eq!(period_label(d(2, 1), d(2, 28)), "2026年2月");
        assert_eq!(period_label(d(12, 1), d(12, 31)), "2026年12月");
        assert_eq!(period_label(d(11, 2), d(11, 8)), "2026年11月2日至2026年11月8日");
        assert_eq!(percent(Some(9_571)), "95.71%");
        assert_eq!(percent(Some(10_000)), "100.00%");
        assert_eq!(percent(None), "—");
    }
}
