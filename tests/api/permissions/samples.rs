//! One request per operation of the schema, against the target subtree, with whatever it needs
//! set up fresh; and whether a read's answer includes the target.

use serde_json::{json, Value};

use super::world::*;
use crate::helpers::{TestApp, PASSWORD};

pub(super) fn input_type(mutation: &str) -> &'static str {
    match mutation {
        "startMeasure" | "submitMeasure" => "MeasureTransitionInput",
        "verifyMeasure" => "VerifyMeasureInput",
        "reportProgress" => "ReportProgressInput",
        "reopenMeasure" => "ReopenMeasureInput",
        "declareLongTerm" | "cancelMeasure" => "MeasureReasonInput",
        other => panic!("no input type for {other}"),
    }
}

/// Whether a read's answer includes the target.
pub(super) type Present = Box<dyn Fn(&Value) -> bool>;

/// A role and the unit it is granted on (None: the whole tree).
pub(super) type Grant<'a> = Option<(&'static str, Option<&'a str>)>;

/// One request of an operation.
pub(super) struct Sample {
    pub(super) query: String,
    pub(super) variables: Value,
    pub(super) present: Option<Present>,
    /// The sample acts on the caller's own account and needs a fresh login of it.
    pub(super) own_account: bool,
    /// A file for the variable `i.file`, sent as a multipart request.
    pub(super) file: Option<&'static [u8]>,
}

pub(super) fn write(query: &str, variables: Value) -> Sample {
    Sample {
        query: query.to_owned(),
        variables,
        present: None,
        own_account: false,
        file: None,
    }
}

pub(super) fn read(query: &str, variables: Value, present: impl Fn(&Value) -> bool + 'static) -> Sample {
    Sample {
        query: query.to_owned(),
        variables,
        present: Some(Box::new(present)),
        own_account: false,
        file: None,
    }
}

pub(super) fn lists(target: String, path: &'static [&'static str]) -> impl Fn(&Value) -> bool {
    move |data: &Value| {
        let mut v = data;
        for key in path {
            v = &v[*key];
        }
        v.as_array()
            .unwrap_or_else(|| panic!("no list at {path:?} in {data}"))
            .iter()
            .any(|item| item["node"]["id"] == target.as_str() || item["unit"]["id"] == target.as_str())
    }
}

pub(super) fn mutation(name: &str, input_type: &str, payload: &str) -> String {
    format!("mutation($i: {input_type}!) {{ {name}(input: $i) {{ {payload} }} }}")
}

/// A fresh campaign at version 1, for the samples that change one: its id.
async fn new_campaign(app: &TestApp) -> Value {
    app.ok(
        crate::helpers::CREATE_CAMPAIGN,
        json!({"i": {"name": "作风建设专项整治", "startsOn": "2026-06-01"}}),
    )
    .await["createCampaign"]["campaign"]["id"]
        .clone()
}

/// A request exercising `op` against the target subtree, with whatever it needs set up fresh.
pub(super) async fn sample(app: &TestApp, w: &World, op: &str) -> Sample {
    let measure_payload = "measure { id }";
    match op {
        "node" => read(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": w.measure}),
            |d| !d["node"].is_null(),
        ),
        "me" => read("{ me { id } }", json!({}), |d| !d["me"].is_null()),
        "accounts" => read("{ accounts(first: 100) { totalCount } }", json!({}), |_| true),
        "webhookDeliveries" => read("{ webhookDeliveries { configured pendingCount } }", json!({}), |_| true),
        "units" => read(
            "{ units(first: 100) { edges { node { id } } } }",
            json!({}),
            lists(w.division.clone(), &["units", "edges"]),
        ),
        "people" => read(
            "{ people(first: 100) { edges { node { id } } } }",
            json!({}),
            lists(w.person.clone(), &["people", "edges"]),
        ),
        "campaigns" => read(
            "{ campaigns(first: 100) { edges { node { id } } } }",
            json!({}),
            lists(w.campaign.clone(), &["campaigns", "edges"]),
        ),
        "problems" => read(
            "{ problems(first: 100) { edges { node { id } } } }",
            json!({}),
            lists(w.problem.clone(), &["problems", "edges"]),
        ),
        "measures" => read(
            "{ measures(first: 100) { edges { node { id } } } }",
            json!({}),
            lists(w.measure.clone(), &["measures", "edges"]),
        ),
        "auditEvents" => read("{ auditEvents(first: 1) { totalCount } }", json!({}), |_| true),
        "auditHead" => read("{ auditHead { seq } }", json!({}), |_| true),
        "verifyCheckpoint" => {
            let head = app.ok("{ auditHead { seq hash } }", json!({})).await["auditHead"].clone();
            read(
                "query($s: BigInt!, $h: String!) { verifyCheckpoint(seq: $s, hash: $h) }",
                json!({"s": head["seq"], "h": head["hash"]}),
                |d| d["verifyCheckpoint"] == true,
            )
        }
        "verifyAudit" => read("{ verifyAudit { ok } }", json!({}), |_| true),
        "supervisionActions" => read(
            "{ supervisionActions(first: 100) { edges { node { id } } } }",
            json!({}),
            lists(w.supervision.clone(), &["supervisionActions", "edges"]),
        ),
        "accountabilities" => read(
            "{ accountabilities(first: 100) { edges { node { id } } } }",
            json!({}),
            lists(w.accountability.clone(), &["accountabilities", "edges"]),
        ),
        "recordAccountability" => write(
            "mutation($i: RecordAccountabilityInput!) { recordAccountability(input: $i) { accountability { id } } }",
            json!({"i": w.accountability_input()}),
        ),
        "revokeAccountability" => write(
            "mutation($i: RevokeAccountabilityInput!) { revokeAccountability(input: $i) { accountability { id } } }",
            json!({"i": {"id": w.new_accountability(app).await, "expectedVersion": 1, "reason": "经复查撤销"}}),
        ),
        "scoreAdjustments" => read(
            "{ scoreAdjustments(first: 100) { edges { node { id } } } }",
            json!({}),
            lists(w.adjustment.clone(), &["scoreAdjustments", "edges"]),
        ),
        "proposeScoreAdjustment" => write(
            "mutation($i: ProposeScoreAdjustmentInput!) { proposeScoreAdjustment(input: $i) { scoreAdjustment { id } } }",
            json!({"i": w.adjustment_input()}),
        ),
        "decideScoreAdjustment" => write(
            "mutation($i: DecideScoreAdjustmentInput!) { decideScoreAdjustment(input: $i) { scoreAdjustment { id } } }",
            json!({"i": {"id": w.new_adjustment(app).await, "expectedVersion": 1, "approve": true}}),
        ),
        "inspections" => read(
            "{ inspections(first: 100) { edges { node { id } } } }",
            json!({}),
            lists(w.inspection.clone(), &["inspections", "edges"]),
        ),
        "recordInspection" => write(
            "mutation($i: RecordInspectionInput!) { recordInspection(input: $i) { inspection { id } } }",
            json!({"i": w.inspection_input()}),
        ),
        "recordInspectionFinding" => write(
            "mutation($i: RecordInspectionFindingInput!) { recordInspectionFinding(input: $i) { problem { id } } }",
            json!({"i": w.finding_input()}),
        ),
        "supervisionCounts" => read(
            "{ supervisionCounts { unit { id } total } }",
            json!({}),
            {
                let division = w.division.clone();
                move |d: &Value| {
                    d["supervisionCounts"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|c| c["unit"]["id"] == division.as_str())
                }
            },
        ),
        "login" => {
            let (username, _) = w.new_account(app, None).await;
            write(
                "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }",
                json!({"u": username, "p": PASSWORD}),
            )
        }
        "logout" => Sample {
            own_account: true,
            ..write("mutation { logout { revoked } }", json!({}))
        },
        "changePassword" => Sample {
            own_account: true,
            ..write(
                "mutation($c: String!, $n: String!) { changePassword(input: {currentPassword: $c, newPassword: $n}) { account { id } } }",
                json!({"c": PASSWORD, "n": "换一个新的足够长密码"}),
            )
        },
        "createAccount" => write(
            &mutation("createAccount", "CreateAccountInput", "account { id }"),
            json!({"i": {"username": unique("matrix.new"), "displayName": "新账号", "personId": w.person, "password": PASSWORD}}),
        ),
        "grantRole" => {
            let (_, account) = w.new_account(app, None).await;
            write(
                &mutation("grantRole", "GrantRoleInput", "grant { id }"),
                json!({"i": {"accountId": account, "role": "VIEWER", "unitId": w.division}}),
            )
        }
        "revokeGrant" => {
            let (_, account) = w.new_account(app, Some(("VIEWER", Some(&w.division)))).await;
            let grant = app
                .ok(
                    "query($id: ID!) { node(id: $id) { ... on Account { grants { id } } } }",
                    json!({"id": account}),
                )
                .await["node"]["grants"][0]["id"]
                .clone();
            write(
                &mutation("revokeGrant", "RevokeGrantInput", "account { id }"),
                json!({"i": {"grantId": grant, "reason": "岗位调整"}}),
            )
        }
        "setAccountDisabled" => {
            let (_, account) = w.new_account(app, None).await;
            write(
                &mutation("setAccountDisabled", "SetAccountDisabledInput", "account { id }"),
                json!({"i": {"accountId": account, "disabled": true}}),
            )
        }
        "createUnit" => write(
            &mutation("createUnit", "CreateUnitInput", "unit { id }"),
            json!({"i": {"name": "临时工作专班", "shortCode": unique("QS-NEW-"), "kind": "OFFICE", "parentId": w.division}}),
        ),
        "updateUnit" => write(
            &mutation("updateUnit", "UpdateUnitInput", "unit { id }"),
            json!({"i": {"id": w.new_unit(app).await, "expectedVersion": 1, "name": "整改工作专班"}}),
        ),
        "archiveUnit" => write(
            &mutation("archiveUnit", "ArchiveUnitInput", "unit { id }"),
            json!({"i": {"id": w.new_unit(app).await, "expectedVersion": 1, "reason": "专班撤销"}}),
        ),
        "createPerson" => write(
            &mutation("createPerson", "CreatePersonInput", "person { id }"),
            json!({"i": {"name": "唐卫", "unitId": w.division}}),
        ),
        "updatePerson" => write(
            &mutation("updatePerson", "UpdatePersonInput", "person { id }"),
            json!({"i": {"id": app.create_person("韩冬", &w.division).await, "expectedVersion": 1, "position": "副股长"}}),
        ),
        "archivePerson" => write(
            &mutation("archivePerson", "ArchivePersonInput", "person { id }"),
            json!({"i": {"id": app.create_person("韩冬", &w.division).await, "expectedVersion": 1, "reason": "调离"}}),
        ),
        "createCampaign" => write(
            crate::helpers::CREATE_CAMPAIGN,
            json!({"i": {"name": "作风建设专项整治", "startsOn": "2026-06-01"}}),
        ),
        "updateCampaign" => {
            let campaign = new_campaign(app).await;
            write(
                &mutation("updateCampaign", "UpdateCampaignInput", "campaign { id }"),
                json!({"i": {"id": campaign, "expectedVersion": 1, "phase": "RECTIFICATION"}}),
            )
        }
        "setRankingWeights" => {
            let campaign = new_campaign(app).await;
            write(
                &mutation("setRankingWeights", "SetRankingWeightsInput", "campaign { id }"),
                json!({"i": {"campaignId": campaign, "expectedVersion": 1, "weights": {"completion": 0.5}}}),
            )
        }
        "setReportRhythm" => {
            let campaign = new_campaign(app).await;
            write(
                &mutation("setReportRhythm", "SetReportRhythmInput", "campaign { id }"),
                json!({"i": {"campaignId": campaign, "expectedVersion": 1, "default": {"kind": "HALF_MONTHLY"}}}),
            )
        }
        // Whose missed reports a reader sees is tested in tests/api/rhythms.rs.
        "missingReports" => read(
            "query($c: ID!) { missingReports(campaignId: $c) { totalCount } }",
            json!({"c": w.campaign}),
            |d| d["missingReports"]["totalCount"].is_number(),
        ),
        // What each account's inbox holds is tested in tests/api/inbox.rs.
        "inbox" => read(
            "{ inbox { totalCount unreadCount } }",
            json!({}),
            |d| d["inbox"]["totalCount"].is_number(),
        ),
        "markInboxRead" => write(
            &mutation("markInboxRead", "MarkInboxReadInput", "inbox { unreadCount }"),
            json!({"i": {"all": true}}),
        ),
        // Whose late acknowledgements a reader sees is tested in tests/api/receipts.rs.
        "lateAcknowledgements" => read(
            "query($c: ID!) { lateAcknowledgements(campaignId: $c) { totalCount } }",
            json!({"c": w.campaign}),
            |d| d["lateAcknowledgements"]["totalCount"].is_number(),
        ),
        "issueRankingTalks" => write(
            &mutation(
                "issueRankingTalks",
                "IssueRankingTalksInput",
                "supervisionActions { id }",
            ),
            json!({"i": {"campaignId": w.campaign, "responseDue": "2026-07-10"}}),
        ),
        "createProblem" => write(
            crate::helpers::CREATE_PROBLEM,
            json!({"i": {
                "campaignId": w.campaign, "code": unique("N-"), "title": "窗口服务态度生硬",
                "category": "作风建设", "source": "SUGGESTION_BOX", "foundOn": "2026-05-20",
                "responsibilityLevel": "LEADERSHIP_TEAM", "severity": "MEDIUM",
                "rectificationKind": "IMMEDIATE", "leadUnitId": w.division
            }}),
        ),
        "updateProblem" => write(
            &mutation("updateProblem", "UpdateProblemInput", "problem { id }"),
            json!({"i": {"id": w.new_problem(app).await, "expectedVersion": 1, "severity": "LOW"}}),
        ),
        "archiveProblem" => write(
            &mutation("archiveProblem", "ArchiveProblemInput", "problem { id }"),
            json!({"i": {"id": w.new_problem(app).await, "expectedVersion": 1, "reason": "重复录入"}}),
        ),
        "createMeasure" => write(crate::helpers::CREATE_MEASURE, json!({"i": w.measure_input()})),
        "updateMeasure" => write(
            &mutation("updateMeasure", "UpdateMeasureInput", measure_payload),
            json!({"i": {"id": id(&w.new_measure(app).await), "expectedVersion": 1, "title": "完成饮水工程维修并验收"}}),
        ),
        "startMeasure" => write(
            &mutation("startMeasure", "MeasureTransitionInput", measure_payload),
            json!({"i": {"id": id(&w.new_measure(app).await), "expectedVersion": 1}}),
        ),
        "reportProgress" => write(
            &mutation("reportProgress", "ReportProgressInput", measure_payload),
            json!({"i": {"id": id(&w.new_measure(app).await), "expectedVersion": 1, "percent": 40, "text": "管网维修过半"}}),
        ),
        "declareLongTerm" => write(
            &mutation("declareLongTerm", "MeasureReasonInput", measure_payload),
            json!({"i": {"id": id(&w.new_measure(app).await), "expectedVersion": 1, "reason": "需跨年度建设，已向群众说明"}}),
        ),
        "cancelMeasure" => write(
            &mutation("cancelMeasure", "MeasureReasonInput", measure_payload),
            json!({"i": {"id": id(&w.new_measure(app).await), "expectedVersion": 1, "reason": "与其他措施重复"}}),
        ),
        "requestDeadlineExtension" => write(
            &mutation("requestDeadlineExtension", "RequestDeadlineExtensionInput", measure_payload),
            json!({"i": {"id": id(&w.new_measure(app).await), "expectedVersion": 1, "newDeadline": "2026-10-31", "reason": "汛期无法施工"}}),
        ),
        "submitMeasure" => {
            let (mid, version) = w.measure_in(app, "IN_PROGRESS").await;
            write(
                &mutation("submitMeasure", "MeasureTransitionInput", measure_payload),
                json!({"i": {"id": mid, "expectedVersion": version}}),
            )
        }
        "verifyMeasure" => {
            let (mid, version) = w.measure_in(app, "SUBMITTED").await;
            write(
                &mutation("verifyMeasure", "VerifyMeasureInput", measure_payload),
                json!({"i": {"id": mid, "expectedVersion": version, "result": "PASS"}}),
            )
        }
        "recordLookBack" => {
            let (mid, _) = w.measure_in(app, "CLOSED").await;
            write(
                &mutation("recordLookBack", "RecordLookBackInput", "lookBack { id }"),
                json!({"i": {"measureId": mid, "foundInOrder": true, "note": "回头看：整改成果巩固"}}),
            )
        }
        "reopenMeasure" => {
            let (mid, version) = w.measure_in(app, "CLOSED").await;
            write(
                &mutation("reopenMeasure", "ReopenMeasureInput", measure_payload),
                json!({"i": {"id": mid, "expectedVersion": version, "reason": "回头看发现问题反弹", "newDeadline": "2026-12-31"}}),
            )
        }
        "decideDeadlineExtension" => {
            let mid = id(&w.new_measure(app).await);
            let asked = app
                .ok(
                    &mutation("requestDeadlineExtension", "RequestDeadlineExtensionInput", "extension { id }"),
                    json!({"i": {"id": mid, "expectedVersion": 1, "newDeadline": "2026-10-31", "reason": "汛期无法施工"}}),
                )
                .await;
            write(
                &mutation("decideDeadlineExtension", "DecideDeadlineExtensionInput", "extension { id }"),
                json!({"i": {"id": asked["requestDeadlineExtension"]["extension"]["id"], "decision": "APPROVE", "comment": "同意"}}),
            )
        }
        "issueSupervision" => write(
            &mutation("issueSupervision", "IssueSupervisionInput", "supervisionAction { id }"),
            json!({"i": {"kind": "NAMED_CRITICISM", "targetUnitId": w.division, "content": "整改不力，予以点名批评"}}),
        ),
        "respondToSupervision" => write(
            &mutation("respondToSupervision", "RespondToSupervisionInput", "supervisionAction { id }"),
            json!({"i": {"id": w.new_supervision(app).await, "response": "已制定整改方案"}}),
        ),
        "acknowledgeAssignment" => {
            let (_, receipt) = w.new_unacknowledged_supervision(app).await;
            write(
                &mutation("acknowledgeAssignment", "AcknowledgeAssignmentInput", "receipt { id }"),
                json!({"i": {"id": receipt, "expectedVersion": 1, "note": "已签收"}}),
            )
        }
        "urge" => {
            let (action, _) = w.new_unacknowledged_supervision(app).await;
            write(
                &mutation("urge", "UrgeInput", "urging { id }"),
                json!({"i": {"supervisionActionId": action, "note": "请尽快签收并书面报告", "respondBy": "2026-07-10"}}),
            )
        }
        "addMilestone" => write(
            "mutation($i: AddMilestoneInput!) { addMilestone(input: $i) { milestone { id } } }",
            json!({"i": {"measureId": w.measure, "title": "完成管网排查", "dueOn": "2026-07-15"}}),
        ),
        "completeMilestone" => {
            let step = app
                .ok(
                    "mutation($i: AddMilestoneInput!) { addMilestone(input: $i) { milestone { id } } }",
                    json!({"i": {"measureId": w.measure, "title": "完成管网排查", "dueOn": "2026-07-15"}}),
                )
                .await["addMilestone"]["milestone"]["id"]
                .clone();
            write(
                "mutation($i: CompleteMilestoneInput!) { completeMilestone(input: $i) { milestone { id } } }",
                json!({"i": {"id": step, "expectedVersion": 1}}),
            )
        }
        "uploadEvidence" => Sample {
            file: Some(b"%PDF-1.4 matrix"),
            ..write(
                "mutation($i: UploadEvidenceInput!) { uploadEvidence(input: $i) { evidence { id } } }",
                json!({"i": {"measureId": w.measure, "file": null}}),
            )
        },
        "withdrawEvidence" => {
            let token = app.root_token();
            let (_, body) = app
                .post_file(
                    Some(&token),
                    "mutation($i: UploadEvidenceInput!) { uploadEvidence(input: $i) { evidence { id } } }",
                    json!({"i": {"measureId": w.measure, "file": null}}),
                    "variables.i.file",
                    ("错传.pdf", "application/pdf", b"%PDF-1.4 wrong"),
                )
                .await;
            write(
                "mutation($i: WithdrawEvidenceInput!) { withdrawEvidence(input: $i) { evidence { id } } }",
                json!({"i": {"id": body["data"]["uploadEvidence"]["evidence"]["id"], "expectedVersion": 1, "reason": "错传"}}),
            )
        }
        "feedback" => read(
            "{ feedback(first: 100) { edges { node { id } } } }",
            json!({}),
            lists(w.feedback.clone(), &["feedback", "edges"]),
        ),
        "feedbackCounts" => read("{ feedbackCounts { channel count } }", json!({}), |d| {
            d["feedbackCounts"].as_array().is_some_and(|a| !a.is_empty())
        }),
        "satisfactionSurveys" => read(
            "{ satisfactionSurveys(first: 100) { edges { node { id } } } }",
            json!({}),
            lists(w.survey.clone(), &["satisfactionSurveys", "edges"]),
        ),
        "recordFeedback" => write(
            "mutation($i: RecordFeedbackInput!) { recordFeedback(input: $i) { feedback { id } } }",
            json!({"i": w.feedback_input()}),
        ),
        "dismissFeedback" => write(
            "mutation($i: DismissFeedbackInput!) { dismissFeedback(input: $i) { feedback { id } } }",
            json!({"i": {"id": w.new_feedback(app).await, "expectedVersion": 1, "reason": "不属于本次活动范围"}}),
        ),
        "mergeFeedback" => write(
            "mutation($i: MergeFeedbackInput!) { mergeFeedback(input: $i) { feedback { id } } }",
            json!({"i": {"feedbackIds": [w.new_feedback(app).await], "problemId": w.problem}}),
        ),
        "recordSatisfactionSurvey" => write(
            "mutation($i: RecordSatisfactionSurveyInput!) { recordSatisfactionSurvey(input: $i) { survey { id } } }",
            json!({"i": w.survey_input()}),
        ),
        "discloseSurvey" => {
            let q = "mutation($i: RecordSatisfactionSurveyInput!) { recordSatisfactionSurvey(input: $i) { survey { id } } }";
            let survey = id(&app.ok(q, json!({"i": w.survey_input()})).await["recordSatisfactionSurvey"]["survey"]);
            write(
                "mutation($i: DiscloseSurveyInput!) { discloseSurvey(input: $i) { survey { id } } }",
                json!({"i": {"id": survey, "expectedVersion": 1, "disclosure": "PUBLIC"}}),
            )
        }
        "commitments" => read(
            "{ commitments(first: 100) { edges { node { id } } } }",
            json!({}),
            lists(w.commitment.clone(), &["commitments", "edges"]),
        ),
        "makeCommitment" => write(
            "mutation($i: MakeCommitmentInput!) { makeCommitment(input: $i) { commitment { id } } }",
            json!({"i": w.commitment_input()}),
        ),
        "fulfilCommitment" => write(
            "mutation($i: FulfilCommitmentInput!) { fulfilCommitment(input: $i) { commitment { id } } }",
            json!({"i": {"id": w.new_commitment(app).await, "expectedVersion": 1, "note": "已按期完成"}}),
        ),
        "ledgerStats" => read("{ ledgerStats { total } }", json!({}), |d| {
            d["ledgerStats"]["total"].as_i64().is_some_and(|t| t > 0)
        }),
        "ledgerStatsBy" => read("{ ledgerStatsBy(dimension: SEVERITY) { stats { total } } }", json!({}), |d| {
            d["ledgerStatsBy"].as_array().is_some_and(|g| !g.is_empty())
        }),
        "unitRanking" => read(
            "query($c: ID!) { unitRanking(campaignId: $c) { rows { unit { id } } } }",
            json!({"c": w.campaign}),
            {
                let division = w.division.clone();
                move |d: &Value| {
                    d["unitRanking"]["rows"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|r| r["unit"]["id"] == division.as_str())
                }
            },
        ),
        "trend" => read(
            "query($c: ID!) { trend(campaignId: $c, interval: DAY, from: \"2026-06-29\", to: \"2026-06-30\") { stats { total } } }",
            json!({"c": w.campaign}),
            |d| d["trend"][1]["stats"]["total"].as_i64().is_some_and(|t| t > 0),
        ),
        "dueSoon" => read("{ dueSoon(days: 100) { id } }", json!({}), {
            let target = w.measure.clone();
            move |d: &Value| d["dueSoon"].as_array().unwrap().iter().any(|m| m["id"] == target.as_str())
        }),
        "bulletins" => {
            let bulletin = w.new_bulletin(app).await;
            read("{ bulletins(first: 100) { id } }", json!({}), move |d: &Value| {
                d["bulletins"].as_array().unwrap().iter().any(|b| b["id"] == bulletin.as_str())
            })
        }
        "bulletin" => read(
            "query($id: ID!) { bulletin(id: $id) { id } }",
            json!({"id": w.new_bulletin(app).await}),
            |d| !d["bulletin"].is_null(),
        ),
        "discloseBulletin" => write(
            "mutation($i: DiscloseBulletinInput!) { discloseBulletin(input: $i) { bulletin { id } } }",
            json!({"i": {"id": w.new_bulletin(app).await, "disclosure": "PUBLIC"}}),
        ),
        "generateBulletin" => write(
            "mutation($i: GenerateBulletinInput!) { generateBulletin(input: $i) { bulletin { id } } }",
            json!({"i": w.bulletin_input()}),
        ),
        "calendarDays" => read(
            "{ calendarDays(from: \"2026-01-01\", to: \"2026-12-31\") { date } }",
            json!({}),
            |_| true,
        ),
        "labels" => read("{ labels { name values { value label } } }", json!({}), |d| {
            d["labels"].as_array().is_some_and(|l| !l.is_empty())
        }),
        "calendarCoverage" => read(
            "{ calendarCoverage(fromYear: 2026, toYear: 2027) { year loaded } }",
            json!({}),
            |_| true,
        ),
        "setCalendarDays" => write(
            "mutation($i: SetCalendarDaysInput!) { setCalendarDays(input: $i) { days { date } } }",
            json!({"i": {"days": [{"date": unique_date(), "kind": "HOLIDAY", "name": "临时放假"}]}}),
        ),
        "removeCalendarDay" => {
            let date = unique_date();
            app.ok(
                "mutation($i: SetCalendarDaysInput!) { setCalendarDays(input: $i) { days { date } } }",
                json!({"i": {"days": [{"date": date, "kind": "HOLIDAY", "name": "临时放假"}]}}),
            )
            .await;
            write(
                "mutation($i: RemoveCalendarDayInput!) { removeCalendarDay(input: $i) { removed { date } } }",
                json!({"i": {"date": date, "reason": "录入有误"}}),
            )
        }
        other => panic!("no sample request for `{other}`: add one here and a row in docs/permissions.md"),
    }
}
