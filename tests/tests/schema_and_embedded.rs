//! The committed SDL is what the server serves, and the README's first command (the embedded
//! SQLite demo, no database server) really shows the demo declaration.

use jixiao_tests::Client;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};

#[tokio::test]
async fn schema_graphql_is_what_the_gateway_serves() {
    let out = tokio::process::Command::new(jixiao_tests::server::binary()).arg("schema").output().await.unwrap();
    assert!(out.status.success());
    let served = String::from_utf8(out.stdout).unwrap();
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql")).unwrap();
    assert!(
        served == committed,
        "schema.graphql is out of date: regenerate it with `cargo run -q -p jixiao-gateway -- schema > schema.graphql`"
    );
}

#[tokio::test]
async fn the_embedded_default_serves_the_demo_without_a_database_server() {
    let dir = std::env::temp_dir().join(format!("jixiao-embedded-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let _ = std::fs::remove_file(dir.join("jixiao-demo.db"));
    let mut child = tokio::process::Command::new(jixiao_tests::server::binary())
        .current_dir(&dir)
        .env_remove("DATABASE_URL")
        .env_remove("JIXIAO_JWT_SECRET")
        .args(["--bind", "127.0.0.1:0"])
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut base = None;
    while let Some(line) = lines.next_line().await.unwrap() {
        if let Some(rest) = line.split("serving GraphQL on ").nth(1) {
            base = rest.split_whitespace().next().map(|u| u.trim_end_matches("/graphql").to_string());
            break;
        }
    }
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let base = base.expect("the demo server starts");
    let client = Client::new(&base).login("demo-approver", "jixiao-demo").await;
    let d = client.data("{ me { role } indicatorCatalog { code label children { code label } } }", json!({})).await;
    assert_eq!(d["me"]["role"], "APPROVER");
    assert_eq!(d["indicatorCatalog"][0]["label"], "产出指标");
    let submitter = Client::new(&base).login("demo-submitter", "jixiao-demo").await;
    let s = submitter
        .data(
            "{ declarationSummary(fiscalYear: 2023) { budgetUnitCount projectCount totalFunds totalFundsWanYuan } }",
            json!({}),
        )
        .await;
    assert_eq!(
        s["declarationSummary"],
        json!({ "budgetUnitCount": 1, "projectCount": 5, "totalFunds": "2914171.00", "totalFundsWanYuan": "291.42" })
    );
    let (status, body) = client.open_page("/graphql").await;
    assert_eq!(status, 200);
    assert!(body.contains("graphiql"), "a browser opening /graphql gets GraphiQL");
    assert_eq!(client.get("/healthz").await.0, 200);
    assert_eq!(client.get("/readyz").await.0, 200);
    child.kill().await.unwrap();
}

/// Every value of every enum the API sends has a Chinese label (and an English one) through
/// `labels`, so a front end needs no translation table: checked against the schema itself, so a
/// new enum or value without a label fails here.
#[tokio::test]
async fn every_enum_value_has_a_chinese_label() {
    let world = jixiao_tests::World::with_fixture().await;
    let anyone = world.anonymous();
    let schema =
        world.login("admin").await.data("{ __schema { types { name kind enumValues { name } } } }", json!({})).await;
    let labels = anyone.data("{ labels { enum values { value label english } } }", json!({})).await;
    let is_chinese = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let mut missing = Vec::new();
    for t in schema["__schema"]["types"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap();
        if t["kind"] != "ENUM" || name.starts_with("__") {
            continue;
        }
        let given = labels["labels"].as_array().unwrap().iter().find(|l| l["enum"] == name);
        for v in t["enumValues"].as_array().unwrap() {
            let value = v["name"].as_str().unwrap();
            let label = given.and_then(|g| g["values"].as_array().unwrap().iter().find(|l| l["value"] == value));
            match label {
                Some(l) if is_chinese(l["label"].as_str().unwrap()) && !l["english"].as_str().unwrap().is_empty() => {}
                _ => missing.push(format!("{name}.{value}")),
            }
        }
    }
    assert!(missing.is_empty(), "enum values without a Chinese label: {missing:?}");
    let status = labels["labels"].as_array().unwrap().iter().find(|l| l["enum"] == "ProjectStatus").unwrap();
    assert_eq!(status["values"][0], json!({ "value": "DRAFT", "label": "草稿", "english": "Draft" }));
}

/// Every example query of `docs/api.md` runs as written against the real server.
#[tokio::test]
async fn the_api_guides_examples_run() {
    let world = jixiao_tests::World::with_fixture().await;
    let admin = world.login("admin").await;
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/api.md")).unwrap();
    let unit = jixiao_tests::unit_of(&admin, "SJQ-XFB").await;
    let project =
        admin.data("{ projects(first: 1) { nodes { id } } }", json!({})).await["projects"]["nodes"][0]["id"].clone();
    // Approved, so that the adjustment example has a snapshot to compare with.
    let submitter = world.login("submitter").await;
    submitter
        .data("mutation($id: ID!) { submitProject(id: $id) { userErrors { code } } }", json!({ "id": project }))
        .await;
    let approver = world.login("approver").await;
    // A remark made while it was under review, for the answering example.
    let remarked = approver
        .data(
            "mutation($id: ID!) { addReviewRemark(input: { projectId: $id, field: \"funds.total\", text: \"请补充测算依据\" }) { remark { id } } }",
            json!({ "id": project }),
        )
        .await;
    let approved = approver
        .data("mutation($id: ID!) { approveProject(id: $id) { project { version } } }", json!({ "id": project }))
        .await;
    jixiao_tests::add_user(&world.db.url, "reviewer", "DEPARTMENT_REVIEWER", Some("SJQ-XFB")).await;
    let reviewer = world.login("reviewer").await;
    let approver_id = approver.data("{ me { id } }", json!({})).await["me"]["id"].clone();
    let department_id =
        admin.data("{ department(code: \"SJQ-XFB\") { id } }", json!({})).await["department"]["id"].clone();
    let row = admin.data("query($id: ID!) { project(id: $id) { indicators { id } } }", json!({ "id": project })).await
        ["project"]["indicators"][0]["id"]
        .clone();
    let variables = json!({
        "after": null, "id": project, "year": 2023, "dept": null, "row": row,
        "approverId": approver_id, "departmentId": department_id,
        "remarkId": remarked["addReviewRemark"]["remark"]["id"],
        "from": approved["approveProject"]["project"]["version"],
        "input": jixiao_tests::complete_declaration(&unit, "文档示例"),
    });
    let examples: Vec<&str> = doc.split("```graphql").skip(1).map(|b| b.split("```").next().unwrap()).collect();
    assert!(examples.len() >= 6, "the guide has its examples");
    for example in examples {
        let wanted: serde_json::Map<String, serde_json::Value> = variables
            .as_object()
            .unwrap()
            .iter()
            .filter(|(name, _)| example.contains(&format!("${name}")))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if example.trim_start().starts_with("subscription") {
            // A subscription runs over the WebSocket: accepted, and no error comes back.
            let mut s =
                jixiao_tests::ws::Subscriber::subscribe(&world.server.base_url, admin.token(), "1", example).await;
            let answer = s.next(std::time::Duration::from_millis(300)).await;
            assert!(answer.is_none(), "{example}\n{answer:?}");
            continue;
        }
        let r = if example.contains("Upload!") {
            // An upload runs as the multipart request it is, by a submitter, with the department's
            // own book (everything in it is already there: the answer lists it as unchanged).
            let book = reqwest::Client::new()
                .get(format!("{}/export/declarations/SJQ-XFB/2023.xlsx", world.server.base_url))
                .bearer_auth(submitter.token())
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            let (_, r) = submitter.upload(example, serde_json::Value::Object(wanted), "book.xlsx", &book).await;
            assert_eq!(r["data"]["importDeclaration"]["userErrors"], json!([]), "{example}\n{r}");
            r
        } else if example.contains("forwardProject(") {
            // Passing on runs as the department's reviewer (the project is approved already).
            reviewer.gql(example, serde_json::Value::Object(wanted)).await
        } else if example.contains("answerReviewRemark(") {
            // The unit answers (the project is approved by now: a user error, not a refusal).
            submitter.gql(example, serde_json::Value::Object(wanted)).await
        } else if example.contains("approveProject(") || example.contains("addReviewRemark(") {
            // A decision runs as the approver (the project is already approved: the answer is a
            // user error, not a refusal of who asks).
            approver.gql(example, serde_json::Value::Object(wanted)).await
        } else {
            admin.gql(example, serde_json::Value::Object(wanted)).await
        };
        assert!(r.get("errors").is_none(), "{example}\n{r}");
    }
}
