//! 督查 in the demo: in the last half month the 县委学习实践活动督查组 makes an unannounced visit
//! (暗访) to two service windows, and each of its two findings becomes a problem of the campaign
//! (source UNANNOUNCED_VISIT) the day it was found. Steps of the timeline.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::enums::{InspectionMode, ProblemSource, RectificationKind, ResponsibilityLevel, Severity};
use uuid::Uuid;

use super::{held, morning, Demo};
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::inspections::{self, NewInspection};
use crate::domain::ledger::problems::NewProblem;
use crate::domain::Ledger;

const GROUP: &str = "QS-XWB-DCZ";
const TEAM: [&str; 2] = ["郑国栋", "马丽华"];
const VISITED: [&str; 2] = ["QS-ZWZX", "QS-RSJ"];

/// How many problems the visit finds.
pub(super) const FINDING_COUNT: usize = FINDINGS.len();

/// (code, lead unit, title, description): what the visit found.
const FINDINGS: [(&str, &str, &str, &str); 2] = [
    (
        "DC-01",
        "QS-ZWZX-SP",
        "审批窗口工作人员上班时间玩手机、脱岗",
        "暗访发现县政务服务中心审批窗口2名工作人员上班时间玩手机，1名工作人员脱岗，群众排队等候20余分钟。",
    ),
    (
        "DC-02",
        "QS-RSJ",
        "社保窗口一次性告知制度落实不到位",
        "暗访人员以群众身份咨询社保转移接续，窗口未一次性告知所需材料，群众反映“来回跑”。",
    ),
];

/// The day of the visit: six days before the end of the last half month.
fn visit_day(today: NaiveDate) -> NaiveDate {
    held::last_half_month(today).1 - Duration::days(6)
}

/// The visit is recorded at 11:00 (step 0); each finding is filed that afternoon (steps 1, 2).
pub(super) fn steps(today: NaiveDate) -> Vec<(DateTime<Utc>, usize)> {
    let day = morning(visit_day(today));
    vec![
        (day + Duration::hours(2), 0),
        (day + Duration::hours(5), 1),
        (day + Duration::hours(6), 2),
    ]
}

/// The demo's inspection, once recorded.
#[derive(Default)]
pub(super) struct Inspected {
    id: Option<Uuid>,
}

impl Inspected {
    /// Step `k` on `then`, by the 督查组's account.
    pub(super) async fn apply(&mut self, then: &Ledger, demo: &Demo<'_>, k: usize) -> DomainResult<()> {
        let day = visit_day(demo.today);
        match (k, self.id) {
            (0, _) => {
                let new = NewInspection {
                    campaign_id: demo.campaign_id,
                    group_unit_id: demo.unit_id(GROUP)?,
                    mode: InspectionMode::Unannounced,
                    title: "窗口单位作风建设暗访".to_owned(),
                    plan: "不发通知、不打招呼、直奔现场，以群众身份暗访窗口单位服务情况，查看工作纪律和一次性告知制度落实。".to_owned(),
                    starts_on: day,
                    ends_on: day,
                    member_ids: TEAM.iter().map(|n| demo.person_id(n)).collect::<DomainResult<_>>()?,
                    visited_unit_ids: VISITED.iter().map(|c| demo.unit_id(c)).collect::<DomainResult<_>>()?,
                };
                self.id = Some(inspections::record(then, &demo.supervisor, new).await?.id);
            }
            (k, Some(id)) => {
                let Some((code, lead, title, description)) = FINDINGS.get(k - 1).copied() else {
                    return Ok(());
                };
                let problem = NewProblem {
                    campaign_id: demo.campaign_id,
                    code: code.to_owned(),
                    title: title.to_owned(),
                    description: Some(description.to_owned()),
                    category: "机关作风建设".to_owned(),
                    source: ProblemSource::UnannouncedVisit,
                    source_detail: Some(format!("县委学习实践活动督查组{}暗访", day.format("%-m月%-d日"))),
                    found_on: day,
                    responsibility_level: ResponsibilityLevel::Member,
                    severity: Severity::Medium,
                    rectification_kind: RectificationKind::Immediate,
                    root_cause: None,
                    lead_unit_id: demo.unit_id(lead)?,
                    disclosure: None,
                    repeats_problem_id: None,
                };
                inspections::add_finding(then, &demo.supervisor, id, problem).await?;
            }
            (_, None) => {
                return Err(DomainError::Internal(
                    "demo: a finding before its inspection".to_owned(),
                ))
            }
        }
        Ok(())
    }
}
