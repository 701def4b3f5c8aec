//! The test harness: a real server on port 0 over a fresh database per test (a temporary
//! SQLite file, or a new PostgreSQL database when TAIZHANG_TEST_POSTGRES_URL is set).

use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::{json, Value};
use taizhang::domain::accounts::{self, NewAccount};
use taizhang::domain::clock::Clock;
use taizhang::domain::context::RequestContext;
use taizhang::domain::{accounts::grants, Ledger};
use taizhang::startup::{AppConfig, Application};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Tests run with "today" fixed at 2026-06-30 (China Standard Time).
pub const TODAY: &str = "2026-06-30";

/// The server's clock: fixed at 2026-06-30T02:00Z until a test moves it.
#[derive(Debug)]
pub struct TestClock(std::sync::Mutex<DateTime<Utc>>);

impl TestClock {
    fn start() -> Self {
        Self(std::sync::Mutex::new(
            Utc.with_ymd_and_hms(2026, 6, 30, 2, 0, 0).unwrap(),
        ))
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.0.lock().unwrap();
        *now += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// The password of every account the harness creates.
pub const PASSWORD: &str = "台账测试专用密码2026";

pub struct TestApp {
    /// Bearer token of `root`, an ADMIN of the whole tree: what [`TestApp::post`] sends. A test
    /// that moves the clock past its expiry gets a new one.
    root_token: std::sync::Mutex<String>,
    pub address: String,
    pub database_url: String,
    pub db: DatabaseConnection,
    pub engine: Engine,
    pub clock: Arc<TestClock>,
    statements: Arc<AtomicUsize>,
    client: awc::Client,
    _guard: DbGuard,
}

/// Removes the test's database when the test ends, pass or fail.
enum DbGuard {
    Sqlite(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

impl Drop for DbGuard {
    fn drop(&mut self) {
        match self {
            DbGuard::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            DbGuard::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime; use a thread with its own runtime.
                let _ = std::thread::spawn(move || {
                    let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                        return;
                    };
                    rt.block_on(async {
                        if let Ok(admin) = sea_orm::Database::connect(&admin_url).await {
                            let _ = admin
                                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                                .await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

pub fn postgres_url() -> Option<String> {
    std::env::var("TAIZHANG_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// Replaces the database name in a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[scheme_end..]
        .find('/')
        .map(|i| i + scheme_end)
        .unwrap_or(base.len());
    format!("{}/{name}{query}", &base[..path_start])
}

pub async fn spawn_app(engine: Engine) -> TestApp {
    spawn_app_with(engine, |_| {}).await
}

/// A server whose configuration the test adjusts (limits, budgets) before it starts.
pub async fn spawn_app_with(engine: Engine, adjust: impl FnOnce(&mut AppConfig)) -> TestApp {
    let (url, guard) = match engine {
        Engine::Sqlite => {
            let path = std::env::temp_dir().join(format!("taizhang-test-{}.db", Uuid::now_v7().simple()));
            (format!("sqlite://{}?mode=rwc", path.display()), DbGuard::Sqlite(path))
        }
        Engine::Postgres => {
            let admin_url = postgres_url().expect("this test needs PostgreSQL: set TAIZHANG_TEST_POSTGRES_URL");
            let name = format!("taizhang_test_{}", Uuid::now_v7().simple());
            let admin = sea_orm::Database::connect(&admin_url)
                .await
                .expect("connect to PostgreSQL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create test database");
            admin.close().await.ok();
            (with_database(&admin_url, &name), DbGuard::Postgres { admin_url, name })
        }
    };
    let mut db = taizhang::db::connect(&url, 8).await.expect("connect");
    taizhang::db::migrate(&db).await.expect("migrate");
    let statements = Arc::new(AtomicUsize::new(0));
    let counter = statements.clone();
    db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind port 0");
    let clock = Arc::new(TestClock::start());
    let mut config = AppConfig {
        workers: 2,
        max_body_bytes: 64 * 1024,
        clock: clock.clone(),
        ..AppConfig::default()
    };
    adjust(&mut config);
    let app = Application::build(db.clone(), listener, config).expect("build app");
    let address = format!("http://127.0.0.1:{}", app.port);
    actix_web::rt::spawn(app.server);
    let ledger = Ledger::new(db.clone(), clock.clone());
    let root_token = make_account(&ledger, "root", "系统管理员", None, Some(("ADMIN", None))).await;
    TestApp {
        root_token: std::sync::Mutex::new(root_token),
        address,
        database_url: url,
        db,
        engine,
        clock,
        statements,
        client: awc::Client::builder().timeout(Duration::from_secs(120)).finish(),
        _guard: guard,
    }
}

/// Runs a test body on SQLite, and on PostgreSQL when a server URL is given. With
/// `spawn = f;` the server comes from `f(engine)`, a function of the invoking module.
#[macro_export]
macro_rules! on_both_engines {
    (spawn = $spawn:ident; $($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[actix_web::test]
                async fn $name() {
                    super::$name(super::$spawn($crate::helpers::Engine::Sqlite).await).await;
                }
            )+
        }
        // Ignored unless asked for (`-- --ignored` or `--include-ignored`), so that a run
        // without PostgreSQL reports them as not run instead of passed; asked for without a
        // server URL, they fail.
        mod postgres {
            $(
                #[actix_web::test]
                #[ignore = "needs PostgreSQL: set TAIZHANG_TEST_POSTGRES_URL and pass --ignored"]
                async fn $name() {
                    super::$name(super::$spawn($crate::helpers::Engine::Postgres).await).await;
                }
            )+
        }
    };
    ($($name:ident),+ $(,)?) => {
        use $crate::helpers::spawn_app as spawn_default_app;
        $crate::on_both_engines!(spawn = spawn_default_app; $($name),+);
    };
}

/// A GraphQL error as a client sees it.
#[derive(Debug, Clone)]
pub struct GqlError {
    pub message: String,
    pub code: String,
    pub field: Option<String>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn client(&self) -> &awc::Client {
        &self.client
    }

    /// The whole GraphQL response body of a request as `root` (ADMIN of the whole tree).
    pub async fn post(&self, query: &str, variables: Value) -> Value {
        let token = self.root_token();
        let (mut status, mut body) = self.post_as(&token, query, variables.clone()).await;
        if status == 401 {
            let ledger = Ledger::new(self.db.clone(), self.clock.clone());
            let fresh = accounts::login(&ledger, "root", PASSWORD, "test-setup")
                .await
                .unwrap()
                .token;
            *self.root_token.lock().unwrap() = fresh.clone();
            (status, body) = self.post_as(&fresh, query, variables).await;
        }
        assert!((200..300).contains(&status), "HTTP {status}");
        body
    }

    pub fn root_token(&self) -> String {
        self.root_token.lock().unwrap().clone()
    }

    /// `data` of a request without a bearer token that must succeed.
    pub async fn ok_anonymous(&self, query: &str, variables: Value) -> Value {
        let body = self.post_anonymous(query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// The first error of a request without a bearer token that must fail.
    pub async fn err_anonymous(&self, query: &str, variables: Value) -> GqlError {
        first_error(&self.post_anonymous(query, variables).await)
    }

    /// Status and body of a GraphQL multipart request (the GraphQL multipart request spec) whose
    /// variable at `path` (e.g. `variables.i.file`) is the file `name` with `content`.
    pub async fn post_file(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
        path: &str,
        (name, media_type, content): (&str, &str, &[u8]),
    ) -> (u16, Value) {
        let boundary = format!("taizhang-test-{}", Uuid::now_v7().simple());
        let mut body = Vec::with_capacity(content.len() + 1024);
        let operations = json!({"query": query, "variables": variables});
        let part = |body: &mut Vec<u8>, headers: String, data: &[u8]| {
            body.extend_from_slice(format!("--{boundary}\r\n{headers}\r\n\r\n").as_bytes());
            body.extend_from_slice(data);
            body.extend_from_slice(b"\r\n");
        };
        part(
            &mut body,
            "Content-Disposition: form-data; name=\"operations\"".to_owned(),
            operations.to_string().as_bytes(),
        );
        part(
            &mut body,
            "Content-Disposition: form-data; name=\"map\"".to_owned(),
            json!({"0": [path]}).to_string().as_bytes(),
        );
        part(
            &mut body,
            format!("Content-Disposition: form-data; name=\"0\"; filename=\"{name}\"\r\nContent-Type: {media_type}"),
            content,
        );
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .insert_header(("Content-Type", format!("multipart/form-data; boundary={boundary}")));
        if let Some(token) = token {
            request = request.insert_header(("Authorization", format!("Bearer {token}")));
        }
        let mut response = request.send_body(body).await.expect("request");
        let status = response.status().as_u16();
        let body = response
            .json::<Value>()
            .limit(16 * 1024 * 1024)
            .await
            .unwrap_or(Value::Null);
        (status, body)
    }

    /// `data` of a request as the bearer of `token` that must succeed.
    pub async fn ok_as(&self, token: &str, query: &str, variables: Value) -> Value {
        let (status, body) = self.post_as(token, query, variables).await;
        assert!(status == 200 && body.get("errors").is_none(), "HTTP {status}: {body}");
        body["data"].clone()
    }

    /// The first error of a request as the bearer of `token` that must fail.
    pub async fn err_as(&self, token: &str, query: &str, variables: Value) -> GqlError {
        first_error(&self.post_as(token, query, variables).await.1)
    }

    /// The whole GraphQL response body of a request without a bearer token.
    pub async fn post_anonymous(&self, query: &str, variables: Value) -> Value {
        let mut response = self
            .client
            .post(self.url("/graphql"))
            .send_json(&json!({"query": query, "variables": variables}))
            .await
            .expect("request");
        assert!(response.status().is_success(), "HTTP {}", response.status());
        response
            .json::<Value>()
            .limit(16 * 1024 * 1024)
            .await
            .expect("json body")
    }

    /// Status and body of a GraphQL request sent with `Authorization: Bearer <token>`.
    pub async fn post_as(&self, token: &str, query: &str, variables: Value) -> (u16, Value) {
        let mut response = self
            .client
            .post(self.url("/graphql"))
            .insert_header(("Authorization", format!("Bearer {token}")))
            .send_json(&json!({"query": query, "variables": variables}))
            .await
            .expect("request");
        let status = response.status().as_u16();
        (
            status,
            response
                .json::<Value>()
                .limit(16 * 1024 * 1024)
                .await
                .expect("json body"),
        )
    }

    /// `data` of a request that must succeed.
    pub async fn ok(&self, query: &str, variables: Value) -> Value {
        let body = self.post(query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// The first error of a request that must fail.
    pub async fn err(&self, query: &str, variables: Value) -> GqlError {
        first_error(&self.post(query, variables).await)
    }

    /// An account with a role (`ADMIN`, …) on a unit's subtree (None: the whole tree) or no
    /// role at all, optionally linked to a person; returns its bearer token.
    pub async fn account(
        &self,
        username: &str,
        display_name: &str,
        role: Option<(&str, Option<&str>)>,
        person: Option<&str>,
    ) -> String {
        let ledger = Ledger::new(self.db.clone(), self.clock.clone());
        make_account(&ledger, username, display_name, person, role).await
    }

    /// SQL statements the server has run so far.
    pub fn statements(&self) -> usize {
        self.statements.load(Ordering::SeqCst)
    }

    pub async fn head_seq(&self) -> i64 {
        self.ok("{ auditHead { seq } }", json!({})).await["auditHead"]["seq"]
            .as_i64()
            .unwrap()
    }
}

/// Ids of a small ledger: 青山县委 → 县水利局 → 农村水利股, 县教育局; people; a campaign.
pub struct Fixture {
    pub county: String,
    pub water: String,
    pub water_division: String,
    pub education: String,
    pub leader: String,
    pub person: String,
    pub teacher: String,
    pub campaign: String,
}

pub const CREATE_UNIT: &str =
    "mutation($i: CreateUnitInput!) { createUnit(input: $i) { unit { id version name shortCode kind } } }";
pub const CREATE_PERSON: &str =
    "mutation($i: CreatePersonInput!) { createPerson(input: $i) { person { id version name } } }";
pub const CREATE_CAMPAIGN: &str =
    "mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { campaign { id version } } }";
pub const CREATE_PROBLEM: &str =
    "mutation($i: CreateProblemInput!) { createProblem(input: $i) { problem { id version code status overdue } } }";
pub const CREATE_MEASURE: &str = "mutation($i: CreateMeasureInput!) { createMeasure(input: $i) { measure { id version status deadline originalDeadline overdue } } }";

impl TestApp {
    pub async fn create_unit(&self, name: &str, code: &str, kind: &str, parent: Option<&str>) -> String {
        let data = self
            .ok(
                CREATE_UNIT,
                json!({"i": {"name": name, "shortCode": code, "kind": kind, "parentId": parent}}),
            )
            .await;
        data["createUnit"]["unit"]["id"].as_str().unwrap().to_owned()
    }

    pub async fn create_person(&self, name: &str, unit: &str) -> String {
        let data = self
            .ok(
                CREATE_PERSON,
                json!({"i": {"name": name, "unitId": unit, "position": "科员", "contact": "138 0000 0001"}}),
            )
            .await;
        data["createPerson"]["person"]["id"].as_str().unwrap().to_owned()
    }

    pub async fn fixture(&self) -> Fixture {
        let county = self.create_unit("中共青山县委", "QS", "COMMITTEE", None).await;
        let water = self
            .create_unit("县水利局", "QS-SLJ", "DEPARTMENT", Some(&county))
            .await;
        let water_division = self
            .create_unit("农村水利股", "QS-SLJ-NS", "DIVISION", Some(&water))
            .await;
        let education = self
            .create_unit("县教育局", "QS-JYJ", "DEPARTMENT", Some(&county))
            .await;
        let leader = self.create_person("王建国", &water).await;
        let person = self.create_person("李明", &water_division).await;
        let teacher = self.create_person("赵老师", &education).await;
        let campaign = self
            .ok(
                CREATE_CAMPAIGN,
                json!({"i": {"name": "深入学习实践科学发展观活动（第一批）", "startsOn": "2026-03-01", "phase": "RECTIFICATION"}}),
            )
            .await["createCampaign"]["campaign"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        Fixture {
            county,
            water,
            water_division,
            education,
            leader,
            person,
            teacher,
            campaign,
        }
    }

    pub async fn create_problem(&self, f: &Fixture, code: &str, lead_unit: &str, severity: &str) -> String {
        let input = json!({
            "campaignId": f.campaign, "code": code, "title": format!("农村饮水安全问题 {code}"),
            "description": "部分村组饮水工程年久失修", "category": "民生实事", "source": "FORUM",
            "sourceDetail": "县直机关座谈会（第3场）", "foundOn": "2026-05-10",
            "responsibilityLevel": "LEADERSHIP_TEAM", "severity": severity,
            "rectificationKind": "WITHIN_DEADLINE", "rootCause": "重建设轻管护", "leadUnitId": lead_unit
        });
        self.ok(CREATE_PROBLEM, json!({"i": input})).await["createProblem"]["problem"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn create_measure(
        &self,
        f: &Fixture,
        problem: &str,
        lead_unit: &str,
        coop: &[&str],
        deadline: &str,
    ) -> Value {
        let input = json!({
            "problemId": problem, "title": "完成饮水工程维修", "description": "对损坏管网进行维修",
            "acceptanceCriteria": "群众饮水达标", "leadUnitId": lead_unit, "cooperatingUnitIds": coop,
            "responsibleLeaderId": f.leader, "responsiblePersonId": f.person, "deadline": deadline
        });
        self.ok(CREATE_MEASURE, json!({"i": input})).await["createMeasure"]["measure"].clone()
    }
}

/// Creates an account through the domain (as the command-line tools do), grants it `role`
/// and logs it in.
async fn make_account(
    ledger: &Ledger,
    username: &str,
    display_name: &str,
    person: Option<&str>,
    role: Option<(&str, Option<&str>)>,
) -> String {
    let ctx = RequestContext::system(Some("test-setup".to_owned()));
    let new = NewAccount {
        username: username.to_owned(),
        display_name: display_name.to_owned(),
        person_id: person.map(|p| p.parse().unwrap()),
        password: PASSWORD.to_owned(),
    };
    let account = accounts::create(ledger, &ctx, new).await.unwrap();
    if let Some((role, unit)) = role {
        let role = serde_json::from_value(json!(role)).unwrap();
        grants::grant(ledger, &ctx, account.id, role, unit.map(|u| u.parse().unwrap()))
            .await
            .unwrap();
    }
    accounts::login(ledger, username, PASSWORD, "test-setup")
        .await
        .unwrap()
        .token
}

fn first_error(body: &Value) -> GqlError {
    let error = &body["errors"][0];
    assert!(error.is_object(), "expected an error, got {body}");
    GqlError {
        message: error["message"].as_str().unwrap_or_default().to_owned(),
        code: error["extensions"]["code"].as_str().unwrap_or_default().to_owned(),
        field: error["extensions"]["field"].as_str().map(str::to_owned),
    }
}

/// Runs a lifecycle mutation (as root, or as `token`) and returns the measure's new version.
pub async fn step(app: &TestApp, token: Option<&str>, mutation: &str, input_type: &str, input: Value) -> i64 {
    let q = format!("mutation($i: {input_type}!) {{ {mutation}(input: $i) {{ measure {{ version }} }} }}");
    let data = match token {
        Some(t) => app.ok_as(t, &q, json!({"i": input})).await,
        None => app.ok(&q, json!({"i": input})).await,
    };
    data[mutation]["measure"]["version"].as_i64().unwrap()
}

/// Six measures, one in each situation, today being 2026-06-30:
/// closed on time, closed late, overdue, long-term, cancelled, pending and not yet due.
pub async fn six_measures(app: &TestApp, f: &Fixture, supervisor: &str) -> Vec<String> {
    let problem = app.create_problem(f, "A-001", &f.water, "HIGH").await;
    let other = app.create_problem(f, "B-001", &f.education, "LOW").await;
    let mut ids = Vec::new();
    for (problem, lead, deadline) in [
        (&problem, &f.water, "2026-07-31"),
        (&problem, &f.water, "2026-06-20"),
        (&problem, &f.water_division, "2026-06-25"),
        (&problem, &f.water, "2026-06-10"),
        (&problem, &f.water, "2026-07-15"),
        (&other, &f.education, "2026-08-31"),
    ] {
        ids.push(
            app.create_measure(f, problem, lead, &[], deadline).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    for id in &ids[..2] {
        start_and_close_out(app, supervisor, id).await;
    }
    step(
        app,
        None,
        "startMeasure",
        "MeasureTransitionInput",
        json!({"id": ids[2], "expectedVersion": 1}),
    )
    .await;
    step(
        app,
        None,
        "declareLongTerm",
        "MeasureReasonInput",
        json!({"id": ids[3], "expectedVersion": 1, "reason": "需跨年度实施"}),
    )
    .await;
    step(
        app,
        None,
        "cancelMeasure",
        "MeasureReasonInput",
        json!({"id": ids[4], "expectedVersion": 1, "reason": "与A-001其他措施重复"}),
    )
    .await;
    ids
}

/// A measure's current version.
pub async fn version(app: &TestApp, id: &str) -> i64 {
    app.ok(
        "query($id: ID!) { node(id: $id) { ... on Measure { version } } }",
        json!({"id": id}),
    )
    .await["node"]["version"]
        .as_i64()
        .unwrap()
}

/// Edits the trail behind the server's back, as someone with the table owner's rights could.
pub async fn tamper(app: &TestApp, sql: &str) {
    let disable = match app.engine {
        Engine::Sqlite => "DROP TRIGGER audit_event_no_update; DROP TRIGGER audit_event_no_delete;",
        Engine::Postgres => "ALTER TABLE audit_event DISABLE TRIGGER USER;",
    };
    app.db.execute_unprepared(disable).await.expect("disable triggers");
    app.db.execute_unprepared(sql).await.expect("tamper");
}

/// Meets the close-out gate (as root): progress reported at 100 % and a completion report
/// attached as evidence. Returns the measure's new version.
pub async fn complete(app: &TestApp, id: &str) -> i64 {
    let v = version(app, id).await;
    let v = step(
        app,
        None,
        "reportProgress",
        "ReportProgressInput",
        json!({"id": id, "expectedVersion": v, "percent": 100, "text": "整改任务已全部完成"}),
    )
    .await;
    attach_report(app, &app.root_token(), id).await;
    v
}

/// Attaches a completion report to measure `id` as the bearer of `token`; the file's id.
pub async fn attach_report(app: &TestApp, token: &str, id: &str) -> String {
    let (status, body) = app
        .post_file(
            Some(token),
            "mutation($i: UploadEvidenceInput!) { uploadEvidence(input: $i) { evidence { id } } }",
            json!({"i": {"measureId": id, "file": null, "description": "整改完成情况报告"}}),
            "variables.i.file",
            ("整改完成情况报告.pdf", "application/pdf", b"%PDF-1.4 report"),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["data"]["uploadEvidence"]["evidence"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no evidence in {body}"))
        .to_owned()
}

/// Meets the gate, submits a measure (as root) and has `supervisor` verify it: closed out (销号).
pub async fn close_out(app: &TestApp, supervisor: &str, id: &str) {
    let v = complete(app, id).await;
    let v = step(
        app,
        None,
        "submitMeasure",
        "MeasureTransitionInput",
        json!({"id": id, "expectedVersion": v}),
    )
    .await;
    step(
        app,
        Some(supervisor),
        "verifyMeasure",
        "VerifyMeasureInput",
        json!({"id": id, "expectedVersion": v, "result": "PASS"}),
    )
    .await;
}

/// Starts a new measure (version 1) and closes it out.
pub async fn start_and_close_out(app: &TestApp, supervisor: &str, id: &str) {
    step(
        app,
        None,
        "startMeasure",
        "MeasureTransitionInput",
        json!({"id": id, "expectedVersion": 1}),
    )
    .await;
    close_out(app, supervisor, id).await;
}

/// Renames a unit or a person (`kind` "Unit" or "Person") still at version 1.
pub async fn rename(app: &TestApp, kind: &str, id: &str, name: &str) {
    let field = format!("{}{}", kind[..1].to_lowercase(), &kind[1..]);
    let q = format!("mutation($i: Update{kind}Input!) {{ update{kind}(input: $i) {{ {field} {{ name }} }} }}");
    let data = app
        .ok(&q, json!({"i": {"id": id, "expectedVersion": 1, "name": name}}))
        .await;
    assert_eq!(data[format!("update{kind}")][field.as_str()]["name"], name);
}
