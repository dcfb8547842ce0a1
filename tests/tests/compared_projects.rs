//! A form checked as the user types is compared with its department's other projects of the
//! year. Each instance keeps those between checks; a change is seen by the very next check on
//! the instance that saved it, and within a second on every other instance, whoever made it
//! (another instance, an operator in psql); each caller is still shown only what it may see.

use std::time::{Duration, Instant};

use jixiao_tests::client::Client;
use jixiao_tests::server::{Server, until_listening};
use jixiao_tests::{CREATE_PROJECT, NOTIFIED_WITHIN, World, complete_declaration, statements_run, unit_of};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

const CHECK: &str =
    "query($input: CreateProjectInput!) { checkDeclaration(input: $input) { findings { code message } } }";

const COMPARED: &str = "缓存对照项目";

fn indicators(suffix: &str) -> Value {
    let row = |level1: &str, level2: &str, name: &str| json!({ "level1": level1, "level2": level2, "name": format!("{name}{suffix}"), "target": ">=90%" });
    json!([
        row("OUTPUT", "QUANTITY", "走访宣传覆盖率"),
        row("OUTPUT", "QUALITY", "宣传资料发放准确率"),
        row("OUTPUT", "TIMELINESS", "宣传资料按月发放率"),
        row("BENEFIT", "SOCIAL_BENEFIT", "居民政策知晓率"),
        row("SATISFACTION", "SERVICE_SATISFACTION", "走访对象满意度"),
    ])
}

/// Whether checking `form` through `client` names the compared project as copied.
async fn names_the_compared(client: &Client, form: &Value) -> bool {
    let r = client.data(CHECK, json!({ "input": form })).await;
    r["checkDeclaration"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "COPIED_INDICATORS" && f["message"].as_str().unwrap().contains(COMPARED))
}

/// Checks `form` through `client` until the compared project is named (or not, `named`); how
/// long that took (at most twice `NOTIFIED_WITHIN` is waited).
async fn until(client: &Client, form: &Value, named: bool) -> Duration {
    let started = Instant::now();
    while names_the_compared(client, form).await != named && started.elapsed() < 2 * NOTIFIED_WITHIN {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    eprintln!("settled after {:?}", started.elapsed());
    started.elapsed()
}

/// The hits of instance `base_url`'s cache of compared projects, from `/metrics`.
async fn cache_hits(base_url: &str) -> u64 {
    let (_, text) = Client::new(base_url).get("/metrics").await;
    let metric = "jixiao_indicator_names_cache_total{result=\"hit\"} ";
    let line = text.lines().find_map(|l| l.strip_prefix(metric)).expect("the cache metric");
    line.parse().unwrap()
}

#[tokio::test]
async fn a_change_to_the_compared_projects_is_seen_at_once_here_and_within_a_second_elsewhere() {
    let world = World::with_fixture().await;
    let b = Server::start(&world.db.url).await;
    until_listening(&world.server.base_url).await;
    until_listening(&b.base_url).await;
    let on_a = world.login("submitter").await;
    let on_b = Client::new(&b.base_url).with_token(on_a.token());
    let approver_on_b = Client::new(&b.base_url).with_token(world.login("approver").await.token());
    let unit = unit_of(&on_a, "SJQ-XFB").await;

    let mut draft = complete_declaration(&unit, COMPARED);
    draft["indicators"] = indicators("");
    let created = on_a.data(CREATE_PROJECT, json!({ "input": draft })).await;
    let project = &created["createProject"]["project"];
    let (id, mut version) = (project["id"].clone(), project["version"].as_i64().unwrap());
    let mut form = draft.clone();
    form["name"] = json!("另一个宣传项目");

    // Both instances find the copy; B from what it keeps once it has read it, with no statement.
    let hits_before = cache_hits(&b.base_url).await;
    for client in [&on_a, &on_b] {
        assert!(names_the_compared(client, &form).await);
    }
    // The notices of the save above reach B some milliseconds after it (more on a busy machine),
    // and make it forget what it read before they came: B has settled once a check of its runs
    // no statement.
    let settled = Instant::now();
    loop {
        let before = statements_run(&on_b).await;
        assert!(names_the_compared(&on_b, &form).await);
        if statements_run(&on_b).await == before {
            break;
        }
        assert!(settled.elapsed() < NOTIFIED_WITHIN, "B reads the compared projects on every check");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let statements_before = statements_run(&on_b).await;
    for client in [&on_a, &on_b, &on_b] {
        assert!(names_the_compared(client, &form).await);
    }
    assert_eq!(statements_run(&on_b).await, statements_before, "B checked against what it keeps");
    assert!(cache_hits(&b.base_url).await >= hits_before + 2, "B keeps the compared projects between checks");
    assert!(!names_the_compared(&approver_on_b, &form).await, "approvers never see a draft, kept or not");

    // Saved through A: the very next check on A compares with the save, every time.
    const UPDATE: &str = "mutation($input: UpdateProjectInput!) { updateProject(input: $input) {
        project { version } userErrors { code message } } }";
    for round in 1..=10 {
        let renamed = indicators(&format!("（第{round}版）"));
        let input = json!({ "id": id, "expectedVersion": version, "indicators": renamed });
        let saved = on_a.data(UPDATE, json!({ "input": input })).await;
        assert_eq!(saved["updateProject"]["userErrors"], json!([]), "{saved}");
        version = saved["updateProject"]["project"]["version"].as_i64().unwrap();
        form["indicators"] = renamed;
        assert!(names_the_compared(&on_a, &form).await, "round {round}: A compared with what it had before its save");
    }
    let took = until(&on_b, &form, true).await;
    assert!(took < NOTIFIED_WITHIN, "B compared with the old indicators {took:?} after the save on A");

    // Changed in psql, by another process altogether: both see it within a second.
    let db = sea_orm::Database::connect(&world.db.url).await.unwrap();
    db.execute_unprepared(&format!(
        "UPDATE indicators SET name = name || '（改）' WHERE project_id = (SELECT id FROM projects WHERE name = '{COMPARED}')"
    ))
    .await
    .unwrap();
    for client in [&on_a, &on_b] {
        let took = until(client, &form, false).await;
        assert!(took < NOTIFIED_WITHIN, "still compared with the old names {took:?} after the change in psql");
    }

    // Submitted through A: from then on the approvers' checks on B compare with it too.
    let changed: Vec<Value> = form["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let mut row = row.clone();
            row["name"] = json!(format!("{}（改）", row["name"].as_str().unwrap()));
            row
        })
        .collect();
    form["indicators"] = json!(changed);
    assert!(names_the_compared(&on_b, &form).await);
    assert!(!names_the_compared(&approver_on_b, &form).await);
    let submitted = on_a
        .data("mutation($id: ID!) { submitProject(id: $id) { userErrors { code message } } }", json!({ "id": id }))
        .await;
    assert_eq!(submitted["submitProject"]["userErrors"], json!([]), "{submitted}");
    let took = until(&approver_on_b, &form, true).await;
    assert!(took < NOTIFIED_WITHIN, "the approver on B did not see the submitted project after {took:?}");
}
