//! GraphQL enums mirroring the stored ones (same SCREAMING_SNAKE_CASE names).

use async_graphql::Enum;
use entity::enums;

/// Kind of an organisation node (单位).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "enums::UnitKind")]
pub enum UnitKind {
    /// 党委 (county or district party committee).
    Committee,
    /// 部门 (government department).
    Department,
    /// 处室 / 股室 (division of a department).
    Division,
    /// 乡镇 (township).
    Township,
    /// 党支部 (party branch).
    Branch,
    /// 办公室 (office).
    Office,
    /// 督查组 / 巡视组 (inspection group).
    InspectionGroup,
    Other,
}

/// Phase of a campaign.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "enums::CampaignPhase")]
pub enum CampaignPhase {
    /// 学习动员.
    Mobilization,
    /// 分析检查 (评议).
    Analysis,
    /// 整改落实.
    Rectification,
    /// 结束.
    Concluded,
}

/// Where a problem came from.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "enums::ProblemSource")]
pub enum ProblemSource {
    /// 座谈会.
    Forum,
    /// 征求意见表.
    OpinionForm,
    /// 意见箱 (including online).
    SuggestionBox,
    /// 信函.
    Letter,
    /// 走访.
    Visit,
    /// 民意调查.
    Survey,
    /// 巡视反馈.
    InspectionFeedback,
    /// 督查发现.
    Supervision,
    /// 明察暗访.
    UnannouncedVisit,
    /// 自查.
    SelfInspection,
    Other,
}

/// Who a problem is attributed to.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "enums::ResponsibilityLevel")]
pub enum ResponsibilityLevel {
    /// 班子.
    LeadershipTeam,
    /// 支部.
    Branch,
    /// 领导干部.
    LeadingCadre,
    /// 普通党员.
    Member,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "enums::Severity")]
pub enum Severity {
    High,
    Medium,
    Low,
}

/// How a problem is to be rectified.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "enums::RectificationKind")]
pub enum RectificationKind {
    /// 立即整改.
    Immediate,
    /// 限期整改.
    WithinDeadline,
    /// 逐步解决 (with a public explanation).
    LongTerm,
}

/// Visibility of an item (公示).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "enums::Disclosure")]
pub enum Disclosure {
    Internal,
    System,
    Public,
}

/// Lifecycle status of a measure.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "enums::MeasureStatus")]
pub enum MeasureStatus {
    Pending,
    InProgress,
    Submitted,
    /// Closed out of the ledger (销号).
    Closed,
    LongTerm,
    Cancelled,
}

/// Status of a problem, derived from its measures.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::domain::ledger::problems::ProblemStatus")]
pub enum ProblemStatus {
    /// No measure yet.
    Open,
    /// Some measure is not closed.
    InProgress,
    /// Every measure is closed.
    Rectified,
}

/// A role on a unit subtree or the whole tree; each of the first four includes the ones before
/// it, DISCIPLINE includes VIEWER only. See docs/permissions.md.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "enums::Role")]
pub enum Role {
    /// Reads everything in scope.
    Viewer,
    /// Keeps the ledger of its units up to date (联络员): problems, measures, progress.
    Editor,
    /// Verifies and closes out (销号), decides extensions, issues supervision (督办), discloses.
    Supervisor,
    /// Manages units, accounts and roles.
    Admin,
    /// The 纪委: records and revokes accountability (问责) in scope, and reads as a VIEWER
    /// there. No other role includes it.
    Discipline,
}
