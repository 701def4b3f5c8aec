//! The Chinese names of the domain's enumerations: the one table the export, the bulletins,
//! the API's `labels` query and through it the console name things by (a status is 待验收
//! everywhere it is shown, never two words for one state).

use entity::enums::{
    AccountabilityKind, AdjustmentKind, AdjustmentStatus, CampaignPhase, CommitmentStatus, DayKind, Disclosure,
    ExtensionStatus, FeedbackChannel, FeedbackStatus, InspectionMode, MeasureStatus, ProblemSource, RectificationKind,
    ResponsibilityLevel, Role, Severity, SupervisionKind, SurveyMethod, UnitKind, VerificationResult,
};

/// A value with a Chinese name.
pub trait Labelled: Copy {
    fn label(self) -> &'static str;
}

impl Labelled for MeasureStatus {
    fn label(self) -> &'static str {
        match self {
            MeasureStatus::Pending => "待启动",
            MeasureStatus::InProgress => "整改中",
            MeasureStatus::Submitted => "待验收",
            MeasureStatus::Closed => "已销号",
            MeasureStatus::LongTerm => "长期坚持",
            MeasureStatus::Cancelled => "已撤销",
        }
    }
}

impl Labelled for UnitKind {
    fn label(self) -> &'static str {
        match self {
            UnitKind::Committee => "党委",
            UnitKind::Department => "部门",
            UnitKind::Division => "股室",
            UnitKind::Township => "乡镇",
            UnitKind::Branch => "党支部",
            UnitKind::Office => "办公室",
            UnitKind::InspectionGroup => "督查组",
            UnitKind::Other => "其他",
        }
    }
}

impl Labelled for CampaignPhase {
    fn label(self) -> &'static str {
        match self {
            CampaignPhase::Mobilization => "学习动员",
            CampaignPhase::Analysis => "分析检查",
            CampaignPhase::Rectification => "整改落实",
            CampaignPhase::Concluded => "已结束",
        }
    }
}

impl Labelled for ProblemSource {
    fn label(self) -> &'static str {
        match self {
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
}

impl Labelled for ResponsibilityLevel {
    fn label(self) -> &'static str {
        match self {
            ResponsibilityLevel::LeadershipTeam => "领导班子",
            ResponsibilityLevel::Branch => "党支部",
            ResponsibilityLevel::LeadingCadre => "领导干部",
            ResponsibilityLevel::Member => "普通党员",
        }
    }
}

impl Labelled for Severity {
    fn label(self) -> &'static str {
        match self {
            Severity::High => "严重",
            Severity::Medium => "较重",
            Severity::Low => "一般",
        }
    }
}

impl Labelled for RectificationKind {
    fn label(self) -> &'static str {
        match self {
            RectificationKind::Immediate => "立即整改",
            RectificationKind::WithinDeadline => "限期整改",
            RectificationKind::LongTerm => "逐步解决",
        }
    }
}

impl Labelled for Disclosure {
    fn label(self) -> &'static str {
        match self {
            Disclosure::Internal => "内部",
            Disclosure::System => "系统内公开",
            Disclosure::Public => "向社会公示",
        }
    }
}

impl Labelled for VerificationResult {
    fn label(self) -> &'static str {
        match self {
            VerificationResult::Pass => "验收通过",
            VerificationResult::Reject => "验收退回",
        }
    }
}

impl Labelled for ExtensionStatus {
    fn label(self) -> &'static str {
        match self {
            ExtensionStatus::Pending => "待审批",
            ExtensionStatus::Approved => "已批准",
            ExtensionStatus::Rejected => "未批准",
        }
    }
}

impl Labelled for SupervisionKind {
    fn label(self) -> &'static str {
        match self {
            SupervisionKind::Notice => "整改通知书",
            SupervisionKind::NamedCriticism => "点名批评书",
            SupervisionKind::DisposalRecommendation => "处理建议书",
            SupervisionKind::Talk => "约谈",
            SupervisionKind::BulletinCriticism => "通报批评",
            SupervisionKind::WrittenExplanation => "书面说明",
        }
    }
}

impl Labelled for Role {
    fn label(self) -> &'static str {
        match self {
            Role::Viewer => "查阅",
            Role::Editor => "编辑（联络员）",
            Role::Supervisor => "督查",
            Role::Admin => "管理员",
            Role::Discipline => "纪检（问责）",
        }
    }
}

impl Labelled for InspectionMode {
    fn label(self) -> &'static str {
        match self {
            InspectionMode::Open => "明察",
            InspectionMode::Unannounced => "暗访",
        }
    }
}

impl Labelled for AdjustmentKind {
    fn label(self) -> &'static str {
        match self {
            AdjustmentKind::Bonus => "加分",
            AdjustmentKind::Deduction => "减分",
        }
    }
}

impl Labelled for AdjustmentStatus {
    fn label(self) -> &'static str {
        match self {
            AdjustmentStatus::Proposed => "待审定",
            AdjustmentStatus::Approved => "已审定",
            AdjustmentStatus::Refused => "未予认定",
        }
    }
}

impl Labelled for AccountabilityKind {
    fn label(self) -> &'static str {
        match self {
            AccountabilityKind::Talk => "约谈",
            AccountabilityKind::BulletinCriticism => "通报批评",
            AccountabilityKind::Admonition => "诫勉谈话",
            AccountabilityKind::OrderedExamination => "责令检查",
            AccountabilityKind::OrganizationalHandling => "组织处理",
            AccountabilityKind::DisciplinarySanction => "纪律处分",
            AccountabilityKind::OneVoteVeto => "一票否决",
        }
    }
}

impl Labelled for DayKind {
    fn label(self) -> &'static str {
        match self {
            DayKind::Holiday => "节假日",
            DayKind::Workday => "调休上班",
        }
    }
}

impl Labelled for FeedbackChannel {
    fn label(self) -> &'static str {
        match self {
            FeedbackChannel::Forum => "座谈会",
            FeedbackChannel::Form => "征求意见表",
            FeedbackChannel::SuggestionBox => "意见箱",
            FeedbackChannel::OnlineBox => "网上意见箱",
            FeedbackChannel::Letter => "来信",
            FeedbackChannel::Visit => "走访",
            FeedbackChannel::Survey => "问卷调查",
            FeedbackChannel::Inspection => "巡视巡察",
            FeedbackChannel::Supervision => "督查督办",
            FeedbackChannel::Other => "其他",
        }
    }
}

impl Labelled for FeedbackStatus {
    fn label(self) -> &'static str {
        match self {
            FeedbackStatus::New => "待处理",
            FeedbackStatus::Merged => "已归并",
            FeedbackStatus::Dismissed => "不予采纳",
        }
    }
}

impl Labelled for SurveyMethod {
    fn label(self) -> &'static str {
        match self {
            SurveyMethod::Representatives => "群众代表测评",
            SurveyMethod::RandomSample => "随机抽样调查",
            SurveyMethod::Other => "其他",
        }
    }
}

impl Labelled for CommitmentStatus {
    fn label(self) -> &'static str {
        match self {
            CommitmentStatus::Pledged => "已承诺",
            CommitmentStatus::Fulfilled => "已兑现",
        }
    }
}

impl Labelled for crate::domain::ledger::problems::ProblemStatus {
    fn label(self) -> &'static str {
        use crate::domain::ledger::problems::ProblemStatus;
        match self {
            ProblemStatus::Open => "未制定措施",
            ProblemStatus::InProgress => "整改中",
            ProblemStatus::Rectified => "已整改",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_named_as_the_issue_and_the_console_name_them() {
        use MeasureStatus::*;
        let names: Vec<_> = [Pending, InProgress, Submitted, Closed, LongTerm, Cancelled]
            .map(Labelled::label)
            .to_vec();
        assert_eq!(names, ["待启动", "整改中", "待验收", "已销号", "长期坚持", "已撤销"]);
    }
}
