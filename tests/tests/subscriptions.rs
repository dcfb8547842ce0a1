//! Screens that update themselves: GraphQL subscriptions over WebSocket (graphql-transport-ws),
//! two instances on one database. A submit made through instance A reaches an approver
//! subscribed on instance B within a second; a submitter of another department subscribed on B
//! receives nothing of it; a draft's creation reaches its department and nobody else; disabling
//! the subscriber's user, or changing its role, closes its connection; a bad token is refused at
//! `connection_init`. The embedded demo (SQLite, no notifications) announces the same changes.

use std::time::{Duration, Instant};

use jixiao_tests::client::Client;
use jixiao_tests::server::{Server, until_listening};
use jixiao_tests::ws::{Subscriber, subscriptions_open, until_subscriptions};
use jixiao_tests::{CREATE_PROJECT, World, add_user, complete_declaration, unit_of};
use serde_json::json;

const EVENTS: &str = "subscription { projectEvents { action fromStatus toStatus projectId
    project { name status department { code } } } }";

/// The value of metric `name` on instance `base_url`.
async fn metric(base_url: &str, name: &str) -> u64 {
    let (_, text) = Client::new(base_url).get("/metrics").await;
    let line = text.lines().find(|l| l.split(' ').next() == Some(name)).unwrap_or_else(|| panic!("no {name}"));
    line.rsplit(' ').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn an_event_on_one_instance_reaches_entitled_subscribers_on_the_other_and_no_one_else() {
    let world = World::with_fixture().await;
    let b = Server::start(&world.db.url).await;
    until_listening(&world.server.base_url).await;
    until_listening(&b.base_url).await;
    let admin = world.login("admin").await;
    let other_dept = admin
        .data(
            "mutation { createDepartment(input: { code: \"OTHER\", name: \"另一个部门\" }) { department { id } } }",
            json!({}),
        )
        .await["createDepartment"]["department"]["id"]
        .clone();
    add_user(&world.db.url, "other", "SUBMITTER", Some("OTHER")).await;
    add_user(&world.db.url, "approver2", "APPROVER", None).await;
    // An approver assigned to the other department only (对口科室), listening to its own.
    add_user(&world.db.url, "approver3", "APPROVER", None).await;
    let approver3 = world.login("approver3").await;
    let approver3_id = approver3.data("{ me { id } }", json!({})).await["me"]["id"].clone();
    let r = admin
        .data(
            "mutation($u: ID!, $d: ID!) { assignApprover(input: { userId: $u, departmentId: $d }) { userErrors { code } } }",
            json!({ "u": approver3_id, "d": other_dept }),
        )
        .await;
    assert_eq!(r["assignApprover"]["userErrors"], json!([]));
    let mine = "subscription { projectEvents(filter: { assignedToMe: true }) { action projectId } }";
    let mut assigned_elsewhere = Subscriber::subscribe(&b.base_url, approver3.token(), "1", mine).await;
    let submitter = world.login("submitter").await;
    let approver_token = world.login("approver").await.token().to_string();
    let other_token = world.login("other").await.token().to_string();
    let approver2 = world.login("approver2").await;

    let mut approver_on_b = Subscriber::subscribe(&b.base_url, &approver_token, "1", EVENTS).await;
    let mut other_on_b = Subscriber::subscribe(&b.base_url, &other_token, "1", EVENTS).await;
    let mut own_on_b = Subscriber::subscribe(&b.base_url, submitter.token(), "1", EVENTS).await;
    let mut second_approver = Subscriber::subscribe(&b.base_url, approver2.token(), "2", EVENTS).await;
    // Subscriptions are open once the server has taken the subscribe messages.
    until_subscriptions(&b.base_url, 5).await;

    // A draft is created and edited through A: its department hears it, the approvers do not.
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let r = submitter.data(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, "订阅项目") })).await;
    let id = r["createProject"]["project"]["id"].as_str().unwrap().to_string();
    let created = own_on_b.event(jixiao_tests::NOTIFIED_WITHIN).await.expect("the department hears the new draft");
    assert_eq!(created["projectEvents"]["action"], "CREATE", "{created}");
    assert_eq!(created["projectEvents"]["project"]["status"], "DRAFT");

    // Submitted through A: the approver on B has it within a second, with the project's fields.
    let submitted_at = Instant::now();
    let r = submitter
        .data("mutation($id: ID!) { submitProject(id: $id) { project { status } } }", json!({ "id": id }))
        .await;
    assert_eq!(r["submitProject"]["project"]["status"], "SUBMITTED");
    let event = approver_on_b.event(jixiao_tests::NOTIFIED_WITHIN).await.expect("the approver on B hears the submit");
    let took = submitted_at.elapsed();
    assert!(took < jixiao_tests::NOTIFIED_WITHIN, "took {took:?}");
    assert_eq!(
        event["projectEvents"],
        json!({ "action": "SUBMIT", "fromStatus": "DRAFT", "toStatus": "SUBMITTED", "projectId": id,
                "project": { "name": "订阅项目", "status": "SUBMITTED", "department": { "code": "SJQ-XFB" } } })
    );
    let own = own_on_b.event(jixiao_tests::NOTIFIED_WITHIN).await.expect("the department hears its submit");
    assert_eq!(own["projectEvents"]["action"], "SUBMIT");
    assert_eq!(
        second_approver.event(jixiao_tests::NOTIFIED_WITHIN).await.unwrap()["projectEvents"]["action"],
        "SUBMIT"
    );

    // The other department heard nothing of any of it: the first event it hears is its own
    // project's creation, which comes after all of the above (not a silence of a guessed length).
    let other_unit = admin
        .data(
            "mutation($d: ID!) { createBudgetUnit(input: { departmentId: $d, code: \"OTHER-U\", name: \"另一个单位\" }) { budgetUnit { id } } }",
            json!({ "d": other_dept }),
        )
        .await["createBudgetUnit"]["budgetUnit"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let other = Client::new(&world.server.base_url).login("other", jixiao_tests::PASSWORD).await;
    let theirs = other
        .data(CREATE_PROJECT, json!({ "input": complete_declaration(&other_unit, "另一个部门的项目") }))
        .await["createProject"]["project"]["id"]
        .clone();
    let first = other_on_b.event(Duration::from_secs(5)).await.expect("the other department hears its own project");
    assert_eq!(
        (&first["projectEvents"]["action"], &first["projectEvents"]["projectId"]),
        (&json!("CREATE"), &theirs),
        "nothing of another department's project came first"
    );
    // Nor did the approver hear the draft's creation (the next thing it gets is the close
    // below), nor the approver who works on the other department (assignedToMe) the submit (the
    // next thing it hears is the approval, once assigned this department too). Every event
    // delivered so far was counted once: the department's two, the two approvers' submit, the
    // other department's own creation.
    assert_eq!(metric(&b.base_url, "jixiao_subscription_events_sent_total").await, 5);

    // Disabling the approver through A closes their connection on B.
    let me = Client::new(&world.server.base_url).with_token(&approver_token);
    let approver_id = me.data("{ me { id } }", json!({})).await["me"]["id"].clone();
    let disabled_at = Instant::now();
    let r = admin
        .data("mutation($id: ID!) { disableUser(id: $id) { userErrors { code } } }", json!({ "id": approver_id }))
        .await;
    assert_eq!(r["disableUser"]["userErrors"], json!([]));
    let closed = approver_on_b.next(Duration::from_secs(3)).await.expect("closed");
    let closed = closed.expect_err("the connection is closed, not sent more");
    assert_eq!(closed.code, 4403, "{closed:?}");
    assert!(closed.reason.contains("登录凭证已失效"), "{closed:?}");
    assert!(disabled_at.elapsed() < jixiao_tests::NOTIFIED_WITHIN, "closed after {:?}", disabled_at.elapsed());

    // Assigned this department too while listening (through A): its events reach the approver's
    // open assignedToMe subscription on B from then on, without subscribing again.
    let own_dept = admin.data("{ department(code: \"SJQ-XFB\") { id } }", json!({})).await["department"]["id"].clone();
    let r = admin
        .data(
            "mutation($u: ID!, $d: ID!) { assignApprover(input: { userId: $u, departmentId: $d }) { userErrors { code } } }",
            json!({ "u": approver3_id, "d": own_dept }),
        )
        .await;
    assert_eq!(r["assignApprover"]["userErrors"], json!([]));

    // The others go on: an approval through A reaches the second approver.
    approver2.data("mutation($id: ID!) { approveProject(id: $id) { userErrors { code } } }", json!({ "id": id })).await;
    let approved = second_approver.event(jixiao_tests::NOTIFIED_WITHIN).await.unwrap();
    assert_eq!(approved["projectEvents"]["toStatus"], "APPROVED");
    let now_mine = assigned_elsewhere.event(jixiao_tests::NOTIFIED_WITHIN).await.expect("assignedToMe: assigned since");
    assert_eq!(now_mine["projectEvents"], json!({ "action": "APPROVE", "projectId": id }));
    // The closed one is no longer counted.
    until_subscriptions(&b.base_url, 4).await;

    // A new role closes the connection too: what it may see was the old role's.
    let second_id = approver2.data("{ me { id } }", json!({})).await["me"]["id"].clone();
    let dept = admin.data("{ department(code: \"SJQ-XFB\") { id } }", json!({})).await["department"]["id"].clone();
    let r = admin
        .data(
            "mutation($id: ID!, $d: ID!) { updateUser(input: { id: $id, role: SUBMITTER, departmentId: $d }) { userErrors { code } } }",
            json!({ "id": second_id, "d": dept }),
        )
        .await;
    assert_eq!(r["updateUser"]["userErrors"], json!([]));
    let closed =
        second_approver.next(Duration::from_secs(3)).await.expect("closed").expect_err("closed, not sent more");
    assert_eq!(closed.code, 4403, "{closed:?}");
}

/// A token we sign as the server does, for user `global_id`, expiring at `exp` (seconds).
fn token_expiring(global_id: &str, exp: i64) -> String {
    use base64::Engine;
    let raw = String::from_utf8(base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(global_id).unwrap()).unwrap();
    let sub = raw.split(':').nth(1).unwrap();
    let claims = json!({ "sub": sub, "iss": "jixiao", "iat": chrono::Utc::now().timestamp() - 60, "exp": exp });
    let key = jsonwebtoken::EncodingKey::from_secret(jixiao_tests::server::TEST_JWT_SECRET.as_bytes());
    jsonwebtoken::encode(&jsonwebtoken::Header::default(), &claims, &key).unwrap()
}

#[tokio::test]
async fn a_connection_is_closed_when_its_token_expires() {
    let world = World::with_fixture().await;
    let approver = world.login("approver").await;
    let id = approver.data("{ me { id } }", json!({})).await["me"]["id"].as_str().unwrap().to_string();
    // The server allows 30 s of clock leeway: this token is good for about five seconds more (room
    // for a busy machine to open the connection before it expires).
    let exp = chrono::Utc::now().timestamp() - 25;
    let mut s = Subscriber::subscribe(&world.server.base_url, &token_expiring(&id, exp), "1", EVENTS).await;
    let opened = Instant::now();
    let closed = s.next(Duration::from_secs(15)).await.expect("closed").expect_err("closed, not sent anything");
    assert_eq!(closed.code, 4403, "{closed:?}");
    assert!(opened.elapsed() < Duration::from_secs(10), "closed {:?} after it opened", opened.elapsed());
}

#[tokio::test]
async fn a_connection_without_a_valid_token_is_refused_in_the_callers_language() {
    let world = World::with_fixture().await;
    until_listening(&world.server.base_url).await;
    for payload in [json!({}), json!({ "token": "not-a-token" }), json!({ "Authorization": "Bearer x.y.z" })] {
        let (_, first) = Subscriber::connect(&world.server.base_url, payload.clone()).await;
        let closed = first.expect_err("refused");
        assert_ne!(closed.code, 1000, "{payload}: {closed:?}");
        assert!(
            closed.reason.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "Chinese by default: {closed:?}"
        );
        let (_, first) = Subscriber::connect_in(&world.server.base_url, payload.clone(), Some("en")).await;
        let closed = first.expect_err("refused");
        assert_ne!(closed.code, 1000, "{payload}: {closed:?}");
        let chinese = closed.reason.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        assert!(closed.reason.len() > 10 && !chinese, "English on Accept-Language: en: {closed:?}");
    }
    // A subscription passes the request guard as a request does: one nested deep enough to
    // overflow a parser's stack is refused (as an error for its id), and the connection serves on.
    let admin = world.login("admin").await;
    let (mut s, ack) = Subscriber::connect(&world.server.base_url, json!({ "token": admin.token() })).await;
    assert_eq!(ack.unwrap()["type"], "connection_ack");
    let deep = format!(
        "subscription {{ projectEvents {{ {}projectId{} }} }}",
        "project { ".repeat(20_000),
        " }".repeat(20_000)
    );
    s.send(json!({ "id": "deep", "type": "subscribe", "payload": { "query": deep } })).await;
    let refused = s.next(Duration::from_secs(5)).await.expect("answered").expect("not closed");
    assert_eq!((refused["type"].as_str(), refused["id"].as_str()), (Some("error"), Some("deep")), "{refused}");
    assert_eq!(refused["payload"][0]["extensions"]["code"], "QUERY_TOO_DEEP", "{refused}");
    s.send(json!({ "id": "ok", "type": "subscribe", "payload": { "query": EVENTS } })).await;
    let submitter = world.login("submitter").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    submitter.data(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, "深度之后") })).await;
    assert_eq!(s.event(Duration::from_secs(5)).await.expect("still served")["projectEvents"]["action"], "CREATE");

    // A socket that never says connection_init is closed (4408) after ten seconds.
    let url = format!("{}/graphql", world.server.base_url.replacen("http", "ws", 1));
    let mut request = tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(url).unwrap();
    request.headers_mut().insert("sec-websocket-protocol", "graphql-transport-ws".parse().unwrap());
    let (mut silent, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let opened = Instant::now();
    let closed = loop {
        match tokio::time::timeout(Duration::from_secs(15), futures_util::StreamExt::next(&mut silent)).await {
            Ok(Some(Ok(tokio_tungstenite::tungstenite::Message::Close(frame)))) => {
                break frame.map(|f| u16::from(f.code));
            }
            Ok(Some(Ok(_))) => continue,
            other => panic!("expected a close, got {other:?}"),
        }
    };
    assert_eq!(closed, Some(4408));
    assert!(opened.elapsed() < Duration::from_secs(13), "closed after {:?}", opened.elapsed());

    // A browser's GET (no upgrade) is still GraphiQL's page.
    let (status, page) = Client::new(&world.server.base_url).open_page("/graphql").await;
    assert_eq!(status, 200);
    assert!(page.contains("<html") || page.contains("<!DOCTYPE"), "{page}");
}

#[tokio::test]
async fn a_subscriber_that_falls_behind_is_told_and_dropped_and_may_subscribe_again() {
    // A small buffer and a burst (a generated year: thousands of projects at once) that no
    // subscriber can keep up with.
    let world = World::with_fixture_and(&[("JIXIAO_EVENT_BUFFER", "16")]).await;
    until_listening(&world.server.base_url).await;
    let admin = world.login("admin").await;
    let mut behind = Subscriber::subscribe(&world.server.base_url, admin.token(), "1", EVENTS).await;
    let out = jixiao_tests::jixiao(
        &world.db.url,
        &["generate", "--departments", "2", "--projects-per-department", "300"],
        None,
    )
    .await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let told = loop {
        match behind.next(Duration::from_secs(10)).await.expect("told before the subscription ends") {
            Ok(m) if m["type"] == "next" && m["payload"].get("errors").is_none() => continue,
            other => break other.expect("told, not closed"),
        }
    };
    let error = &told["payload"]["errors"][0];
    assert_eq!(error["extensions"]["code"], "SLOW_SUBSCRIBER", "{told}");
    assert!(error["message"].as_str().unwrap().contains("请重新查询后再订阅"), "{told}");
    // The subscription is over; the connection is not: the client queries again and resubscribes.
    let mut ended = false;
    while let Some(Ok(m)) = behind.next(Duration::from_secs(5)).await {
        if m["type"] == "complete" && m["id"] == "1" {
            ended = true;
            break;
        }
    }
    assert!(ended, "the subscription ends after it is told");
    let open = subscriptions_open(&world.server.base_url).await;
    behind.send(json!({ "id": "2", "type": "subscribe", "payload": { "query": EVENTS } })).await;
    until_subscriptions(&world.server.base_url, open + 1).await;
    let submitter = world.login("submitter").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    submitter.data(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, "重新订阅后") })).await;
    let heard = loop {
        let data = behind.event(Duration::from_secs(5)).await.expect("the new subscription hears");
        if data["projectEvents"]["action"] == "CREATE" {
            break data;
        }
    };
    assert_eq!(heard["projectEvents"]["project"]["name"], "重新订阅后");
}

/// The embedded demo (SQLite, no notifications) tells its subscribers what PostgreSQL's triggers
/// would: a draft's creation, its edit and its deletion as well as its steps, within a second.
#[tokio::test]
async fn the_embedded_demo_announces_creations_edits_and_deletions_too() {
    let dir = std::env::temp_dir().join(format!("jixiao-embedded-events-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let server = Server::start_embedded(&dir).await;
    let submitter = Client::new(&server.base_url).login("demo-submitter", "jixiao-demo").await;
    let mut own = Subscriber::subscribed(&server.base_url, submitter.token(), "1", EVENTS).await;

    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let r = submitter.data(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, "演示订阅项目") })).await;
    let project = &r["createProject"]["project"];
    let (id, version) = (project["id"].as_str().unwrap().to_string(), project["version"].clone());
    let heard = |event: Option<serde_json::Value>, what: &str| {
        let event = event.unwrap_or_else(|| panic!("the {what} was not heard"));
        event["projectEvents"].clone()
    };
    let created = heard(own.event(jixiao_tests::NOTIFIED_WITHIN).await, "creation");
    assert_eq!((created["action"].as_str(), created["projectId"].as_str()), (Some("CREATE"), Some(id.as_str())));

    let update = "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { userErrors { code } } }";
    let input = json!({ "id": id, "expectedVersion": version, "name": "演示订阅项目（改）" });
    assert_eq!(submitter.data(update, json!({ "input": input })).await["updateProject"]["userErrors"], json!([]));
    let edited = heard(own.event(jixiao_tests::NOTIFIED_WITHIN).await, "edit");
    assert_eq!(edited["action"], "EDIT", "{edited}");
    assert_eq!(edited["project"]["name"], "演示订阅项目（改）");

    let delete = "mutation($id: ID!) { deleteProject(id: $id) { userErrors { code } } }";
    assert_eq!(submitter.data(delete, json!({ "id": id })).await["deleteProject"]["userErrors"], json!([]));
    let deleted = heard(own.event(jixiao_tests::NOTIFIED_WITHIN).await, "deletion");
    assert_eq!(deleted["action"], "DELETE", "{deleted}");
    // Each change is told once: the next event is the next change's, not a repeat.
    let r = submitter.data(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, "下一个") })).await;
    let next = heard(own.event(jixiao_tests::NOTIFIED_WITHIN).await, "next creation");
    assert_eq!((next["action"].as_str(), &next["projectId"]), (Some("CREATE"), &r["createProject"]["project"]["id"]));

    // A step of a department's overall goals, followed in the step table as the trigger would tell.
    let goals_events = "subscription { departmentGoalsEvents { ... on DepartmentGoalsStepEvent { departmentGoals { status } step { action } } } }";
    let mut goals = Subscriber::subscribed(&server.base_url, submitter.token(), "2", goals_events).await;
    let department =
        submitter.data("{ department(code: \"SJQ-XFB\") { id } }", json!({})).await["department"]["id"].clone();
    let save = "mutation($i: SaveDepartmentGoalsInput!) { saveDepartmentGoals(input: $i) { departmentGoals { id version } userErrors { message } } }";
    let indicator = |l1: &str, l2: &str, name: &str| json!({ "indicator": { "level1": l1, "level2": l2, "name": name, "target": "≥90%", "measures": [0] } });
    let form = json!({
        "departmentId": department, "fiscalYear": 2024, "functions": "信访工作", "overallGoal": "化解矛盾",
        "tasks": [{ "name": "机关运转", "basicExpenditure": "100.00" }],
        "personnelExpenditure": "60.00", "publicExpenditure": "40.00", "incomeFiscal": "100.00", "incomeOther": "0.00",
        "indicators": [
            indicator("OUTPUT", "QUANTITY", "办结率"),
            indicator("BENEFIT", "SOCIAL_BENEFIT", "知晓率"),
            indicator("SATISFACTION", "SERVICE_SATISFACTION", "满意度"),
        ],
    });
    let saved = submitter.data(save, json!({ "i": form })).await["saveDepartmentGoals"]["departmentGoals"].clone();
    let step = "mutation($i: DepartmentGoalsStepInput!) { stepDepartmentGoals(input: $i) { userErrors { message } } }";
    let input = json!({ "id": saved["id"], "action": "SUBMIT", "expectedVersion": saved["version"] });
    assert_eq!(submitter.data(step, json!({ "i": input })).await["stepDepartmentGoals"]["userErrors"], json!([]));
    let heard = goals.event(jixiao_tests::NOTIFIED_WITHIN).await.expect("the goals' step was not heard");
    let event = &heard["departmentGoalsEvents"];
    assert_eq!(
        (&event["step"]["action"], &event["departmentGoals"]["status"]),
        (&json!("SUBMIT"), &json!("SUBMITTED"))
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A subscription keeps one connection (and one request context) for all its events; each event
/// is read as the database has it then. Here the project's findings compare it with its
/// department's other projects of the year: a sibling created after the first event is one of
/// them at the next, and its copied indicators are named.
#[tokio::test]
async fn each_event_reads_the_siblings_as_they_are_then_not_as_at_the_first_event() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let findings = "subscription { projectEvents { action project { name findings { code message } } } }";
    let mut own = Subscriber::subscribed(&world.server.base_url, submitter.token(), "1", findings).await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let row = |level1: &str, level2: &str, name: &str| json!({ "level1": level1, "level2": level2, "name": name, "target": ">=90%" });
    // As many shared indicators as make a copy (COPIED_SET).
    let indicators = json!([
        row("OUTPUT", "QUANTITY", "订阅对照走访覆盖率"),
        row("OUTPUT", "QUALITY", "订阅对照资料准确率"),
        row("OUTPUT", "TIMELINESS", "订阅对照按月发放率"),
        row("BENEFIT", "SOCIAL_BENEFIT", "订阅对照政策知晓率"),
        row("SATISFACTION", "SERVICE_SATISFACTION", "订阅对照对象满意度"),
    ]);
    let copied_from = |event: &serde_json::Value, sibling: &str| {
        event["projectEvents"]["project"]["findings"]
            .as_array()
            .unwrap_or_else(|| panic!("findings in {event}"))
            .iter()
            .any(|f| f["code"] == "COPIED_INDICATORS" && f["message"].as_str().unwrap().contains(sibling))
    };
    let mut event =
        async |what: &str| own.event(jixiao_tests::NOTIFIED_WITHIN).await.unwrap_or_else(|| panic!("the {what}"));

    let mut first = complete_declaration(&unit, "订阅对照甲");
    first["indicators"] = indicators.clone();
    let created = submitter.data(CREATE_PROJECT, json!({ "input": first })).await;
    let (id, version) =
        (created["createProject"]["project"]["id"].clone(), created["createProject"]["project"]["version"].clone());
    let heard = event("creation of the first").await;
    assert!(!copied_from(&heard, "订阅对照乙"), "no sibling yet: {heard}");

    let mut second = complete_declaration(&unit, "订阅对照乙");
    second["indicators"] = indicators;
    submitter.data(CREATE_PROJECT, json!({ "input": second })).await;
    let heard = event("creation of the second").await;
    assert!(copied_from(&heard, "订阅对照甲"), "{heard}");

    let update = "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { userErrors { code } } }";
    let input = json!({ "id": id, "expectedVersion": version, "name": "订阅对照甲（改）" });
    assert_eq!(submitter.data(update, json!({ "input": input })).await["updateProject"]["userErrors"], json!([]));
    let heard = event("edit of the first").await;
    assert_eq!(heard["projectEvents"]["action"], "EDIT", "{heard}");
    assert!(copied_from(&heard, "订阅对照乙"), "the sibling created after the first event is compared: {heard}");
}

/// Subscribers of one visibility class with the same selection share one feed: each event is
/// resolved once and every one of them gets it under its own id; another class, another
/// selection or `assignedToMe` (each approver's own departments) is another feed or none. The
/// feed ends when its last subscriber leaves.
#[tokio::test]
async fn subscribers_of_one_class_share_one_feed_each_under_its_own_id() {
    let world = World::with_fixture().await;
    let base = world.server.base_url.clone();
    until_listening(&base).await;
    add_user(&world.db.url, "approver2", "APPROVER", None).await;
    let submitter = world.login("submitter").await;
    let approvers = [world.login("approver").await, world.login("approver2").await];
    let mut shared = Vec::new();
    for (i, approver) in approvers.iter().enumerate() {
        for id in ["a", "b"] {
            let id = format!("{id}{i}");
            shared.push((id.clone(), Subscriber::subscribed(&base, approver.token(), &id, EVENTS).await));
        }
    }
    assert_eq!(metric(&base, "jixiao_subscription_feeds").await, 1, "four approvers' subscriptions, one feed");
    let mut department = Subscriber::subscribed(&base, submitter.token(), "s", EVENTS).await;
    let mine = "subscription { projectEvents(filter: { assignedToMe: true }) { action projectId } }";
    let mut own = Subscriber::subscribed(&base, approvers[0].token(), "mine", mine).await;
    assert_eq!(metric(&base, "jixiao_subscription_feeds").await, 2, "the department's submitters have their own");

    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let r = submitter.data(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, "共享订阅") })).await;
    let id = r["createProject"]["project"]["id"].as_str().unwrap().to_string();
    let created = department.event(jixiao_tests::NOTIFIED_WITHIN).await.expect("the department hears its draft");
    assert_eq!(created["projectEvents"]["project"]["name"], "共享订阅");
    submitter.data("mutation($id: ID!) { submitProject(id: $id) { project { status } } }", json!({ "id": id })).await;
    for (sid, subscriber) in &mut shared {
        let m = subscriber.next(jixiao_tests::NOTIFIED_WITHIN).await.expect("an event").expect("open");
        assert_eq!((m["type"].as_str(), m["id"].as_str()), (Some("next"), Some(sid.as_str())), "{m}");
        let event = &m["payload"]["data"]["projectEvents"];
        assert_eq!(event["projectId"], id, "approvers hear the submit, not the draft's creation: {m}");
        assert_eq!(event["project"]["department"]["code"], "SJQ-XFB");
    }
    let heard = own.event(jixiao_tests::NOTIFIED_WITHIN).await.expect("no assignment: every department");
    assert_eq!(heard["projectEvents"]["projectId"], id);

    // One leaves with `complete`, the others stay on the feed; once all are gone, so is it.
    let (sid, first) = &mut shared[0];
    first.send(json!({ "id": sid, "type": "complete" })).await;
    let m = first.next(Duration::from_secs(5)).await.expect("answered").expect("open");
    assert_eq!((m["type"].as_str(), m["id"].as_str()), (Some("complete"), Some(sid.as_str())), "{m}");
    assert_eq!(metric(&base, "jixiao_subscription_feeds").await, 2);
    // Nothing follows a subscription's `complete`, while its feed goes on for the others.
    let r = submitter.data(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, "完成之后") })).await;
    let later = r["createProject"]["project"]["id"].as_str().unwrap().to_string();
    submitter
        .data("mutation($id: ID!) { submitProject(id: $id) { project { status } } }", json!({ "id": later }))
        .await;
    let m = shared[1].1.next(jixiao_tests::NOTIFIED_WITHIN).await.expect("an event").expect("open");
    assert_eq!(m["payload"]["data"]["projectEvents"]["projectId"], later, "{m}");
    assert!(shared[0].1.next(Duration::from_millis(500)).await.is_none(), "a completed subscription is silent");
    drop(shared);
    drop(department);
    let deadline = Instant::now() + Duration::from_secs(5);
    while metric(&base, "jixiao_subscription_feeds").await > 0 {
        assert!(Instant::now() < deadline, "feeds outlived their subscribers");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
