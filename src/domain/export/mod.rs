//! The ledger (台账) as the table offices keep: one row per measure with its problem, units,
//! people, dates and state, in the columns of the issue (序号, 问题编号, …). Rows are produced a
//! page at a time, with the caller's rights, so a large ledger is never held in memory.

use std::collections::HashMap;

use entity::enums::{MeasureStatus, ProblemSource};
use uuid::Uuid;

use super::access::Access;
use super::error::DomainResult;
use super::page::PageRequest;
use super::{lifecycle, measures, milestones, people, problems, units, Ledger};

pub const HEADER: [&str; 15] = [
    "序号",
    "问题编号",
    "问题描述",
    "问题来源",
    "整改措施",
    "牵头单位",
    "配合单位",
    "责任领导",
    "责任人",
    "整改时限",
    "原定时限",
    "完成情况",
    "状态",
    "是否逾期",
    "销号日期",
];

/// Rows per page read from the database.
pub const PAGE: i64 = 100;

fn source_label(s: ProblemSource) -> &'static str {
    match s {
        ProblemSource::Forum => "座谈会",
        ProblemSource::OpinionForm => "征求意见表",
        ProblemSource::SuggestionBox => "意见箱",
        ProblemSource::Letter => "来信",
        ProblemSource::Visit => "走访",
        ProblemSource::Survey => "问卷调查",
        ProblemSource::InspectionFeedback => "巡视巡察反馈",
        ProblemSource::Supervision => "督查督办",
        ProblemSource::UnannouncedVisit => "暗访",
        ProblemSource::SelfInspection => "自查",
        ProblemSource::Other => "其他",
    }
}

pub fn status_label(s: MeasureStatus) -> &'static str {
    match s {
        MeasureStatus::Pending => "未启动",
        MeasureStatus::InProgress => "整改中",
        MeasureStatus::Submitted => "待验收",
        MeasureStatus::Closed => "已销号",
        MeasureStatus::LongTerm => "长期坚持",
        MeasureStatus::Cancelled => "已取消",
    }
}

/// One page of rows after the measure `after` (None: the first page), and the cursor of the
/// next page (None: this was the last). `number` is the 序号 of the page's first row.
pub async fn page(
    ledger: &Ledger,
    access: &Access,
    filter: &measures::MeasureFilter,
    after: Option<Uuid>,
    number: usize,
) -> DomainResult<(Vec<[String; 15]>, Option<Uuid>)> {
    access.require_login("the ledger export")?;
    let request = PageRequest {
        first: Some(PAGE),
        after,
    };
    let page = measures::list(ledger, access, filter, measures::MeasureOrder::DeadlineAsc, request).await?;
    let rows = &page.items;
    let ids: Vec<Uuid> = rows.iter().map(|m| m.id).collect();
    let problem_ids: Vec<Uuid> = rows.iter().map(|m| m.problem_id).collect();
    let problems: HashMap<Uuid, _> = problems::by_ids(&ledger.db, &problem_ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut coop: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (m, u) in measures::cooperating_units_of(&ledger.db, &ids).await? {
        coop.entry(m).or_default().push(u);
    }
    let mut unit_ids: Vec<Uuid> = rows.iter().map(|m| m.lead_unit_id).collect();
    unit_ids.extend(coop.values().flatten().copied());
    let unit_names: HashMap<Uuid, String> = units::by_ids(&ledger.db, &unit_ids)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let person_ids: Vec<Uuid> = rows
        .iter()
        .flat_map(|m| [m.responsible_leader_id, m.responsible_person_id])
        .flatten()
        .collect();
    let names: HashMap<Uuid, String> = people::by_ids(&ledger.db, &person_ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let steps = milestones::of_measures(&ledger.db, &ids).await?;
    // Newest first: the first report of each measure is its latest.
    let mut latest: HashMap<Uuid, String> = HashMap::new();
    for r in lifecycle::progress_reports_of(&ledger.db, &ids).await? {
        latest
            .entry(r.measure_id)
            .or_insert(format!("{}%：{}", r.percent, r.text));
    }
    let today = ledger.today();
    let person = |id: Option<Uuid>| id.and_then(|i| names.get(&i).cloned()).unwrap_or_default();
    let mut out = Vec::with_capacity(rows.len());
    for (i, m) in rows.iter().enumerate() {
        let p = problems.get(&m.problem_id);
        let cooperating: Vec<String> = coop
            .get(&m.id)
            .map(|us| us.iter().filter_map(|u| unit_names.get(u).cloned()).collect())
            .unwrap_or_default();
        let progress = latest
            .get(&m.id)
            .cloned()
            .unwrap_or_else(|| format!("{}%", m.progress_percent));
        out.push([
            (number + i).to_string(),
            p.map(|p| p.code.clone()).unwrap_or_default(),
            p.map(|p| p.description.clone().unwrap_or_else(|| p.title.clone()))
                .unwrap_or_default(),
            p.map(|p| source_label(p.source).to_owned()).unwrap_or_default(),
            m.title.clone(),
            unit_names.get(&m.lead_unit_id).cloned().unwrap_or_default(),
            cooperating.join("、"),
            person(m.responsible_leader_id),
            person(m.responsible_person_id),
            m.deadline.to_string(),
            m.original_deadline.to_string(),
            progress,
            status_label(m.status).to_owned(),
            if measures::is_overdue(m, &steps, today) {
                "是"
            } else {
                "否"
            }
            .to_owned(),
            m.closed_on.map(|d| d.to_string()).unwrap_or_default(),
        ]);
    }
    let next = if page.has_next_page {
        rows.last().map(|m| m.id)
    } else {
        None
    };
    Ok((out, next))
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180); a leading
/// `=`, `+`, `-` or `@` is prefixed with `'` so spreadsheets do not run it as a formula.
pub fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

pub fn csv_line(fields: &[String]) -> String {
    let mut line = fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("县水利局"), "县水利局");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("说\"明\""), "\"说\"\"明\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_line(&["1".to_owned(), "x\ny".to_owned()]), "1,\"x\ny\"\r\n");
    }
}
