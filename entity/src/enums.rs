//! Enumerations stored as short upper-case strings. The string is the stable name used in the
//! database, in audit snapshots (serde) and in the GraphQL schema.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Kind of an organisation node (单位).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UnitKind {
    #[sea_orm(string_value = "COMMITTEE")]
    Committee,
    #[sea_orm(string_value = "DEPARTMENT")]
    Department,
    #[sea_orm(string_value = "DIVISION")]
    Division,
    #[sea_orm(string_value = "TOWNSHIP")]
    Township,
    #[sea_orm(string_value = "BRANCH")]
    Branch,
    #[sea_orm(string_value = "OFFICE")]
    Office,
    #[sea_orm(string_value = "INSPECTION_GROUP")]
    InspectionGroup,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// Phase of a campaign (学习动员 / 分析检查 / 整改落实 / 结束).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CampaignPhase {
    #[sea_orm(string_value = "MOBILIZATION")]
    Mobilization,
    #[sea_orm(string_value = "ANALYSIS")]
    Analysis,
    #[sea_orm(string_value = "RECTIFICATION")]
    Rectification,
    #[sea_orm(string_value = "CONCLUDED")]
    Concluded,
}

/// Where a problem came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ProblemSource {
    #[sea_orm(string_value = "FORUM")]
    Forum,
    #[sea_orm(string_value = "OPINION_FORM")]
    OpinionForm,
    #[sea_orm(string_value = "SUGGESTION_BOX")]
    SuggestionBox,
    #[sea_orm(string_value = "LETTER")]
    Letter,
    #[sea_orm(string_value = "VISIT")]
    Visit,
    #[sea_orm(string_value = "SURVEY")]
    Survey,
    #[sea_orm(string_value = "INSPECTION_FEEDBACK")]
    InspectionFeedback,
    #[sea_orm(string_value = "SUPERVISION")]
    Supervision,
    #[sea_orm(string_value = "UNANNOUNCED_VISIT")]
    UnannouncedVisit,
    #[sea_orm(string_value = "SELF_INSPECTION")]
    SelfInspection,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// Who the problem is attributed to (班子 / 支部 / 领导干部 / 普通党员).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ResponsibilityLevel {
    #[sea_orm(string_value = "LEADERSHIP_TEAM")]
    LeadershipTeam,
    #[sea_orm(string_value = "BRANCH")]
    Branch,
    #[sea_orm(string_value = "LEADING_CADRE")]
    LeadingCadre,
    #[sea_orm(string_value = "MEMBER")]
    Member,
}

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Severity {
    #[sea_orm(string_value = "HIGH")]
    High,
    #[sea_orm(string_value = "MEDIUM")]
    Medium,
    #[sea_orm(string_value = "LOW")]
    Low,
}

/// 立即整改 / 限期整改 / 逐步解决.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RectificationKind {
    #[sea_orm(string_value = "IMMEDIATE")]
    Immediate,
    #[sea_orm(string_value = "WITHIN_DEADLINE")]
    WithinDeadline,
    #[sea_orm(string_value = "LONG_TERM")]
    LongTerm,
}

/// Visibility of an item (公示).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, Default)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Disclosure {
    #[default]
    #[sea_orm(string_value = "INTERNAL")]
    Internal,
    #[sea_orm(string_value = "SYSTEM")]
    System,
    #[sea_orm(string_value = "PUBLIC")]
    Public,
}

/// Lifecycle status of a measure; see DESIGN §4 for the transitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MeasureStatus {
    #[sea_orm(string_value = "PENDING")]
    Pending,
    #[sea_orm(string_value = "IN_PROGRESS")]
    InProgress,
    #[sea_orm(string_value = "SUBMITTED")]
    Submitted,
    #[sea_orm(string_value = "CLOSED")]
    Closed,
    #[sea_orm(string_value = "LONG_TERM")]
    LongTerm,
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
}

/// Outcome of a verification (验收).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VerificationResult {
    /// Accepted: the measure is closed out (销号).
    #[sea_orm(string_value = "PASS")]
    Pass,
    /// Sent back with a reason.
    #[sea_orm(string_value = "REJECT")]
    Reject,
}

/// State of a deadline extension request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExtensionStatus {
    #[sea_orm(string_value = "PENDING")]
    Pending,
    #[sea_orm(string_value = "APPROVED")]
    Approved,
    #[sea_orm(string_value = "REJECTED")]
    Rejected,
}

/// Kind of a supervision action (督办).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SupervisionKind {
    /// 整改通知书.
    #[sea_orm(string_value = "NOTICE")]
    Notice,
    /// 点名批评书.
    #[sea_orm(string_value = "NAMED_CRITICISM")]
    NamedCriticism,
    /// 处理建议书.
    #[sea_orm(string_value = "DISPOSAL_RECOMMENDATION")]
    DisposalRecommendation,
    /// 约谈.
    #[sea_orm(string_value = "TALK")]
    Talk,
    /// 通报批评.
    #[sea_orm(string_value = "BULLETIN_CRITICISM")]
    BulletinCriticism,
    /// 书面说明.
    #[sea_orm(string_value = "WRITTEN_EXPLANATION")]
    WrittenExplanation,
}

/// A role held on a unit subtree or the whole tree; each includes the ones below it
/// (ADMIN ⊇ SUPERVISOR ⊇ EDITOR ⊇ VIEWER). See docs/permissions.md.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    #[sea_orm(string_value = "VIEWER")]
    Viewer,
    #[sea_orm(string_value = "EDITOR")]
    Editor,
    #[sea_orm(string_value = "SUPERVISOR")]
    Supervisor,
    #[sea_orm(string_value = "ADMIN")]
    Admin,
    /// 纪委 (discipline inspection): records accountability (问责) within its scope and reads
    /// as a VIEWER there. Outside the chain above: no other role includes it, it includes no
    /// role but VIEWER.
    #[sea_orm(string_value = "DISCIPLINE")]
    Discipline,
}

/// How someone was held accountable (问责方式), from the mildest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AccountabilityKind {
    /// 约谈.
    #[sea_orm(string_value = "TALK")]
    Talk,
    /// 通报批评.
    #[sea_orm(string_value = "BULLETIN_CRITICISM")]
    BulletinCriticism,
    /// 诫勉谈话.
    #[sea_orm(string_value = "ADMONITION")]
    Admonition,
    /// 责令检查.
    #[sea_orm(string_value = "ORDERED_EXAMINATION")]
    OrderedExamination,
    /// 组织处理.
    #[sea_orm(string_value = "ORGANIZATIONAL_HANDLING")]
    OrganizationalHandling,
    /// 纪律处分.
    #[sea_orm(string_value = "DISCIPLINARY_SANCTION")]
    DisciplinarySanction,
    /// 一票否决: the unit is ranked last of its category while the decision stands.
    #[sea_orm(string_value = "ONE_VOTE_VETO")]
    OneVoteVeto,
}

/// 加分 or 减分 (考核).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AdjustmentKind {
    /// 加分.
    #[sea_orm(string_value = "BONUS")]
    Bonus,
    /// 减分.
    #[sea_orm(string_value = "DEDUCTION")]
    Deduction,
}

/// Where a score adjustment stands: proposed, then approved or refused once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AdjustmentStatus {
    #[sea_orm(string_value = "PROPOSED")]
    Proposed,
    #[sea_orm(string_value = "APPROVED")]
    Approved,
    #[sea_orm(string_value = "REFUSED")]
    Refused,
}

/// How an inspection visits: announced (明察) or not (暗访).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InspectionMode {
    /// 明察.
    #[sea_orm(string_value = "OPEN")]
    Open,
    /// 暗访.
    #[sea_orm(string_value = "UNANNOUNCED")]
    Unannounced,
}

/// A listed day of the working-day calendar: a public holiday (放假) or a weekend day worked
/// in exchange (调休上班).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DayKind {
    #[sea_orm(string_value = "HOLIDAY")]
    Holiday,
    #[sea_orm(string_value = "WORKDAY")]
    Workday,
}

/// How an opinion reached the campaign (座谈会, 征求意见表, 意见箱, 网络电子意见箱, 来信, 走访, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FeedbackChannel {
    #[sea_orm(string_value = "FORUM")]
    Forum,
    #[sea_orm(string_value = "FORM")]
    Form,
    #[sea_orm(string_value = "SUGGESTION_BOX")]
    SuggestionBox,
    #[sea_orm(string_value = "ONLINE_BOX")]
    OnlineBox,
    #[sea_orm(string_value = "LETTER")]
    Letter,
    #[sea_orm(string_value = "VISIT")]
    Visit,
    #[sea_orm(string_value = "SURVEY")]
    Survey,
    #[sea_orm(string_value = "INSPECTION")]
    Inspection,
    #[sea_orm(string_value = "SUPERVISION")]
    Supervision,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// Where an opinion stands: not yet sorted, merged into a problem, or dismissed with a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FeedbackStatus {
    #[sea_orm(string_value = "NEW")]
    New,
    #[sea_orm(string_value = "MERGED")]
    Merged,
    #[sea_orm(string_value = "DISMISSED")]
    Dismissed,
}

/// How a satisfaction survey (满意度测评) was held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SurveyMethod {
    /// 群众代表测评.
    #[sea_orm(string_value = "REPRESENTATIVES")]
    Representatives,
    /// 随机抽样调查.
    #[sea_orm(string_value = "RANDOM_SAMPLE")]
    RandomSample,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// Where a public commitment (公开承诺) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CommitmentStatus {
    #[sea_orm(string_value = "PLEDGED")]
    Pledged,
    #[sea_orm(string_value = "FULFILLED")]
    Fulfilled,
}

/// What a unit was assigned and acknowledges (签收).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReceiptRole {
    /// 牵头单位 of a measure.
    #[sea_orm(string_value = "LEAD")]
    Lead,
    /// 配合单位 of a measure.
    #[sea_orm(string_value = "COOPERATING")]
    Cooperating,
    /// The unit a supervision action (督办) is addressed to.
    #[sea_orm(string_value = "SUPERVISION")]
    Supervision,
}
