//! Every message a person reads is in Chinese by default and in English on
//! `Accept-Language: en`: top-level errors (of every code the API gives, the HTTP layer's
//! refusals included), userErrors of every kind, and findings.
//!
//! Requests of every kind that fail are sent twice, without a language and in English; every
//! `message` anywhere in the answers is collected. Besides, the server is the debug build, where
//! building a message whose Chinese text has no Chinese in it panics (`domain::Message::new`):
//! every other test that reaches a message checks it too.

use jixiao_tests::{CREATE_PROJECT, World, add_user, client::Client, complete_declaration, unit_of};
use serde_json::{Value, json};

fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Whether `e` is the English of `z`: not the same, and read as English (it may quote a name
/// typed in Chinese).
fn english(z: &str, e: &str) -> bool {
    z != e && e.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 8
}

/// Every `message` in a response, wherever it is.
fn messages(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("message", Value::String(m)) => out.push(m.clone()),
                    _ => messages(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| messages(i, out)),
        _ => {}
    }
}

/// A raw HTTP POST (for the refusals before GraphQL: bad JSON, a wrong media type, a batch).
async fn raw(base: &str, content_type: &str, body: &str, language: Option<&str>) -> Value {
    let mut req = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .header("content-type", content_type)
        .body(body.to_string());
    if let Some(l) = language {
        req = req.header("accept-language", l);
    }
    req.send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn every_message_is_chinese_by_default_and_english_on_request() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    let admin = world.login("admin").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let seed = submitter.data("{ projects(first: 1) { nodes { id version } } }", json!({})).await;
    let seed_id = seed["projects"]["nodes"][0]["id"].clone();
    let me = admin.data("{ me { id } }", json!({})).await["me"]["id"].clone();

    // A draft with findings of every kind a half-filled form has.
    let r = submitter
        .data(
            CREATE_PROJECT,
            json!({ "input": { "fiscalYear": 2023, "implementingUnitId": unit, "name": "消息测试" } }),
        )
        .await;
    let draft = r["createProject"]["project"]["id"].clone();
    let mut bad = complete_declaration(&unit, "坏输入");
    bad["funds"]["total"] = json!("-1");
    bad["funds"]["fiscal"] = json!("1.001");
    bad["funds"]["other"] = json!("abc");
    bad["funds"]["annualRequest"] = json!("99999999999999");
    bad["name"] = json!("名".repeat(201));
    bad["overallGoal"] = json!("含\u{0}空字符");
    bad["indicators"][0]["name"] = json!(" ");
    bad["indicators"][1]["target"] = json!("9".repeat(101));
    bad["fiscalYear"] = json!(1999);
    let mut unsaved = complete_declaration(&unit, "检查");
    unsaved["indicators"][0]["target"] = json!("≥");
    unsaved["indicators"][1]["level2"] = json!("QUALITY");
    unsaved["fundItems"][0]["amount"] = json!("1.00");
    unsaved["funds"]["other"] = Value::Null;
    unsaved["category"] = Value::Null;
    unsaved["plannedEnd"] = json!("2022-01-01");
    unsaved["overallGoal"] = json!("");
    unsaved["sections"]["budgetArrangement"] = json!("年度预算 99 万元");

    let (anonymous, forged) = (world.anonymous(), submitter.with_token("not-a-token"));
    let calls: Vec<(&Client, String, Value)> = vec![
        (&anonymous, "{ me { id } }".into(), json!({})),
        (&forged, "{ me { id } }".into(), json!({})),
        (&submitter, "{ project(id: \"bm90LWFuLWlk\") { id } }".into(), json!({})),
        (&submitter, "query($id: ID!) { project(id: $id) { id } }".into(), json!({ "id": me })),
        (&submitter, "{ projects(first: 0) { totalCount } }".into(), json!({})),
        (&submitter, "{ projects(first: 2, after: \"xyz\") { totalCount } }".into(), json!({})),
        (&submitter, "{ projects(filter: { status: [] }) { totalCount } }".into(), json!({})),
        (&submitter, "{ projects(filter: { totalFundsMin: \"-5\" }) { totalCount } }".into(), json!({})),
        (&submitter, "{ nosuchfield }".into(), json!({})),
        (&submitter, "{ projects(filter: { updatedSince: \"yesterday\" }) { totalCount } }".into(), json!({})),
        (&submitter, "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { userErrors { message } } }".into(),
            json!({ "i": { "id": draft, "expectedVersion": 1, "plannedStart": "2023-02-30" } })),
        (&submitter, "{ me { id ".into(), json!({})),
        (&submitter, format!("{{ me {} id {} }}", "{ a ".repeat(40), "}".repeat(40)), json!({})),
        (&submitter, "{ department { id } }".into(), json!({})),
        (&approver, CREATE_PROJECT.into(), json!({ "input": complete_declaration(&unit, "审核人员创建") })),
        (&submitter, CREATE_PROJECT.into(), json!({ "input": bad })),
        (&submitter, CREATE_PROJECT.into(), json!({ "input": complete_declaration("QnVkZ2V0VW5pdDo5OTk5OQ", "未知单位") })),
        (&submitter, "mutation($id: ID!) { submitProject(id: $id) { userErrors { field message code } } }".into(), json!({ "id": draft })),
        (&submitter, "mutation($id: ID!) { approveProject(id: $id) { userErrors { message } } }".into(), json!({ "id": draft })),
        (&approver, "mutation($id: ID!) { rejectProject(id: $id, reason: \" \") { userErrors { message } } }".into(), json!({ "id": seed_id })),
        (&submitter, "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { userErrors { message } } }".into(),
            json!({ "i": { "id": draft, "expectedVersion": 99, "name": "新名" } })),
        (&submitter, "query($i: CreateProjectInput!) { checkDeclaration(input: $i) { userErrors { message } findings { message } } }".into(),
            json!({ "i": unsaved })),
        (&submitter, "query($id: ID!) { project(id: $id) { findings { message } } }".into(), json!({ "id": draft })),
        (&anonymous, "mutation { login(username: \"submitter\", password: \"wrong-password\") { token } }".into(), json!({})),
        (&admin, "mutation($id: ID!) { disableUser(id: $id) { userErrors { message } } }".into(), json!({ "id": me })),
        (&admin, "mutation { createDepartment(input: { code: \"a b\", name: \"\" }) { userErrors { message } } }".into(), json!({})),
        (&admin, "mutation($d: ID!) { createUser(input: { username: \"x y\", role: SUBMITTER, password: \"short\", departmentId: $d }) { userErrors { message } } }".into(), json!({ "d": me })),
        (&submitter, "mutation { changePassword(oldPassword: \"wrong-password\", newPassword: \"a-new-password\") { userErrors { message } } }".into(), json!({})),
        (&submitter, "mutation($i: MoveIndicatorInput!) { moveIndicator(input: $i) { userErrors { message } } }".into(),
            json!({ "i": { "id": me, "expectedVersion": 1, "position": 0 } })),
    ];
    let mut checked = 0;
    for (client, query, variables) in &calls {
        let zh = client.gql(query, variables.clone()).await;
        let en = client.with_language("en-US,en;q=0.9").gql(query, variables.clone()).await;
        let (mut zh_messages, mut en_messages) = (vec![], vec![]);
        messages(&zh, &mut zh_messages);
        messages(&en, &mut en_messages);
        assert!(!zh_messages.is_empty(), "{query}: expected a message to check: {zh}");
        assert_eq!(zh_messages.len(), en_messages.len(), "{query}: the same messages in both languages");
        for (z, e) in zh_messages.iter().zip(&en_messages) {
            assert!(has_chinese(z), "{query}: not Chinese by default: {z:?}");
            assert_ne!(z, e, "{query}: no English for {z:?}");
            // English may quote Chinese (a name typed, a 指标 label), but reads as English.
            assert!(e.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 8, "{query}: not English: {e:?}");
            checked += 1;
        }
    }
    // The HTTP layer's refusals, before any GraphQL runs.
    let base = &world.server.base_url;
    for (content_type, body) in [
        ("application/json", "{not json"),
        ("text/plain", "{\"query\": \"{ me { id } }\"}"),
        ("application/json", "[{\"query\": \"{ me { id } }\"}]"),
    ] {
        let zh = raw(base, content_type, body, None).await;
        let en = raw(base, content_type, body, Some("en")).await;
        let (z, e) = (zh["errors"][0]["message"].as_str().unwrap(), en["errors"][0]["message"].as_str().unwrap());
        assert!(has_chinese(z) && !has_chinese(e), "{body}: {z:?} / {e:?}");
        checked += 1;
    }
    assert!(checked > 60, "only {checked} messages were checked");
}

/// The codes the API documents (`docs/api.md`, "Errors"): the top-level ones, then those of
/// `userErrors`.
fn documented_codes() -> (Vec<String>, Vec<String>) {
    let docs = include_str!("../../docs/api.md");
    let top = docs.split("**Top-level errors**").nth(1).expect("the top-level errors are documented");
    let (top, rest) = top.split_once("**`userErrors").expect("then the userErrors");
    let user = rest.split("\n## ").next().unwrap();
    let codes = |text: &str| -> Vec<String> {
        let mut out: Vec<String> = text
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|s| s.len() > 3 && s.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
            .map(String::from)
            .collect();
        out.dedup();
        out
    };
    // `user` starts inside the backquotes of `userErrors { … }`.
    (codes(top), codes(&format!("`{user}")))
}

/// Codes whose two languages another test checks, because producing them needs a scenario of
/// its own; each with where.
const CHECKED_ELSEWHERE: &[(&str, &str)] = &[(
    "SLOW_SUBSCRIBER",
    "subscriptions.rs: a_subscriber_that_falls_behind_is_told_and_dropped_and_may_subscribe_again",
)];

/// The message of `code` in a response: a top-level error's, or a userError's.
fn message_of<'a>(r: &'a Value, code: &str) -> Option<&'a str> {
    let errors = r["errors"].as_array().into_iter().flatten();
    let user_errors = r["data"].as_object().into_iter().flat_map(|d| d.values()).flat_map(|payload| {
        let direct = payload["userErrors"].as_array().into_iter().flatten();
        let bulk = payload["results"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|x| x["userErrors"].as_array().into_iter().flatten());
        direct.chain(bulk)
    });
    errors
        .filter(|e| e["extensions"]["code"] == code)
        .chain(user_errors.filter(|e| e["code"] == code))
        .find_map(|e| e["message"].as_str())
}

/// What the codes test works with: a world with one project in each stage a userError needs.
struct Stage {
    world: World,
    submitter: Client,
    approver: Client,
    admin: Client,
    /// A DRAFT with no funds nor indicators.
    half: String,
    /// A complete DRAFT whose funds do not add up and whose rate target is over 100%.
    faulty: String,
    /// An APPROVED project, its monitoring report and self-evaluation.
    approved: String,
    report: String,
    evaluation: String,
    /// A declaration under its department's review.
    in_department_review: String,
}

async fn stage() -> Stage {
    let world = World::with_fixture().await;
    let (submitter, approver, admin) =
        (world.login("submitter").await, world.login("approver").await, world.login("admin").await);
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let create = |input: Value| {
        let submitter = submitter.clone();
        async move {
            let r = submitter.data(CREATE_PROJECT, json!({ "input": input })).await;
            r["createProject"]["project"]["id"].as_str().unwrap_or_else(|| panic!("{r}")).to_string()
        }
    };
    let step = |client: &Client, op: &str, id: &str| {
        let (client, q) =
            (client.clone(), format!("mutation($id: ID!) {{ {op}(id: $id) {{ userErrors {{ code }} }} }}"));
        let (op, id) = (op.to_string(), id.to_string());
        async move {
            let r = client.data(&q, json!({ "id": id })).await;
            assert_eq!(r[&op]["userErrors"], json!([]), "{op}: {r}");
        }
    };
    let half = create(json!({ "fiscalYear": 2023, "implementingUnitId": unit, "name": "半成品" })).await;
    let mut faulty = complete_declaration(&unit, "有错的申报");
    faulty["funds"]["fiscal"] = json!("14000.00");
    faulty["indicators"][0]["target"] = json!("≥120%");
    let faulty = create(faulty).await;
    let approved = create(complete_declaration(&unit, "已批复")).await;
    step(&submitter, "submitProject", &approved).await;
    step(&approver, "approveProject", &approved).await;
    let r = admin
        .data(
            "mutation { openMonitoringRound(input: { fiscalYear: 2023, name: \"1-7月\", asOf: \"2023-07-31\", dueDate: \"2023-08-15\" }) { round { id } } }",
            json!({}),
        )
        .await;
    assert!(r["openMonitoringRound"]["round"]["id"].is_string(), "{r}");
    let r = submitter
        .data("query($id: ID!) { project(id: $id) { monitoringReports { id } } }", json!({ "id": approved }))
        .await;
    let report = r["project"]["monitoringReports"][0]["id"].as_str().unwrap().to_string();
    let r = submitter
        .data(
            "mutation($p: ID!) { startSelfEvaluation(input: { projectId: $p }) { selfEvaluation { id } } }",
            json!({ "p": approved }),
        )
        .await;
    let evaluation = r["startSelfEvaluation"]["selfEvaluation"]["id"].as_str().unwrap().to_string();
    add_user(&world.db.url, "reviewer", "DEPARTMENT_REVIEWER", Some("SJQ-XFB")).await;
    let in_department_review = create(complete_declaration(&unit, "部门审核中")).await;
    step(&submitter, "submitProject", &in_department_review).await;
    Stage { world, submitter, approver, admin, half, faulty, approved, report, evaluation, in_department_review }
}

/// A response that carries `code` (asked in `language`), made the way a client meets it.
async fn produce(s: &Stage, code: &str, language: Option<&str>) -> Value {
    let lang = |c: &Client| language.map_or_else(|| c.clone(), |l| c.with_language(l));
    let base = s.world.server.base_url.clone();
    let server_with = |env: &'static [(&'static str, &'static str)]| {
        let url = s.world.db.url.clone();
        async move { jixiao_tests::server::Server::start_with(&url, env).await }
    };
    let ask = |c: &Client, q: &str, v: Value| {
        let (c, q) = (lang(c), q.to_string());
        async move { c.gql(&q, v).await }
    };
    let (submitter, approver, admin) = (&s.submitter, &s.approver, &s.admin);
    match code {
        "UNAUTHENTICATED" => ask(&s.world.anonymous(), "{ me { id } }", json!({})).await,
        "FORBIDDEN" => {
            ask(approver, "mutation { createDepartment(input: { code: \"X\", name: \"新部门\" }) { userErrors { code } } }", json!({}))
                .await
        }
        "NOT_FOUND" => {
            let gone = jixiao_tests::client::encode_id("Project", 999_999);
            ask(submitter, "query($id: ID!) { project(id: $id) { id } }", json!({ "id": gone })).await
        }
        "BAD_USER_INPUT" => ask(submitter, "{ nosuchfield }", json!({})).await,
        "RATE_LIMITED" => {
            // Wrong passwords for one name from one address: a few are free, then each waits.
            let q = "mutation($u: String!) { login(username: $u, password: \"wrong-password\") { token } }";
            let name = format!("nobody-{}", language.unwrap_or("zh"));
            for _ in 0..20 {
                let r = ask(&s.world.anonymous(), q, json!({ "u": name })).await;
                if r["errors"][0]["extensions"]["code"] == "RATE_LIMITED" {
                    return r;
                }
            }
            panic!("never RATE_LIMITED");
        }
        "TIMEOUT" => {
            // A login hashes a password with argon2id: far longer than 10 ms.
            let quick = server_with(&[("JIXIAO_REQUEST_TIMEOUT_MS", "10")]).await;
            let q = "mutation { login(username: \"admin\", password: \"correct horse battery\") { token } }";
            ask(&Client::new(&quick.base_url), q, json!({})).await
        }
        "QUERY_TOO_DEEP" => {
            let deep = format!("{{ projects {{ nodes {{ {}id{} }} }} }}", "previousProject { ".repeat(30), " }".repeat(30));
            ask(submitter, &deep, json!({})).await
        }
        "QUERY_TOO_COMPLEX" => {
            let aliases: String = (0..40)
                .map(|i| format!("a{i}: projects(first: 100) {{ nodes {{ indicators {{ name target {{ text }} }} }} }} "))
                .collect();
            ask(submitter, &format!("{{ {aliases} }}"), json!({})).await
        }
        "PAYLOAD_TOO_LARGE" => {
            let huge = format!(
                "{{\"query\": \"{{ __typename }}\", \"variables\": {{ \"x\": \"{}\" }} }}",
                "x".repeat(5 * 1024 * 1024)
            );
            raw(&base, "application/json", &huge, language).await
        }
        "RESPONSE_TOO_LARGE" => {
            let small = server_with(&[("JIXIAO_MAX_RESPONSE_BYTES", "65536")]).await;
            let copies: String = (0..6)
                .map(|i| format!("a{i}: projects {{ nodes {{ sections {{ overview basis plan }} indicators {{ name }} }} }} "))
                .collect();
            ask(&Client::new(&small.base_url).with_token(admin.token()), &format!("{{ {copies} }}"), json!({})).await
        }
        "BATCH_NOT_SUPPORTED" => raw(&base, "application/json", "[{\"query\": \"{ me { id } }\"}]", language).await,
        "UNSUPPORTED_MEDIA_TYPE" => raw(&base, "text/plain", "{\"query\": \"{ me { id } }\"}", language).await,
        "METHOD_NOT_ALLOWED" => {
            let mut req = reqwest::Client::new()
                .get(format!("{base}/graphql"))
                .query(&[("query", "mutation { login(username: \"a\", password: \"b\") { token } }")]);
            if let Some(l) = language {
                req = req.header("accept-language", l);
            }
            req.send().await.unwrap().json().await.unwrap()
        }
        "PERSISTED_QUERY_NOT_FOUND" => {
            let by_hash = json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": "ab".repeat(32) } } });
            raw(&base, "application/json", &by_hash.to_string(), language).await
        }
        "TRUSTED_DOCUMENT_REQUIRED" => {
            let trusted_only = server_with(&[("JIXIAO_TRUSTED_DOCUMENTS_ONLY", "true")]).await;
            raw(&trusted_only.base_url, "application/json", "{\"query\": \"{ me { id } }\"}", language).await
        }
        "INTERNAL" => {
            // A column the service reads is gone (a damaged database): the client learns an
            // incident id, never the SQL.
            let db = sea_orm::Database::connect(&s.world.db.url).await.unwrap();
            let sql = "ALTER TABLE monitoring_rounds RENAME COLUMN name TO name_gone";
            sea_orm::ConnectionTrait::execute_unprepared(&db, sql).await.unwrap();
            let r = ask(submitter, "{ monitoringRounds(fiscalYear: 2023) { name } }", json!({})).await;
            let sql = "ALTER TABLE monitoring_rounds RENAME COLUMN name_gone TO name";
            sea_orm::ConnectionTrait::execute_unprepared(&db, sql).await.unwrap();
            let leaked = r.to_string();
            assert!(!leaked.contains("name_gone") && !leaked.contains("does not exist"), "no SQL in the answer: {r}");
            r
        }
        "UNAVAILABLE" => {
            // The database refuses every connection: the service says so at once.
            let admin_db = jixiao_tests::database::admin_connection().await;
            let name = &s.world.db.name;
            let run = |sql: String| {
                let admin_db = admin_db.clone();
                async move { sea_orm::ConnectionTrait::execute_unprepared(&admin_db, &sql).await.unwrap() }
            };
            run(format!("ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS false")).await;
            run(format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")).await;
            let r = ask(submitter, "{ departments { totalCount } }", json!({})).await;
            run(format!("ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS true")).await;
            r
        }
        // userErrors
        "INVALID_INPUT" => {
            ask(admin, "mutation { createDepartment(input: { code: \"a b\", name: \"\" }) { userErrors { code message } } }", json!({})).await
        }
        "ALREADY_EXISTS" => {
            ask(admin, "mutation { createDepartment(input: { code: \"SJQ-XFB\", name: \"重复\" }) { userErrors { code message } } }", json!({})).await
        }
        "FUNDS_MISMATCH" | "INVALID_TARGET" => {
            let q = "mutation($id: ID!) { submitProject(id: $id) { userErrors { code message } } }";
            ask(submitter, q, json!({ "id": s.faulty })).await
        }
        "INCOMPLETE" => {
            let q = "mutation($id: ID!) { submitProject(id: $id) { userErrors { code message } } }";
            ask(submitter, q, json!({ "id": s.half })).await
        }
        "VERSION_CONFLICT" => {
            let q = "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { userErrors { code message } } }";
            ask(submitter, q, json!({ "i": { "id": s.half, "expectedVersion": 99, "name": "新名" } })).await
        }
        "INVALID_TRANSITION" => {
            let q = "mutation($id: ID!) { withdrawProject(id: $id) { userErrors { code message } } }";
            ask(submitter, q, json!({ "id": s.half })).await
        }
        // Per id of a bulk decision: one that does not exist, one under its department's review.
        "NOT_FOUND_BULK" | "FORBIDDEN_BULK" => {
            let q = "mutation($ids: [ID!]!) { approveProjects(input: { ids: $ids }) { results { userErrors { code message } } } }";
            ask(approver, q, json!({ "ids": [jixiao_tests::client::encode_id("Project", 999_999), s.in_department_review] })).await
        }
        other => panic!("no way to produce {other}: add one to `produce`"),
    }
}

/// Every code the API documents, top-level and userError, is met in Chinese by default and in
/// English on `Accept-Language: en`: driven from the documented list, so a new code documented
/// without a way to meet it here fails, and so does one the service gives without documenting it.
#[tokio::test]
async fn every_documented_code_reads_in_both_languages() {
    let (top, user) = documented_codes();
    assert!(top.len() >= 16 && user.len() >= 9, "the lists were read: {top:?} {user:?}");
    let s = stage().await;
    // The userErrors of every kind of form, not only the declaration's: a monitoring report, a
    // self-evaluation, a remark and an adjustment, each refused for what was entered.
    let r = s
        .submitter
        .data(
            "query($id: ID!, $r: ID!) { project(id: $id) { version selfEvaluation { version } } monitoringReport(id: $r) { version } }",
            json!({ "id": s.approved, "r": s.report }),
        )
        .await;
    let (project_version, evaluation_version, report_version) = (
        r["project"]["version"].clone(),
        r["project"]["selfEvaluation"]["version"].clone(),
        r["monitoringReport"]["version"].clone(),
    );
    let forms: [(&str, &Client, &str, Value); 4] = [
        (
            "monitoring report",
            &s.submitter,
            "mutation($i: UpdateMonitoringReportInput!) { updateMonitoringReport(input: $i) { userErrors { code message } } }",
            json!({ "i": { "id": s.report, "expectedVersion": report_version, "budgetExecuted": "-5" } }),
        ),
        (
            "self-evaluation",
            &s.submitter,
            "mutation($i: UpdateSelfEvaluationInput!) { updateSelfEvaluation(input: $i) { userErrors { code message } } }",
            json!({ "i": { "id": s.evaluation, "expectedVersion": evaluation_version, "budgetExecuted": "abc" } }),
        ),
        (
            "remark",
            &s.approver,
            "mutation($p: ID!) { addReviewRemark(input: { projectId: $p, field: \"funds.total\", text: \" \" }) { userErrors { code message } } }",
            json!({ "p": s.in_department_review }),
        ),
        (
            "adjustment",
            &s.submitter,
            "mutation($i: StartAdjustmentInput!) { startAdjustment(input: $i) { userErrors { code message } } }",
            json!({ "i": { "id": s.approved, "expectedVersion": project_version, "reason": " " } }),
        ),
    ];
    for (form, client, query, variables) in forms {
        let zh = client.gql(query, variables.clone()).await;
        let en = client.with_language("en").gql(query, variables).await;
        // Refused as userErrors or as the request's error (a malformed amount): in both languages.
        let (mut z, mut e) = (vec![], vec![]);
        messages(&zh, &mut z);
        messages(&en, &mut e);
        assert!(!z.is_empty() && z.len() == e.len(), "{form}: refused in both languages:\n{zh}\n{en}");
        for (z, e) in z.iter().zip(&e) {
            assert!(has_chinese(z) && english(z, e), "{form}: {z:?} / {e:?}");
        }
    }
    let mut checked = Vec::new();
    let cases = top
        .iter()
        .filter(|c| !CHECKED_ELSEWHERE.iter().any(|(e, _)| e == c))
        .map(|c| (c.clone(), c.clone()))
        // UNAVAILABLE last: it takes the database away.
        .filter(|(c, _)| c != "UNAVAILABLE")
        .chain(user.iter().map(|c| {
            let how = if top.contains(c) { format!("{c}_BULK") } else { c.clone() };
            (c.clone(), how)
        }))
        .chain(top.iter().filter(|c| *c == "UNAVAILABLE").map(|c| (c.clone(), c.clone())))
        .collect::<Vec<_>>();
    for (code, how) in &cases {
        let zh = produce(&s, how, None).await;
        let en = produce(&s, how, Some("en")).await;
        let (Some(z), Some(e)) = (message_of(&zh, code), message_of(&en, code)) else {
            panic!("{code}: not met as documented:\n{zh}\n{en}");
        };
        assert!(has_chinese(z), "{code}: not Chinese by default: {z:?}");
        assert!(english(z, e), "{code}: not English: {e:?}");
        checked.push(code.as_str());
    }
    for (code, _) in CHECKED_ELSEWHERE {
        assert!(top.iter().any(|c| c == code), "{code} is checked elsewhere but not documented");
    }
    assert_eq!(checked.len() + CHECKED_ELSEWHERE.len(), top.len() + user.len(), "{checked:?}");
}
