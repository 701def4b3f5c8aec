//! Evidence (佐证材料): multipart uploads, content addressed by SHA-256, the hash in the audit
//! event, downloads with the same rights as the measure, the size limit, withdrawal.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::helpers::TestApp;
use crate::on_both_engines;

const UPLOAD: &str = "mutation($i: UploadEvidenceInput!) { uploadEvidence(input: $i) { evidence { id version fileName mediaType size sha256 uploaderName withdrawn downloadPath } } }";
const WITHDRAW: &str = "mutation($i: WithdrawEvidenceInput!) { withdrawEvidence(input: $i) { evidence { version withdrawn withdrawReason } } }";
const LIMIT: usize = 20 * 1024 * 1024;

async fn count(app: &TestApp, table: &str) -> i64 {
    let backend = app.db.get_database_backend();
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            backend,
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "n").unwrap()
}

async fn upload(app: &TestApp, token: Option<&str>, measure: &Value, name: &str, content: &[u8]) -> (u16, Value) {
    let token = token.map(str::to_owned).unwrap_or_else(|| app.root_token());
    app.post_file(
        Some(&token),
        UPLOAD,
        json!({"i": {"measureId": measure["id"], "file": null, "description": "整改前后对比照片"}}),
        "variables.i.file",
        (name, "application/pdf", content),
    )
    .await
}

async fn download(app: &TestApp, token: Option<&str>, path: &str) -> (u16, Vec<u8>, Option<String>) {
    let mut request = app.client().get(app.url(path));
    if let Some(token) = token {
        request = request.insert_header(("Authorization", format!("Bearer {token}")));
    }
    let mut response = request.send().await.unwrap();
    let disposition = response
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.body().limit(64 * 1024 * 1024).await.unwrap();
    (response.status().as_u16(), body.to_vec(), disposition)
}

async fn an_uploaded_file_is_stored_once_by_its_hash_and_the_hash_is_audited(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-001", &f.water, "HIGH").await;
    let measure = app
        .create_measure(&f, &problem, &f.water_division, &[], "2026-07-31")
        .await;
    let content = "%PDF-1.4 农村饮水工程维修验收报告".repeat(100).into_bytes();
    let expected = hex::encode(Sha256::digest(&content));
    let (status, body) = upload(&app, None, &measure, "C:\\整改材料\\验收报告.pdf", &content).await;
    assert_eq!(status, 200, "{body}");
    let e = body["data"]["uploadEvidence"]["evidence"].clone();
    assert_eq!(e["sha256"], expected.as_str(), "{body}");
    assert_eq!(
        (e["fileName"].as_str(), e["mediaType"].as_str()),
        (Some("验收报告.pdf"), Some("application/pdf"))
    );
    assert_eq!(e["size"], content.len());
    // The audit event carries the same hash.
    let events = app
        .ok(
            "{ auditEvents(filter: {entityType: \"Evidence\"}) { nodes { action after } } }",
            json!({}),
        )
        .await;
    let event = &events["auditEvents"]["nodes"][0];
    assert_eq!(event["action"], "evidence.upload");
    assert_eq!(event["after"]["sha256"], expected.as_str());
    // Download: the same bytes, as an attachment with its name.
    let path = e["downloadPath"].as_str().unwrap();
    let (status, bytes, disposition) = download(&app, Some(&app.root_token()), path).await;
    assert_eq!(status, 200);
    assert_eq!(hex::encode(Sha256::digest(&bytes)), expected);
    assert!(disposition
        .unwrap()
        .contains("%E9%AA%8C%E6%94%B6%E6%8A%A5%E5%91%8A.pdf"));
    // The same content again: a second evidence row, one stored copy.
    let (_, again) = upload(&app, None, &measure, "验收报告（补交）.pdf", &content).await;
    assert_eq!(again["data"]["uploadEvidence"]["evidence"]["sha256"], expected.as_str());
    assert_eq!(
        (count(&app, "evidence").await, count(&app, "evidence_blob").await),
        (2, 1)
    );
    let listed = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Measure { evidence { fileName } } } }",
            json!({"id": measure["id"]}),
        )
        .await;
    assert_eq!(
        listed["node"]["evidence"],
        json!([{"fileName": "验收报告（补交）.pdf"}, {"fileName": "验收报告.pdf"}]),
        "newest first"
    );
    // Downloads follow the measure's rights: none anonymously, not found out of scope.
    let (status, _, _) = download(&app, None, path).await;
    assert_eq!(status, 401);
    // Files are not even read without an account.
    let (status, body) = app
        .post_file(
            None,
            UPLOAD,
            json!({"i": {"measureId": measure["id"], "file": null}}),
            "variables.i.file",
            ("x.pdf", "application/pdf", b"x"),
        )
        .await;
    assert_eq!(
        (status, body["errors"][0]["extensions"]["code"].as_str()),
        (401, Some("UNAUTHENTICATED"))
    );
    let teacher = app
        .account("jyj", "县教育局联络员", Some(("EDITOR", Some(&f.education))), None)
        .await;
    let (status, _, _) = download(&app, Some(&teacher), path).await;
    assert_eq!(status, 404);
    let (status, body) = upload(&app, Some(&teacher), &measure, "越权.pdf", b"x").await;
    assert_eq!(
        (status, body["errors"][0]["extensions"]["code"].as_str()),
        (200, Some("FORBIDDEN"))
    );
    let liaison = app
        .account(
            "nsg",
            "农村水利股联络员",
            Some(("EDITOR", Some(&f.water_division))),
            None,
        )
        .await;
    let (status, bytes, _) = download(&app, Some(&liaison), path).await;
    assert_eq!((status, bytes.len()), (200, content.len()));
    // Even on a PUBLIC measure, evidence is not public.
    app.ok(
        "mutation($i: UpdateProblemInput!) { updateProblem(input: $i) { problem { id } } }",
        json!({"i": {"id": problem, "expectedVersion": 1, "disclosure": "PUBLIC"}}),
    )
    .await;
    app.ok(
        "mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { id } } }",
        json!({"i": {"id": measure["id"], "expectedVersion": 1, "disclosure": "PUBLIC"}}),
    )
    .await;
    let anonymous = app
        .err_anonymous(
            "query($id: ID!) { node(id: $id) { ... on Measure { title evidence { id } } } }",
            json!({"id": measure["id"]}),
        )
        .await;
    assert_eq!(anonymous.code, "UNAUTHENTICATED", "{anonymous:?}");
    let (status, _, _) = download(&app, None, path).await;
    assert_eq!(status, 401);
}

async fn files_at_the_limit_pass_and_larger_ones_are_refused_without_storing_anything(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-002", &f.water, "HIGH").await;
    let measure = app.create_measure(&f, &problem, &f.water, &[], "2026-07-31").await;
    let at_limit = vec![b'a'; LIMIT];
    let (status, body) = upload(&app, None, &measure, "整改台账扫描件.pdf", &at_limit).await;
    assert_eq!(status, 200);
    assert_eq!(
        body["data"]["uploadEvidence"]["evidence"]["size"], LIMIT,
        "{}",
        body["errors"]
    );
    let head = app.head_seq().await;
    let stored = (count(&app, "evidence").await, count(&app, "evidence_blob").await);
    // One byte more: a clear error naming the field and the limit.
    let over = vec![b'b'; LIMIT + 1];
    let (status, body) = upload(&app, None, &measure, "超大文件.pdf", &over).await;
    assert_eq!(status, 200);
    let error = &body["errors"][0];
    assert_eq!(
        error["extensions"],
        json!({"code": "BAD_USER_INPUT", "field": "file"}),
        "{body}"
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("the limit is 20971520 bytes (20.0 MiB)"),
        "{error}"
    );
    // Far more: refused before it is read to the end.
    let far = vec![b'c'; LIMIT + 2 * 1024 * 1024];
    let (status, body) = upload(&app, None, &measure, "超大文件.pdf", &far).await;
    assert_eq!(status, 413);
    assert_eq!(body["errors"][0]["extensions"]["code"], "PAYLOAD_TOO_LARGE");
    let (status, body) = upload(&app, None, &measure, "空文件.pdf", b"").await;
    assert_eq!(
        (status, body["errors"][0]["extensions"]["field"].as_str()),
        (200, Some("file"))
    );
    assert_eq!(app.head_seq().await, head, "no event");
    assert_eq!(
        (count(&app, "evidence").await, count(&app, "evidence_blob").await),
        stored,
        "nothing stored"
    );
}

async fn a_wrong_file_is_withdrawn_with_a_reason_and_kept(app: TestApp) {
    let f = app.fixture().await;
    let problem = app.create_problem(&f, "A-003", &f.water, "HIGH").await;
    let measure = app.create_measure(&f, &problem, &f.water, &[], "2026-07-31").await;
    let (_, body) = upload(&app, None, &measure, "错传的文件.pdf", b"%PDF-1.4 wrong file").await;
    let e = body["data"]["uploadEvidence"]["evidence"].clone();
    let no_reason = app
        .err(
            WITHDRAW,
            json!({"i": {"id": e["id"], "expectedVersion": 1, "reason": " "}}),
        )
        .await;
    assert_eq!(no_reason.field.as_deref(), Some("reason"));
    let done = app
        .ok(
            WITHDRAW,
            json!({"i": {"id": e["id"], "expectedVersion": 1, "reason": "上传错了文件，已重新上传"}}),
        )
        .await;
    assert_eq!(
        done["withdrawEvidence"]["evidence"],
        json!({"version": 2, "withdrawn": true, "withdrawReason": "上传错了文件，已重新上传"})
    );
    let twice = app
        .err(
            WITHDRAW,
            json!({"i": {"id": e["id"], "expectedVersion": 2, "reason": "再撤一次"}}),
        )
        .await;
    assert_eq!(twice.field.as_deref(), Some("id"));
    let (status, bytes, _) = download(&app, Some(&app.root_token()), e["downloadPath"].as_str().unwrap()).await;
    assert_eq!(
        (status, bytes.as_slice()),
        (200, b"%PDF-1.4 wrong file".as_slice()),
        "kept"
    );
    let history = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Evidence { history { nodes { action reason } } } } }",
            json!({"id": e["id"]}),
        )
        .await;
    assert_eq!(
        history["node"]["history"]["nodes"],
        json!([{"action": "evidence.withdraw", "reason": "上传错了文件，已重新上传"}, {"action": "evidence.upload", "reason": null}])
    );
}

/// A multipart request with `files` file parts, each mapped into the list variable `f`.
async fn post_files(app: &TestApp, files: usize) -> (u16, Value) {
    let boundary = "taizhang-many-files";
    let mut body = Vec::new();
    let mut part = |headers: String, data: &[u8]| {
        body.extend_from_slice(format!("--{boundary}\r\n{headers}\r\n\r\n").as_bytes());
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    };
    let operations = json!({"query": "mutation($f: [Upload!]) { logout { revoked } }", "variables": {"f": vec![Value::Null; files]}});
    part(
        "Content-Disposition: form-data; name=\"operations\"".to_owned(),
        operations.to_string().as_bytes(),
    );
    let map: serde_json::Map<String, Value> = (0..files)
        .map(|i| (i.to_string(), json!([format!("variables.f.{i}")])))
        .collect();
    part(
        "Content-Disposition: form-data; name=\"map\"".to_owned(),
        Value::Object(map).to_string().as_bytes(),
    );
    for i in 0..files {
        part(
            format!(
                "Content-Disposition: form-data; name=\"{i}\"; filename=\"照片{i}.jpg\"\r\nContent-Type: image/jpeg"
            ),
            b"\xff\xd8\xff",
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let mut response = app
        .client()
        .post(app.url("/graphql"))
        .insert_header(("Content-Type", format!("multipart/form-data; boundary={boundary}")))
        .insert_header(("Authorization", format!("Bearer {}", app.root_token())))
        .send_body(body)
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json::<Value>().await.unwrap_or(Value::Null))
}

async fn a_request_carries_at_most_ten_files(app: TestApp) {
    let (status, body) = post_files(&app, 11).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{body}");
    assert!(
        body["errors"][0]["message"].as_str().unwrap().contains("multipart"),
        "{body}"
    );
    // Ten pass the form and reach GraphQL (which finds the list variable unused).
    let (status, body) = post_files(&app, 10).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body["errors"][0]["message"].as_str().unwrap().contains("not used"),
        "{body}"
    );
    // The server answers as before.
    app.ok("{ auditHead { seq } }", json!({})).await;
}

on_both_engines!(
    a_request_carries_at_most_ten_files,
    an_uploaded_file_is_stored_once_by_its_hash_and_the_hash_is_audited,
    files_at_the_limit_pass_and_larger_ones_are_refused_without_storing_anything,
    a_wrong_file_is_withdrawn_with_a_reason_and_kept,
);
