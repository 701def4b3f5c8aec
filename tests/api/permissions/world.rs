//! The world the samples act on: objects of the target subtree (县水利局 → 农村水利股) and of
//! the other one (县教育局), and fresh names for whatever a sample creates.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{json, Value};

use super::samples::input_type;
use crate::helpers::TestApp;

/// Objects of the target subtree (县水利局 → 农村水利股) and of the other one (县教育局).
pub(super) struct World {
    pub(super) water: String,
    pub(super) division: String,
    pub(super) education: String,
    pub(super) person: String,
    pub(super) campaign: String,
    pub(super) problem: String,
    pub(super) measure: String,
    pub(super) supervision: String,
    pub(super) feedback: String,
    pub(super) survey: String,
    pub(super) commitment: String,
    /// A SUPERVISOR of the whole tree that closes measures for the reopen samples.
    pub(super) closer: String,
    /// A DISCIPLINE holder of the whole tree (the 纪委) that records accountability.
    pub(super) jiwei: String,
    /// A 通报批评 of the division (a unit's record: every reader of the unit sees it).
    pub(super) accountability: String,
    /// A 减分 item of the division.
    pub(super) adjustment: String,
    /// 县委督查组 (INSPECTION_GROUP, under the county, outside both subtrees) and one of its
    /// inspectors.
    pub(super) group: String,
    pub(super) inspector: String,
    /// A 暗访 of the division by the group.
    pub(super) inspection: String,
}

pub(super) static COUNTER: AtomicUsize = AtomicUsize::new(0);

pub(super) fn unique(prefix: &str) -> String {
    format!("{prefix}{}", COUNTER.fetch_add(1, Ordering::SeqCst))
}

/// A date no other sample uses.
pub(super) fn unique_date() -> String {
    let day = chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap()
        + chrono::Duration::days(COUNTER.fetch_add(1, Ordering::SeqCst) as i64);
    day.to_string()
}

pub(super) fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("no id in {v}")).to_owned()
}

impl World {
    pub(super) async fn build(app: &TestApp) -> Self {
        let county = app.create_unit("中共青山县委", "QS", "COMMITTEE", None).await;
        let water = app.create_unit("县水利局", "QS-SLJ", "DEPARTMENT", Some(&county)).await;
        let division = app
            .create_unit("农村水利股", "QS-SLJ-NS", "DIVISION", Some(&water))
            .await;
        let education = app.create_unit("县教育局", "QS-JYJ", "DEPARTMENT", Some(&county)).await;
        let person = app.create_person("许明亮", &division).await;
        let campaign = app
            .ok(
                crate::helpers::CREATE_CAMPAIGN,
                json!({"i": {"name": "深入学习实践科学发展观活动（第一批）", "startsOn": "2026-03-01"}}),
            )
            .await["createCampaign"]["campaign"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let closer = app
            .account("closer", "县委督查组", Some(("SUPERVISOR", None)), None)
            .await;
        let group = app
            .create_unit("县委督查组", "QS-DCZ", "INSPECTION_GROUP", Some(&county))
            .await;
        let inspector = app.create_person("吴晓明", &group).await;
        let jiwei = app
            .account("jiwei", "县纪委监委", Some(("DISCIPLINE", None)), None)
            .await;
        let mut world = Self {
            water,
            division,
            education,
            person,
            campaign,
            problem: String::new(),
            measure: String::new(),
            supervision: String::new(),
            feedback: String::new(),
            survey: String::new(),
            commitment: String::new(),
            closer,
            jiwei,
            accountability: String::new(),
            adjustment: String::new(),
            group,
            inspector,
            inspection: String::new(),
        };
        world.problem = world.new_problem(app).await;
        world.measure = id(&world.new_measure(app).await);
        world.supervision = world.new_supervision(app).await;
        world.accountability = world.new_accountability(app).await;
        world.adjustment = world.new_adjustment(app).await;
        world.inspection = world.new_inspection(app).await;
        world.feedback = world.new_feedback(app).await;
        world.commitment = world.new_commitment(app).await;
        world.survey = id(&app
            .ok(
                "mutation($i: RecordSatisfactionSurveyInput!) { recordSatisfactionSurvey(input: $i) { survey { id } } }",
                json!({"i": world.survey_input()}),
            )
            .await["recordSatisfactionSurvey"]["survey"]);
        world
    }

    pub(super) async fn new_problem(&self, app: &TestApp) -> String {
        let input = json!({
            "campaignId": self.campaign, "code": unique("P-"), "title": "农村饮水工程年久失修",
            "category": "民生实事", "source": "FORUM", "foundOn": "2026-05-10",
            "responsibilityLevel": "LEADERSHIP_TEAM", "severity": "HIGH",
            "rectificationKind": "WITHIN_DEADLINE", "leadUnitId": self.division
        });
        id(&app.ok(crate::helpers::CREATE_PROBLEM, json!({"i": input})).await["createProblem"]["problem"])
    }

    pub(super) fn measure_input(&self) -> Value {
        json!({
            "problemId": self.problem, "title": "完成饮水工程维修", "leadUnitId": self.division,
            "responsibleLeaderId": self.person, "responsiblePersonId": self.person,
            "acceptanceCriteria": "管网修复，群众饮水达标", "deadline": "2026-09-30"
        })
    }

    /// A fresh PENDING measure of the target problem: `{id, version}`.
    pub(super) async fn new_measure(&self, app: &TestApp) -> Value {
        app.ok(crate::helpers::CREATE_MEASURE, json!({"i": self.measure_input()}))
            .await["createMeasure"]["measure"]
            .clone()
    }

    /// Applies lifecycle verbs as root (or `token`) and returns the new version.
    pub(super) async fn step(app: &TestApp, token: Option<&str>, mutation: &str, input: Value) -> i64 {
        let query = format!(
            "mutation($i: {}!) {{ {mutation}(input: $i) {{ measure {{ version }} }} }}",
            input_type(mutation)
        );
        let data = match token {
            Some(t) => app.ok_as(t, &query, json!({"i": input})).await,
            None => app.ok(&query, json!({"i": input})).await,
        };
        data[mutation]["measure"]["version"].as_i64().unwrap()
    }

    /// A fresh measure brought to `status` (IN_PROGRESS, SUBMITTED or CLOSED), its close-out
    /// gate met (100 %, a report attached): (id, version).
    pub(super) async fn measure_in(&self, app: &TestApp, status: &str) -> (String, i64) {
        let m = self.new_measure(app).await;
        let mid = id(&m);
        Self::step(app, None, "startMeasure", json!({"id": mid, "expectedVersion": 1})).await;
        let mut version = crate::helpers::complete(app, &mid).await;
        if status != "IN_PROGRESS" {
            version = Self::step(
                app,
                None,
                "submitMeasure",
                json!({"id": mid, "expectedVersion": version}),
            )
            .await;
        }
        if status == "CLOSED" {
            let input = json!({"id": mid, "expectedVersion": version, "result": "PASS"});
            version = Self::step(app, Some(&self.closer), "verifyMeasure", input).await;
        }
        (mid, version)
    }

    pub(super) fn feedback_input(&self) -> Value {
        json!({"campaignId": self.campaign, "unitId": self.division, "channel": "SUGGESTION_BOX",
               "receivedOn": "2026-05-12", "content": "村里自来水经常停水，希望尽快维修"})
    }

    pub(super) async fn new_feedback(&self, app: &TestApp) -> String {
        let q = "mutation($i: RecordFeedbackInput!) { recordFeedback(input: $i) { feedback { id } } }";
        id(&app.ok(q, json!({"i": self.feedback_input()})).await["recordFeedback"]["feedback"])
    }

    pub(super) fn commitment_input(&self) -> Value {
        json!({"campaignId": self.campaign, "unitId": self.division, "personId": self.person,
               "content": "一个月内完成全部村组管网排查", "dueOn": "2026-07-31"})
    }

    pub(super) async fn new_commitment(&self, app: &TestApp) -> String {
        let q = "mutation($i: MakeCommitmentInput!) { makeCommitment(input: $i) { commitment { id } } }";
        id(&app.ok(q, json!({"i": self.commitment_input()})).await["makeCommitment"]["commitment"])
    }

    pub(super) fn survey_input(&self) -> Value {
        json!({"campaignId": self.campaign, "unitId": self.division, "heldOn": "2026-06-20",
               "method": "REPRESENTATIVES", "participants": 40, "satisfied": 30, "basicallySatisfied": 8, "dissatisfied": 2})
    }

    pub(super) fn bulletin_input(&self) -> Value {
        json!({"campaignId": self.campaign, "period": {"from": "2026-06-16", "to": "2026-06-30"}})
    }

    pub(super) async fn new_bulletin(&self, app: &TestApp) -> String {
        let q = "mutation($i: GenerateBulletinInput!) { generateBulletin(input: $i) { bulletin { id } } }";
        id(&app.ok(q, json!({"i": self.bulletin_input()})).await["generateBulletin"]["bulletin"])
    }

    /// A fresh supervision action addressed to the division, signed for (签收) so that it can
    /// be answered.
    pub(super) async fn new_supervision(&self, app: &TestApp) -> String {
        let (action, receipt) = self.new_unacknowledged_supervision(app).await;
        let q = "mutation($i: AcknowledgeAssignmentInput!) { acknowledgeAssignment(input: $i) { receipt { id } } }";
        app.ok(q, json!({"i": {"id": receipt, "expectedVersion": 1}})).await;
        action
    }

    /// A fresh supervision action addressed to the division and its receipt, not signed for.
    pub(super) async fn new_unacknowledged_supervision(&self, app: &TestApp) -> (String, String) {
        let q = "mutation($i: IssueSupervisionInput!) { issueSupervision(input: $i) { supervisionAction { id receipt { id } } } }";
        let input = json!({"kind": "NOTICE", "targetUnitId": self.division, "content": "限期完成整改并书面报告"});
        let done = app.ok(q, json!({"i": input})).await;
        let action = &done["issueSupervision"]["supervisionAction"];
        (id(action), id(&action["receipt"]))
    }

    pub(super) fn accountability_input(&self) -> Value {
        json!({"campaignId": self.campaign, "kind": "BULLETIN_CRITICISM", "subjectUnitId": self.division,
               "problemId": self.problem, "facts": "整改工作推进不力", "decidingBody": "县纪委",
               "documentNumber": "青纪发〔2026〕1号", "decidedOn": "2026-06-29"})
    }

    /// A fresh 通报批评 of the division, recorded by the 纪委.
    pub(super) async fn new_accountability(&self, app: &TestApp) -> String {
        let q =
            "mutation($i: RecordAccountabilityInput!) { recordAccountability(input: $i) { accountability { id } } }";
        let done = app
            .ok_as(&self.jiwei, q, json!({"i": self.accountability_input()}))
            .await;
        id(&done["recordAccountability"]["accountability"])
    }

    pub(super) fn adjustment_input(&self) -> Value {
        json!({"campaignId": self.campaign, "unitId": self.division, "kind": "DEDUCTION", "points": 2,
               "item": "未按时报送半月报", "basis": "考核办法第十二条", "evidence": "督查组登记簿"})
    }

    /// A fresh 减分 item of the division, proposed by the closer (a whole-tree SUPERVISOR), so
    /// that any other account may decide it.
    pub(super) async fn new_adjustment(&self, app: &TestApp) -> String {
        let q = "mutation($i: ProposeScoreAdjustmentInput!) { proposeScoreAdjustment(input: $i) { scoreAdjustment { id } } }";
        let done = app.ok_as(&self.closer, q, json!({"i": self.adjustment_input()})).await;
        id(&done["proposeScoreAdjustment"]["scoreAdjustment"])
    }

    pub(super) fn inspection_input(&self) -> Value {
        json!({"campaignId": self.campaign, "groupUnitId": self.group, "mode": "UNANNOUNCED",
               "title": "作风建设暗访", "plan": "暗访窗口服务", "startsOn": "2026-06-01", "endsOn": "2026-06-05",
               "memberIds": [self.inspector], "visitedUnitIds": [self.division]})
    }

    /// A fresh 暗访 of the division, recorded by the closer (a whole-tree SUPERVISOR).
    pub(super) async fn new_inspection(&self, app: &TestApp) -> String {
        let q = "mutation($i: RecordInspectionInput!) { recordInspection(input: $i) { inspection { id } } }";
        let done = app.ok_as(&self.closer, q, json!({"i": self.inspection_input()})).await;
        id(&done["recordInspection"]["inspection"])
    }

    /// A finding of the world's inspection, with a problem code no other sample uses.
    pub(super) fn finding_input(&self) -> Value {
        json!({"inspectionId": self.inspection, "problem": {
            "campaignId": self.campaign, "code": unique("DC-"), "title": "窗口人员上班玩手机",
            "category": "机关作风建设", "source": "UNANNOUNCED_VISIT", "foundOn": "2026-06-02",
            "responsibilityLevel": "MEMBER", "severity": "MEDIUM", "rectificationKind": "IMMEDIATE",
            "leadUnitId": self.division}})
    }

    pub(super) async fn new_unit(&self, app: &TestApp) -> String {
        app.create_unit("临时工作专班", &unique("QS-ZB-"), "OFFICE", Some(&self.division))
            .await
    }

    /// A fresh account: (username, id).
    pub(super) async fn new_account(&self, app: &TestApp, role: Option<(&str, Option<&str>)>) -> (String, String) {
        let username = unique("matrix.user");
        let token = app.account(&username, "临时账号", role, None).await;
        let me = app.ok_as(&token, "{ me { id } }", json!({})).await;
        (username, id(&me["me"]))
    }
}
