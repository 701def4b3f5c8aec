//! The permission matrix of docs/permissions.md, checked cell by cell against a running server:
//! every query and mutation of the served schema, anonymously and for each role held on the
//! target's subtree, on another subtree and on the whole tree. A new operation without a row in
//! the document, or without a sample request here, fails the test.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{json, Value};

use crate::helpers::{TestApp, PASSWORD};
use crate::on_both_engines;

const ROLES: [&str; 4] = ["VIEWER", "EDITOR", "SUPERVISOR", "ADMIN"];
const SCOPES: [&str; 3] = ["in", "out", "all"];

/// The matrix as documented: operation → 13 outcomes (anonymous, then role × scope).
fn documented_matrix() -> BTreeMap<String, Vec<String>> {
    let doc = include_str!("../../docs/permissions.md");
    let table = doc.split("## The matrix").nth(1).expect("a matrix section");
    let mut matrix = BTreeMap::new();
    for line in table.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let op = cells[0].trim_matches('`').to_owned();
        let mut outcomes = vec![cells[1].to_owned()];
        for cell in &cells[2..] {
            let parts: Vec<String> = cell.split('/').map(|s| s.trim().to_owned()).collect();
            assert_eq!(parts.len(), 3, "{op}: `{cell}` is not in / out / all");
            outcomes.extend(parts);
        }
        assert_eq!(outcomes.len(), 13, "{op}: expected anonymous and 4 roles");
        for o in &outcomes {
            assert!(
                ["ok", "hidden", "FORBIDDEN", "UNAUTHENTICATED"].contains(&o.as_str()),
                "{op}: unknown outcome {o}"
            );
        }
        assert!(matrix.insert(op.clone(), outcomes).is_none(), "{op} twice");
    }
    matrix
}

/// Every query and mutation the server serves, from introspection.
async fn served_operations(app: &TestApp) -> BTreeSet<String> {
    let data = app
        .ok(
            "{ __schema { queryType { fields { name } } mutationType { fields { name } } } }",
            json!({}),
        )
        .await;
    let mut ops = BTreeSet::new();
    for root in ["queryType", "mutationType"] {
        for f in data["__schema"][root]["fields"].as_array().unwrap() {
            ops.insert(f["name"].as_str().unwrap().to_owned());
        }
    }
    ops
}

/// Objects of the target subtree (县水利局 → 农村水利股) and of the other one (县教育局).
struct World {
    water: String,
    division: String,
    education: String,
    person: String,
    campaign: String,
    problem: String,
    measure: String,
    supervision: String,
    feedback: String,
    survey: String,
    commitment: String,
    /// A SUPERVISOR of the whole tree that closes measures for the reopen samples.
    closer: String,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn unique(prefix: &str) -> String {
    format!("{prefix}{}", COUNTER.fetch_add(1, Ordering::SeqCst))
}

/// A date no other sample uses.
fn unique_date() -> String {
    let day = chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap()
        + chrono::Duration::days(COUNTER.fetch_add(1, Ordering::SeqCst) as i64);
    day.to_string()
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("no id in {v}")).to_owned()
}

impl World {
    async fn build(app: &TestApp) -> Self {
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
        };
        world.problem = world.new_problem(app).await;
        world.measure = id(&world.new_measure(app).await);
        world.supervision = world.new_supervision(app).await;
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

    async fn new_problem(&self, app: &TestApp) -> String {
        let input = json!({
            "campaignId": self.campaign, "code": unique("P-"), "title": "农村饮水工程年久失修",
            "category": "民生实事", "source": "FORUM", "foundOn": "2026-05-10",
            "responsibilityLevel": "LEADERSHIP_TEAM", "severity": "HIGH",
            "rectificationKind": "WITHIN_DEADLINE", "leadUnitId": self.division
        });
        id(&app.ok(crate::helpers::CREATE_PROBLEM, json!({"i": input})).await["createProblem"]["problem"])
    }

    fn measure_input(&self) -> Value {
        json!({
            "problemId": self.problem, "title": "完成饮水工程维修", "leadUnitId": self.division,
            "responsiblePersonId": self.person, "deadline": "2026-09-30"
        })
    }

    /// A fresh PENDING measure of the target problem: `{id, version}`.
    async fn new_measure(&self, app: &TestApp) -> Value {
        app.ok(crate::helpers::CREATE_MEASURE, json!({"i": self.measure_input()}))
            .await["createMeasure"]["measure"]
            .clone()
    }

    /// Applies lifecycle verbs as root (or `token`) and returns the new version.
    async fn step(app: &TestApp, token: Option<&str>, mutation: &str, input: Value) -> i64 {
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

    /// A fresh measure brought to `status` (IN_PROGRESS, SUBMITTED or CLOSED): (id, version).
    async fn measure_in(&self, app: &TestApp, status: &str) -> (String, i64) {
        let m = self.new_measure(app).await;
        let mid = id(&m);
        let mut version = Self::step(app, None, "startMeasure", json!({"id": mid, "expectedVersion": 1})).await;
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

    fn feedback_input(&self) -> Value {
        json!({"campaignId": self.campaign, "unitId": self.division, "channel": "SUGGESTION_BOX",
               "receivedOn": "2026-05-12", "content": "村里自来水经常停水，希望尽快维修"})
    }

    async fn new_feedback(&self, app: &TestApp) -> String {
        let q = "mutation($i: RecordFeedbackInput!) { recordFeedback(input: $i) { feedback { id } } }";
        id(&app.ok(q, json!({"i": self.feedback_input()})).await["recordFeedback"]["feedback"])
    }

    fn commitment_input(&self) -> Value {
        json!({"campaignId": self.campaign, "unitId": self.division, "personId": self.person,
               "content": "一个月内完成全部村组管网排查", "dueOn": "2026-07-31"})
    }

    async fn new_commitment(&self, app: &TestApp) -> String {
        let q = "mutation($i: MakeCommitmentInput!) { makeCommitment(input: $i) { commitment { id } } }";
        id(&app.ok(q, json!({"i": self.commitment_input()})).await["makeCommitment"]["commitment"])
    }

    fn survey_input(&self) -> Value {
        json!({"campaignId": self.campaign, "unitId": self.division, "heldOn": "2026-06-20",
               "method": "REPRESENTATIVES", "participants": 40, "satisfied": 30, "basicallySatisfied": 8, "dissatisfied": 2})
    }

    fn bulletin_input(&self) -> Value {
        json!({"campaignId": self.campaign, "period": {"from": "2026-06-16", "to": "2026-06-30"}})
    }

    async fn new_bulletin(&self, app: &TestApp) -> String {
        let q = "mutation($i: GenerateBulletinInput!) { generateBulletin(input: $i) { bulletin { id } } }";
        id(&app.ok(q, json!({"i": self.bulletin_input()})).await["generateBulletin"]["bulletin"])
    }

    async fn new_supervision(&self, app: &TestApp) -> String {
        let q = "mutation($i: IssueSupervisionInput!) { issueSupervision(input: $i) { supervisionAction { id } } }";
        let input = json!({"kind": "NOTICE", "targetUnitId": self.division, "content": "限期完成整改并书面报告"});
        id(&app.ok(q, json!({"i": input})).await["issueSupervision"]["supervisionAction"])
    }

    async fn new_unit(&self, app: &TestApp) -> String {
        app.create_unit("临时工作专班", &unique("QS-ZB-"), "OFFICE", Some(&self.division))
            .await
    }

    /// A fresh account: (username, id).
    async fn new_account(&self, app: &TestApp, role: Option<(&str, Option<&str>)>) -> (String, String) {
        let username = unique("matrix.user");
        let token = app.account(&username, "临时账号", role, None).await;
        let me = app.ok_as(&token, "{ me { id } }", json!({})).await;
        (username, id(&me["me"]))
    }
}

fn input_type(mutation: &str) -> &'static str {
    match mutation {
        "startMeasure" | "submitMeasure" => "MeasureTransitionInput",
        "verifyMeasure" => "VerifyMeasureInput",
        "reportProgress" => "ReportProgressInput",
        "reopenMeasure" | "declareLongTerm" | "cancelMeasure" => "MeasureReasonInput",
        other => panic!("no input type for {other}"),
    }
}

/// Whether a read's answer includes the target.
type Present = Box<dyn Fn(&Value) -> bool>;

/// A role and the unit it is granted on (None: the whole tree).
type Grant<'a> = Option<(&'static str, Option<&'a str>)>;

/// One request of an operation.
struct Sample {
    query: String,
    variables: Value,
    present: Option<Present>,
    /// The sample acts on the caller's own account and needs a fresh login of it.
    own_account: bool,
    /// A file for the variable `i.file`, sent as a multipart request.
    file: Option<&'static [u8]>,
}

fn write(query: &str, variables: Value) -> Sample {
    Sample {
        query: query.to_owned(),
        variables,
        present: None,
        own_account: false,
        file: None,
    }
}

fn read(query: &str, variables: Value, present: impl Fn(&Value) -> bool + 'static) -> Sample {
    Sample {
        query: query.to_owned(),
        variables,
        present: Some(Box::new(present)),
        own_account: false,
        file: None,
    }
}

fn lists(target: String, path: &'static [&'static str]) -> impl Fn(&Value) -> bool {
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

fn mutation(name: &str, input_type: &str, payload: &str) -> String {
    format!("mutation($i: {input_type}!) {{ {name}(input: $i) {{ {payload} }} }}")
}

/// A request exercising `op` against the target subtree, with whatever it needs set up fresh.
async fn sample(app: &TestApp, w: &World, op: &str) -> Sample {
    let measure_payload = "measure { id }";
    match op {
        "node" => read(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": w.measure}),
            |d| !d["node"].is_null(),
        ),
        "me" => read("{ me { id } }", json!({}), |d| !d["me"].is_null()),
        "accounts" => read("{ accounts(first: 100) { totalCount } }", json!({}), |_| true),
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
            let campaign = app
                .ok(
                    crate::helpers::CREATE_CAMPAIGN,
                    json!({"i": {"name": "作风建设专项整治", "startsOn": "2026-06-01"}}),
                )
                .await["createCampaign"]["campaign"]["id"]
                .clone();
            write(
                &mutation("updateCampaign", "UpdateCampaignInput", "campaign { id }"),
                json!({"i": {"id": campaign, "expectedVersion": 1, "phase": "RECTIFICATION"}}),
            )
        }
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
        "reopenMeasure" => {
            let (mid, version) = w.measure_in(app, "CLOSED").await;
            write(
                &mutation("reopenMeasure", "MeasureReasonInput", measure_payload),
                json!({"i": {"id": mid, "expectedVersion": version, "reason": "回头看发现问题反弹"}}),
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
        "generateBulletin" => write(
            "mutation($i: GenerateBulletinInput!) { generateBulletin(input: $i) { bulletin { id } } }",
            json!({"i": w.bulletin_input()}),
        ),
        "calendarDays" => read(
            "{ calendarDays(from: \"2026-01-01\", to: \"2026-12-31\") { date } }",
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

/// The outcome of a request, in the matrix's words.
fn outcome(body: &Value, sample: &Sample) -> String {
    if let Some(error) = body["errors"].get(0) {
        return error["extensions"]["code"].as_str().unwrap_or("no code").to_owned();
    }
    match &sample.present {
        Some(present) if !present(&body["data"]) => "hidden".to_owned(),
        _ => "ok".to_owned(),
    }
}

/// (label, role and scope) of the 13 columns.
fn columns(w: &World) -> Vec<(String, Grant<'_>)> {
    let mut cols = vec![("anonymous".to_owned(), None)];
    for role in ROLES {
        for scope in SCOPES {
            let unit = match scope {
                "in" => Some(w.water.as_str()),
                "out" => Some(w.education.as_str()),
                _ => None,
            };
            cols.push((format!("{role} {scope}"), Some((role, unit))));
        }
    }
    cols
}

async fn every_operation_for_every_role_and_scope_is_as_documented(app: TestApp) {
    let documented = documented_matrix();
    let served = served_operations(&app).await;
    let doc_ops: BTreeSet<String> = documented.keys().cloned().collect();
    assert_eq!(
        served, doc_ops,
        "docs/permissions.md must have exactly one row per query and mutation of the schema"
    );
    let w = World::build(&app).await;
    let cols = columns(&w);
    // One account per column, reused; operations on one's own account log in afresh.
    let mut tokens: Vec<Option<String>> = vec![None];
    for (i, (_, grant)) in cols.iter().enumerate().skip(1) {
        tokens.push(Some(
            app.account(&format!("matrix.col{i}"), "矩阵测试", *grant, None).await,
        ));
    }
    let mut mismatches = Vec::new();
    let mut checked = 0;
    for (op, expected) in &documented {
        for (col, (label, grant)) in cols.iter().enumerate() {
            let sample = sample(&app, &w, op).await;
            let token = match (&tokens[col], sample.own_account) {
                (None, _) => None,
                (Some(_), true) => {
                    let username = unique("matrix.own");
                    Some(app.account(&username, "矩阵测试", *grant, None).await)
                }
                (Some(t), false) => Some(t.clone()),
            };
            let body = match (&token, sample.file) {
                (_, Some(content)) => {
                    let file = ("整改材料.pdf", "application/pdf", content);
                    let variables = sample.variables.clone();
                    app.post_file(token.as_deref(), &sample.query, variables, "variables.i.file", file)
                        .await
                        .1
                }
                (Some(t), None) => app.post_as(t, &sample.query, sample.variables.clone()).await.1,
                (None, None) => app.post_anonymous(&sample.query, sample.variables.clone()).await,
            };
            let got = outcome(&body, &sample);
            checked += 1;
            if got != expected[col] {
                mismatches.push(format!(
                    "{op} as {label}: documented {}, got {got}: {body}",
                    expected[col]
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {checked} cells differ from docs/permissions.md:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    assert_eq!(checked, documented.len() * 13);
    let verified = app.ok("{ verifyAudit { ok } }", json!({})).await;
    assert_eq!(verified["verifyAudit"]["ok"], true);
}

const SET_PROBLEM_DISCLOSURE: &str =
    "mutation($i: UpdateProblemInput!) { updateProblem(input: $i) { problem { version disclosure } } }";
const SET_MEASURE_DISCLOSURE: &str =
    "mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { version disclosure } } }";
const PUBLIC_VIEW: &str = "{ problems(first: 50) { totalCount edges { node { code title status leadUnit { name } measures { title deadline status responsiblePerson { name contact } } } } } measures(first: 50) { totalCount } }";

/// 公示: anonymous readers see PUBLIC items only, without contacts or internal details; SYSTEM
/// items reach every logged-in account; only a supervisor discloses; a measure never shows
/// more widely than its problem.
async fn disclosure_decides_who_reads_what(app: TestApp) {
    let f = app.fixture().await;
    let public = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let system = app.create_problem(&f, "A-002", &f.water, "MEDIUM").await;
    let internal = app.create_problem(&f, "A-003", &f.water, "LOW").await;
    let m_public = app.create_measure(&f, &public, &f.water, &[], "2026-07-31").await;
    app.create_measure(&f, &system, &f.water, &[], "2026-07-31").await;
    app.create_measure(&f, &internal, &f.water, &[], "2026-07-31").await;
    let editor = app
        .account("slj", "县水利局联络员", Some(("EDITOR", Some(&f.water))), None)
        .await;
    // The liaison may edit the problem but not disclose it.
    let refused = app
        .err_as(
            &editor,
            SET_PROBLEM_DISCLOSURE,
            json!({"i": {"id": public, "expectedVersion": 1, "disclosure": "PUBLIC"}}),
        )
        .await;
    assert_eq!(refused.code, "FORBIDDEN", "{refused:?}");
    assert!(refused.message.contains("SUPERVISOR"), "{refused:?}");
    let supervisor = app
        .account("ducha", "县委督查组", Some(("SUPERVISOR", None)), None)
        .await;
    // A measure may not be disclosed more widely than its problem.
    let wider = app
        .err_as(
            &supervisor,
            SET_MEASURE_DISCLOSURE,
            json!({"i": {"id": m_public["id"], "expectedVersion": 1, "disclosure": "PUBLIC"}}),
        )
        .await;
    assert_eq!(
        (wider.code.as_str(), wider.field.as_deref()),
        ("BAD_USER_INPUT", Some("disclosure"))
    );
    for (id, level) in [(&public, "PUBLIC"), (&system, "SYSTEM")] {
        app.ok_as(
            &supervisor,
            SET_PROBLEM_DISCLOSURE,
            json!({"i": {"id": id, "expectedVersion": 1, "disclosure": level}}),
        )
        .await;
    }
    app.ok_as(
        &supervisor,
        SET_MEASURE_DISCLOSURE,
        json!({"i": {"id": m_public["id"], "expectedVersion": 1, "disclosure": "PUBLIC"}}),
    )
    .await;
    // Lowering the problem below its measure is refused.
    let lower = app
        .err_as(
            &supervisor,
            SET_PROBLEM_DISCLOSURE,
            json!({"i": {"id": public, "expectedVersion": 2, "disclosure": "INTERNAL"}}),
        )
        .await;
    assert_eq!(lower.field.as_deref(), Some("disclosure"), "{lower:?}");

    // Anonymous: only the PUBLIC problem and its PUBLIC measure, with names but no contacts.
    let seen = app.ok_anonymous(PUBLIC_VIEW, json!({})).await;
    assert_eq!(seen["problems"]["totalCount"], 1, "{seen}");
    assert_eq!(seen["measures"]["totalCount"], 1, "{seen}");
    let p = &seen["problems"]["edges"][0]["node"];
    assert_eq!(p["code"], "A-001");
    assert_eq!(p["leadUnit"]["name"], "县水利局");
    assert_eq!(
        p["measures"][0]["responsiblePerson"],
        json!({"name": "李明", "contact": null})
    );
    for internal_field in [
        "history { totalCount }",
        "verifications { result }",
        "progressReports { text }",
        "extensions { status }",
    ] {
        let q = format!("query($id: ID!) {{ node(id: $id) {{ ... on Measure {{ {internal_field} }} }} }}");
        let err = app.err_anonymous(&q, json!({"id": m_public["id"]})).await;
        assert_eq!(err.code, "UNAUTHENTICATED", "{internal_field}: {err:?}");
    }
    let hidden = app
        .ok_anonymous("query($id: ID!) { node(id: $id) { id } }", json!({"id": internal}))
        .await;
    assert!(hidden["node"].is_null());
    for list in [
        "{ people { totalCount } }",
        "{ supervisionActions { totalCount } }",
        "{ auditEvents { totalCount } }",
    ] {
        assert_eq!(
            app.err_anonymous(list, json!({})).await.code,
            "UNAUTHENTICATED",
            "{list}"
        );
    }
    // An account of another unit sees SYSTEM and PUBLIC problems, and no contacts outside its scope.
    let teacher = app
        .account("jyj", "县教育局联络员", Some(("EDITOR", Some(&f.education))), None)
        .await;
    let seen = app.ok_as(&teacher, PUBLIC_VIEW, json!({})).await;
    let codes: Vec<&str> = seen["problems"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 2, "{seen}");
    assert!(codes.contains(&"A-001") && codes.contains(&"A-002") && !codes.contains(&"A-003"));
    // Its measure is still INTERNAL: the SYSTEM problem shows without it.
    let system_problem = seen["problems"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["code"] == "A-002")
        .unwrap();
    assert_eq!(system_problem["node"]["measures"], json!([]));
    let p = &seen["problems"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["code"] == "A-001")
        .unwrap()["node"];
    assert!(p["measures"][0]["responsiblePerson"]["contact"].is_null());
    // The water liaison sees all three, with contacts.
    let seen = app.ok_as(&editor, PUBLIC_VIEW, json!({})).await;
    assert_eq!(seen["problems"]["totalCount"], 3);
    assert_eq!(seen["measures"]["totalCount"], 3);
    // The disclosure change is in the problem's history.
    let history = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Problem { history { edges { node { action actor { displayName } before after } } } } } }",
            json!({"id": public}),
        )
        .await;
    let last = &history["node"]["history"]["edges"][0]["node"];
    assert_eq!(last["action"], "problem.update");
    assert_eq!(last["actor"]["displayName"], "县委督查组");
    assert_eq!(
        (
            last["before"]["disclosure"].as_str(),
            last["after"]["disclosure"].as_str()
        ),
        (Some("INTERNAL"), Some("PUBLIC"))
    );
}

/// A measure is in scope for its cooperating units too: their liaison reads it, its problem,
/// and reports progress on it; a unit that is neither lead nor cooperating is refused.
async fn cooperating_units_share_the_measure(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "B-001", &f.education, "HIGH").await;
    let shared = app
        .create_measure(&f, &problem, &f.education, &[&f.water_division], "2026-07-31")
        .await;
    let own = app.create_measure(&f, &problem, &f.education, &[], "2026-08-31").await;
    let liaison = app
        .account(
            "nsg",
            "农村水利股联络员",
            Some(("EDITOR", Some(&f.water_division))),
            None,
        )
        .await;
    let seen = app
        .ok_as(
            &liaison,
            "{ problems { edges { node { code measures { id } } } } measures { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(seen["measures"]["totalCount"], 1);
    assert_eq!(seen["problems"]["edges"][0]["node"]["code"], "B-001");
    assert_eq!(
        seen["problems"]["edges"][0]["node"]["measures"],
        json!([{"id": shared["id"]}]),
        "only the shared measure"
    );
    let report =
        "mutation($i: ReportProgressInput!) { reportProgress(input: $i) { measure { status progressPercent } } }";
    let done = app
        .ok_as(
            &liaison,
            report,
            json!({"i": {"id": shared["id"], "expectedVersion": 1, "percent": 30, "text": "配合完成水源勘测"}}),
        )
        .await;
    assert_eq!(done["reportProgress"]["measure"]["progressPercent"], 30);
    let head = app.head_seq().await;
    let refused = app
        .err_as(
            &liaison,
            report,
            json!({"i": {"id": own["id"], "expectedVersion": 1, "percent": 30, "text": "越权填报"}}),
        )
        .await;
    assert_eq!(refused.code, "FORBIDDEN", "{refused:?}");
    assert_eq!(app.head_seq().await, head, "nothing written");
    // Out of scope, a measure is not found rather than refused on reads.
    let hidden = app
        .ok_as(
            &liaison,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": own["id"]}),
        )
        .await;
    assert!(hidden["node"].is_null());
    // Moving the lead unit into the liaison's scope needs rights on the old place too.
    let moved = app
        .err_as(
            &liaison,
            "mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { id } } }",
            json!({"i": {"id": shared["id"], "expectedVersion": 2, "leadUnitId": f.water_division, "cooperatingUnitIds": []}}),
        )
        .await;
    assert_eq!(moved.code, "FORBIDDEN", "{moved:?}");
}

/// Administration: an administrator of a subtree grants only inside it, nobody disables
/// themselves, and the last whole-tree administrator stays.
async fn administrators_are_bounded(app: TestApp) {
    let f = app.fixture().await;
    let water_admin = app
        .account("slj.admin", "县水利局管理员", Some(("ADMIN", Some(&f.water))), None)
        .await;
    let create = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { account { id grants { role } } } }";
    let new = app
        .ok_as(&water_admin, create, json!({"i": {"username": "li.ming", "displayName": "李明", "personId": f.person, "password": "青山县水利局2026年"}}))
        .await;
    let account = new["createAccount"]["account"]["id"].as_str().unwrap().to_owned();
    assert_eq!(new["createAccount"]["account"]["grants"], json!([]));
    let grant = "mutation($i: GrantRoleInput!) { grantRole(input: $i) { grant { id role wholeTree unit { name } } account { grants { role } } } }";
    let granted = app
        .ok_as(
            &water_admin,
            grant,
            json!({"i": {"accountId": account, "role": "EDITOR", "unitId": f.water_division}}),
        )
        .await;
    assert_eq!(granted["grantRole"]["grant"]["unit"]["name"], "农村水利股");
    for unit in [json!(f.education), json!(null)] {
        let refused = app
            .err_as(
                &water_admin,
                grant,
                json!({"i": {"accountId": account, "role": "SUPERVISOR", "unitId": unit}}),
            )
            .await;
        assert_eq!(refused.code, "FORBIDDEN", "{unit}: {refused:?}");
    }
    let teacher = app
        .err_as(&water_admin, create, json!({"i": {"username": "zhao", "displayName": "赵老师", "personId": f.teacher, "password": "青山县教育局2026年"}}))
        .await;
    assert_eq!(teacher.code, "FORBIDDEN", "a person of another department: {teacher:?}");
    let twice = app
        .err_as(
            &water_admin,
            grant,
            json!({"i": {"accountId": account, "role": "EDITOR", "unitId": f.water_division}}),
        )
        .await;
    assert_eq!(
        (twice.code.as_str(), twice.field.as_deref()),
        ("BAD_USER_INPUT", Some("role"))
    );
    // The new liaison now works in its division.
    let token = app
        .post(
            "mutation { login(input: {username: \"li.ming\", password: \"青山县水利局2026年\"}) { token } }",
            json!({}),
        )
        .await["data"]["login"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = app
        .ok_as(
            &token,
            "{ me { username grants { role wholeTree unit { name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        me["me"]["grants"],
        json!([{"role": "EDITOR", "wholeTree": false, "unit": {"name": "农村水利股"}}])
    );
    // Root is the only whole-tree administrator: it can neither lose that grant nor disable itself.
    let root = app.ok("{ me { id grants { id } } }", json!({})).await;
    let revoke = "mutation($i: RevokeGrantInput!) { revokeGrant(input: $i) { account { id } } }";
    let last = app
        .err(
            revoke,
            json!({"i": {"grantId": root["me"]["grants"][0]["id"], "reason": "测试"}}),
        )
        .await;
    assert_eq!(
        (last.code.as_str(), last.field.as_deref()),
        ("BAD_USER_INPUT", Some("grantId")),
        "{last:?}"
    );
    let disable = "mutation($i: SetAccountDisabledInput!) { setAccountDisabled(input: $i) { account { disabled } } }";
    let self_disable = app
        .err(disable, json!({"i": {"accountId": root["me"]["id"], "disabled": true}}))
        .await;
    assert_eq!(self_disable.field.as_deref(), Some("accountId"), "{self_disable:?}");
    // Revoking the liaison's grant takes effect on its next request, and is audited.
    let revoked = app
        .ok(
            revoke,
            json!({"i": {"grantId": granted["grantRole"]["grant"]["id"], "reason": "岗位调整"}}),
        )
        .await;
    assert_eq!(revoked["revokeGrant"]["account"]["id"], account.as_str());
    let after = app.ok_as(&token, "{ people { totalCount } }", json!({})).await;
    assert_eq!(after["people"]["totalCount"], 0, "no grant, no people");
    let events = app
        .ok("{ auditEvents(filter: {entityType: \"RoleGrant\"}, first: 3) { edges { node { action reason before after actor { displayName } } } } }", json!({}))
        .await;
    let last = &events["auditEvents"]["edges"][0]["node"];
    assert_eq!(last["action"], "role_grant.revoke");
    assert_eq!(last["reason"], "岗位调整");
    assert_eq!(last["before"]["role"], "EDITOR");
    assert!(last["after"].is_null());
    assert_eq!(
        events["auditEvents"]["edges"][1]["node"]["actor"]["displayName"],
        "县水利局管理员"
    );
}

on_both_engines!(
    every_operation_for_every_role_and_scope_is_as_documented,
    disclosure_decides_who_reads_what,
    cooperating_units_share_the_measure,
    administrators_are_bounded,
    the_liaison_the_supervisor_and_the_public,
    writes_reveal_nothing_outside_scope,
);

/// The scenario of the access issue, start to end through GraphQL: an administrator creates
/// the accounts, the water department's liaison works on its own ledger only, the county's
/// supervisor closes out and presses, the public reads what was disclosed, and every event
/// names the account that made it.
async fn the_liaison_the_supervisor_and_the_public(app: TestApp) {
    let f = app.fixture().await;
    let water_problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let water_measure = app
        .create_measure(&f, &water_problem, &f.water_division, &[], "2026-07-15")
        .await;
    let school_problem = app.create_problem(&f, "C-001", &f.education, "MEDIUM").await;
    let school_measure = app
        .create_measure(&f, &school_problem, &f.education, &[], "2026-07-31")
        .await;
    // The administrator creates two accounts linked to people and grants their roles.
    let create = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { account { id } } }";
    let grant = "mutation($i: GrantRoleInput!) { grantRole(input: $i) { grant { id } } }";
    for (username, name, person, role, unit) in [
        ("li.ming", "李明（县水利局）", &f.person, "EDITOR", json!(f.water)),
        ("zhao", "赵老师（县委督查组）", &f.teacher, "SUPERVISOR", json!(null)),
    ] {
        let created = app
            .ok(create, json!({"i": {"username": username, "displayName": name, "personId": person, "password": "青山县整改台账2026"}}))
            .await;
        let id = created["createAccount"]["account"]["id"].as_str().unwrap().to_owned();
        app.ok(grant, json!({"i": {"accountId": id, "role": role, "unitId": unit}}))
            .await;
    }
    let login = |username: &'static str| {
        let app = &app;
        async move {
            app.post_anonymous(
                "mutation($u: String!) { login(input: {username: $u, password: \"青山县整改台账2026\"}) { token } }",
                json!({"u": username}),
            )
            .await["data"]["login"]["token"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let liaison = login("li.ming").await;
    let supervisor = login("zhao").await;
    // The liaison sees the water department's ledger and nothing else.
    let seen = app
        .ok_as(
            &liaison,
            "{ problems { edges { node { code } } } measures { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(seen["problems"]["edges"], json!([{"node": {"code": "A-001"}}]));
    assert_eq!(seen["measures"]["totalCount"], 1);
    let report = "mutation($i: ReportProgressInput!) { reportProgress(input: $i) { measure { version status } } }";
    let reported = app
        .ok_as(
            &liaison,
            report,
            json!({"i": {"id": water_measure["id"], "expectedVersion": 1, "percent": 100, "text": "管网维修完成"}}),
        )
        .await;
    assert_eq!(reported["reportProgress"]["measure"]["status"], "IN_PROGRESS");
    let refused = app
        .err_as(
            &liaison,
            report,
            json!({"i": {"id": school_measure["id"], "expectedVersion": 1, "percent": 10, "text": "x"}}),
        )
        .await;
    assert_eq!(refused.code, "FORBIDDEN");
    assert!(refused.message.contains("EDITOR"), "{refused:?}");
    let submit = "mutation($i: MeasureTransitionInput!) { submitMeasure(input: $i) { measure { version } } }";
    app.ok_as(
        &liaison,
        submit,
        json!({"i": {"id": water_measure["id"], "expectedVersion": 2}}),
    )
    .await;
    // The liaison cannot close out its own work; the county's supervisor can.
    let verify = "mutation($i: VerifyMeasureInput!) { verifyMeasure(input: $i) { measure { status closedOn } verification { verifierName } } }";
    let input = json!({"i": {"id": water_measure["id"], "expectedVersion": 3, "result": "PASS", "comment": "整改到位，同意销号"}});
    assert_eq!(app.err_as(&liaison, verify, input.clone()).await.code, "FORBIDDEN");
    let closed = app.ok_as(&supervisor, verify, input).await;
    assert_eq!(closed["verifyMeasure"]["measure"]["status"], "CLOSED");
    assert_eq!(
        closed["verifyMeasure"]["verification"]["verifierName"],
        "赵老师（县委督查组）"
    );
    // The supervisor sees the whole county, decides an extension and presses a unit.
    let all = app.ok_as(&supervisor, "{ measures { totalCount } }", json!({})).await;
    assert_eq!(all["measures"]["totalCount"], 2);
    let asked = app
        .ok(
            "mutation($i: RequestDeadlineExtensionInput!) { requestDeadlineExtension(input: $i) { extension { id } } }",
            json!({"i": {"id": school_measure["id"], "expectedVersion": 1, "newDeadline": "2026-08-31", "reason": "暑期施工"}}),
        )
        .await;
    let decided = app
        .ok_as(
            &supervisor,
            "mutation($i: DecideDeadlineExtensionInput!) { decideDeadlineExtension(input: $i) { measure { deadline originalDeadline } } }",
            json!({"i": {"id": asked["requestDeadlineExtension"]["extension"]["id"], "decision": "APPROVE"}}),
        )
        .await;
    assert_eq!(
        decided["decideDeadlineExtension"]["measure"],
        json!({"deadline": "2026-08-31", "originalDeadline": "2026-07-31"})
    );
    app.ok_as(
        &supervisor,
        "mutation($i: IssueSupervisionInput!) { issueSupervision(input: $i) { supervisionAction { id } } }",
        json!({"i": {"kind": "NOTICE", "targetUnitId": f.education, "measureId": school_measure["id"], "content": "请按延期后的时限完成"}}),
    )
    .await;
    // The supervisor discloses the water problem; the public reads it without logging in.
    let disclose = "mutation($i: UpdateProblemInput!) { updateProblem(input: $i) { problem { disclosure } } }";
    app.ok_as(
        &supervisor,
        disclose,
        json!({"i": {"id": water_problem, "expectedVersion": 1, "disclosure": "PUBLIC"}}),
    )
    .await;
    let public = app
        .ok_anonymous(
            "{ problems { edges { node { code status measures { status } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        public["problems"]["edges"],
        json!([{"node": {"code": "A-001", "status": "RECTIFIED", "measures": []}}]),
        "the measure itself stays INTERNAL"
    );
    // Every event since the accounts were made names the account that caused it.
    let events = app
        .ok(
            "{ auditEvents(first: 12) { edges { node { action actor { id displayName } } } } }",
            json!({}),
        )
        .await;
    let by: Vec<(String, String)> = events["auditEvents"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["node"]["action"].as_str().unwrap().to_owned(),
                e["node"]["actor"]["displayName"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expect = |action: &str, who: &str| {
        assert!(
            by.iter().any(|(a, w)| a == action && w == who),
            "{action} by {who} in {by:?}"
        );
    };
    expect("measure.report_progress", "李明（县水利局）");
    expect("measure.submit", "李明（县水利局）");
    expect("measure.verify_pass", "赵老师（县委督查组）");
    expect("supervision.issue", "赵老师（县委督查组）");
    expect("problem.update", "赵老师（县委督查组）");
    assert!(by.iter().all(|(_, w)| w != "system" && w != "anonymous"), "{by:?}");
}

/// Rights are checked before anything else is revealed, and the units a write names must be
/// the caller's (found by an independent review of the first version).
async fn writes_reveal_nothing_outside_scope(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let measure = app.create_measure(&f, &problem, &f.water, &[], "2026-07-31").await;
    let teacher = app
        .account("jyj", "县教育局联络员", Some(("EDITOR", Some(&f.education))), None)
        .await;
    // A measure for another unit's problem, even led by one's own unit: refused, nothing made.
    let head = app.head_seq().await;
    let input =
        json!({"problemId": problem, "title": "借题建措施", "leadUnitId": f.education, "deadline": "2026-08-31"});
    let refused = app
        .err_as(&teacher, crate::helpers::CREATE_MEASURE, json!({"i": input}))
        .await;
    assert_eq!(refused.code, "FORBIDDEN", "{refused:?}");
    assert!(refused.message.contains("the problem's lead unit"), "{refused:?}");
    assert_eq!(app.head_seq().await, head);
    let hidden = app
        .ok_as(
            &teacher,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": problem}),
        )
        .await;
    assert!(hidden["node"].is_null());
    // A stale version does not tell an outsider anything: FORBIDDEN, not CONFLICT.
    let update = "mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { id } } }";
    let stale = json!({"i": {"id": measure["id"], "expectedVersion": 99, "title": "x"}});
    assert_eq!(app.err_as(&teacher, update, stale.clone()).await.code, "FORBIDDEN");
    assert_eq!(app.err_anonymous(update, stale.clone()).await.code, "UNAUTHENTICATED");
    assert_eq!(app.err(update, stale).await.code, "CONFLICT");
    // Supervision is about the target unit's own work (or its subunits').
    let issue = "mutation($i: IssueSupervisionInput!) { issueSupervision(input: $i) { supervisionAction { id } } }";
    let wrong = app
        .err(
            issue,
            json!({"i": {"kind": "NOTICE", "targetUnitId": f.education, "measureId": measure["id"], "content": "x"}}),
        )
        .await;
    assert_eq!(wrong.field.as_deref(), Some("measureId"), "{wrong:?}");
    let wrong = app
        .err(
            issue,
            json!({"i": {"kind": "NOTICE", "targetUnitId": f.education, "problemId": problem, "content": "x"}}),
        )
        .await;
    assert_eq!(wrong.field.as_deref(), Some("problemId"), "{wrong:?}");
    app.ok(issue, json!({"i": {"kind": "TALK", "targetUnitId": f.county, "measureId": measure["id"], "content": "约谈县委分管领导"}}))
        .await;
    // A person's history (whose snapshots hold the contact) only within scope.
    app.ok(
        "mutation($i: UpdateUnitInput!) { updateUnit(input: $i) { unit { id } } }",
        json!({"i": {"id": f.water, "expectedVersion": 1, "headId": f.leader}}),
    )
    .await;
    let heads = "{ units(filter: {search: \"QS-SLJ\"}) { nodes { head { name contact history { totalCount } } } } }";
    let body = app.post_as(&teacher, heads, json!({})).await.1;
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN", "{body}");
    let own = app
        .account("slj", "县水利局联络员", Some(("EDITOR", Some(&f.water))), None)
        .await;
    let seen = app.ok_as(&own, heads, json!({})).await;
    assert_eq!(seen["units"]["nodes"][0]["head"]["contact"], "138 0000 0001");
    // Accounts: a subtree administrator does not browse other accounts through node().
    let local_admin = app
        .account("slj.admin", "县水利局管理员", Some(("ADMIN", Some(&f.water))), None)
        .await;
    let root = app.ok("{ me { id } }", json!({})).await["me"]["id"].clone();
    let q = "query($id: ID!) { node(id: $id) { ... on Account { username } } }";
    assert!(app.ok_as(&local_admin, q, json!({"id": root})).await["node"].is_null());
    let me = app.ok_as(&local_admin, "{ me { id } }", json!({})).await["me"]["id"].clone();
    assert_eq!(
        app.ok_as(&local_admin, q, json!({"id": me})).await["node"]["username"],
        "slj.admin"
    );
    // Moving a unit needs the role where it leaves too.
    let two_places = app
        .account("mover", "调整机构", Some(("ADMIN", Some(&f.water_division))), None)
        .await;
    let ledger = taizhang::domain::Ledger::new(app.db.clone(), app.clock.clone());
    let ctx = taizhang::domain::context::RequestContext::system(None);
    let mover = app.ok_as(&two_places, "{ me { id } }", json!({})).await["me"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    taizhang::domain::accounts::grants::grant(
        &ledger,
        &ctx,
        mover,
        taizhang::domain::access::Role::Admin,
        Some(f.education.parse().unwrap()),
    )
    .await
    .unwrap();
    let moved = app
        .err_as(
            &two_places,
            "mutation($i: UpdateUnitInput!) { updateUnit(input: $i) { unit { id } } }",
            json!({"i": {"id": f.water_division, "expectedVersion": 1, "parentId": f.education}}),
        )
        .await;
    assert_eq!(moved.code, "FORBIDDEN", "{moved:?}");
}
