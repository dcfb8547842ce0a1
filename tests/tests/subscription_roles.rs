//! Who hears what: `projectEvents` and `monitoringEvents` subscribed by every role (department
//! reviewers of the own and of another department, the security auditor and no token included),
//! with every filter, and an approver's departments assigned and taken away while subscribed.
//!
//! One scenario runs (projects of two departments declared, reviewed and approved, two
//! monitoring rounds reported on), and every subscriber must receive exactly the events it may
//! see, in order, and nothing else. Silence is never a wait of a guessed length: each subscriber
//! reads as many events as it should hear, and each kind of event it must not hear happens
//! before the last one it must (so a leak would come first and fail the comparison).

use std::collections::HashMap;
use std::time::Duration;

use jixiao_tests::client::Client;
use jixiao_tests::ws::{Subscriber, subscriptions_open, until_subscriptions};
use jixiao_tests::{CREATE_PROJECT, World, add_user, complete_declaration, unit_of};
use serde_json::{Value, json};

/// Up to how long one event may take to arrive on a busy machine (the speed is benchmarked).
const WITHIN: Duration = jixiao_tests::NOTIFIED_WITHIN;

const PROJECT_EVENTS: &str = "projectEvents(filter: $f) { action projectId project { id name } }";
const MONITORING_EVENTS: &str = "monitoringEvents(filter: $f) { action report { id project { name } } }";

struct People {
    admin: Client,
    approver: Client,
    submitter: Client,
    other_submitter: Client,
    own_unit: String,
    other_unit: String,
    own_dept: String,
    other_dept: String,
}

async fn people(world: &World) -> People {
    let admin = world.login("admin").await;
    let (other_dept, other_unit) = jixiao_tests::other_department(&admin).await;
    for (name, role, dept) in [
        ("other", "SUBMITTER", Some("OTHER")),
        ("reviewer", "DEPARTMENT_REVIEWER", Some("SJQ-XFB")),
        ("other-reviewer", "DEPARTMENT_REVIEWER", Some("OTHER")),
        ("auditor", "SECURITY_AUDITOR", None),
        ("assigned", "APPROVER", None),
    ] {
        add_user(&world.db.url, name, role, dept).await;
    }
    let submitter = world.login("submitter").await;
    let own_dept = submitter.data("{ department(code: \"SJQ-XFB\") { id } }", json!({})).await["department"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    People {
        approver: world.login("approver").await,
        other_submitter: world.login("other").await,
        own_unit: unit_of(&submitter, "SJQ-XFB").await,
        other_unit,
        submitter,
        admin,
        own_dept,
        other_dept,
    }
}

/// A new draft of 2024 named `name`, declared by `owner` for `unit`.
async fn declare(owner: &Client, unit: &str, name: &str) -> String {
    let mut input = complete_declaration(unit, name);
    input["fiscalYear"] = json!(2024);
    input["plannedStart"] = json!("2024-03-01");
    input["plannedEnd"] = json!("2024-12-31");
    let r = owner.data(CREATE_PROJECT, json!({ "input": input })).await;
    r["createProject"]["project"]["id"].as_str().unwrap_or_else(|| panic!("{r}")).to_string()
}

/// Runs a one-id step (`submitProject`, `acceptMonitoringReport` …) and checks it was done.
async fn step(client: &Client, op: &str, id: &str) {
    let extra = if op.starts_with("return") || op.starts_with("reject") { ", reason: \"请补充\"" } else { "" };
    let r = client
        .data(
            &format!("mutation($id: ID!) {{ {op}(id: $id{extra}) {{ userErrors {{ message }} }} }}"),
            json!({ "id": id }),
        )
        .await;
    assert_eq!(r[op]["userErrors"], json!([]), "{op}: {r}");
}

async fn assignment(admin: &Client, op: &str, user: &str, dept: &str) {
    let r = admin
        .data(
            &format!("mutation($u: ID!, $d: ID!) {{ {op}(input: {{ userId: $u, departmentId: $d }}) {{ userErrors {{ code }} }} }}"),
            json!({ "u": user, "d": dept }),
        )
        .await;
    assert_eq!(r[op]["userErrors"], json!([]), "{op}: {r}");
}

/// The monitoring report of `project` in the round `round`, filled in whole by `owner`.
async fn filled_report(admin: &Client, owner: &Client, project: &str, round: &str) -> String {
    let r = admin
        .data(
            "query($id: ID!) { project(id: $id) { monitoringReports { id version round { id } indicators { indicator { id } } } } }",
            json!({ "id": project }),
        )
        .await;
    let report = r["project"]["monitoringReports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["round"]["id"] == round)
        .unwrap_or_else(|| panic!("no report of the round: {r}"))
        .clone();
    jixiao_tests::fill_report_whole(owner, &report).await;
    report["id"].as_str().unwrap().to_string()
}

async fn open_round(admin: &Client, name: &str) -> String {
    let r = admin
        .data(
            "mutation($n: String!) { openMonitoringRound(input: { fiscalYear: 2024, name: $n, asOf: \"2024-06-30\", dueDate: \"2024-07-15\" }) { round { id } userErrors { message } } }",
            json!({ "n": name }),
        )
        .await;
    r["openMonitoringRound"]["round"]["id"].as_str().unwrap_or_else(|| panic!("{r}")).to_string()
}

/// One subscriber of the table: who, what it subscribed, and the events it must hear.
struct Listener {
    name: &'static str,
    socket: Subscriber,
    field: &'static str,
    expected: Vec<&'static str>,
    /// What it has heard so far (read along the way where the scenario must wait for it).
    heard: Vec<String>,
}

/// Subscribes `field` with `filter` as `token` and waits until the server counts it.
async fn listen(base: &str, token: &str, field: &'static str, filter: Value) -> Subscriber {
    let (kind, selection) = match field {
        "projectEvents" => ("ProjectEventFilter", PROJECT_EVENTS),
        _ => ("MonitoringEventFilter", MONITORING_EVENTS),
    };
    let open = subscriptions_open(base).await;
    let (mut s, ack) = Subscriber::connect(base, json!({ "token": token })).await;
    assert_eq!(ack.expect("accepted")["type"], "connection_ack");
    let query = format!("subscription($f: {kind}) {{ {selection} }}");
    s.send(json!({ "id": "1", "type": "subscribe", "payload": { "query": query, "variables": { "f": filter } } }))
        .await;
    until_subscriptions(base, open + 1).await;
    s
}

/// What an event says, in the scenario's words: `P1 SUBMIT`, `R2b RETURN`.
fn said(event: &Value, field: &str, names: &HashMap<String, &'static str>) -> String {
    let e = &event[field];
    let id = if field == "projectEvents" {
        // The project the event carries is the one it names, read as the subscriber may.
        assert_eq!(e["project"]["id"], e["projectId"], "{event}");
        e["projectId"].as_str().unwrap()
    } else {
        assert!(e["report"]["project"]["name"].is_string(), "the report's project is shown: {event}");
        e["report"]["id"].as_str().unwrap()
    };
    format!("{} {}", names.get(id).copied().unwrap_or("unknown"), e["action"].as_str().unwrap())
}

#[tokio::test]
async fn every_role_hears_exactly_what_it_may_see_with_every_filter() {
    let world = World::with_fixture().await;
    let base = world.server.base_url.clone();
    let p = people(&world).await;
    let reviewer = world.login("reviewer").await;
    let other_reviewer = world.login("other-reviewer").await;
    let assigned = world.login("assigned").await;
    let assigned_id = assigned.data("{ me { id } }", json!({})).await["me"]["id"].as_str().unwrap().to_string();
    // The approver works on the own department when the screen opens (对口科室).
    assignment(&p.admin, "assignApprover", &assigned_id, &p.own_dept).await;

    // (name, token, field, filter)
    let table: Vec<(&'static str, &str, &'static str, Value)> = vec![
        ("submitter", p.submitter.token(), "projectEvents", json!(null)),
        ("other submitter", p.other_submitter.token(), "projectEvents", json!(null)),
        ("approver", p.approver.token(), "projectEvents", json!(null)),
        ("admin", p.admin.token(), "projectEvents", json!(null)),
        ("reviewer", reviewer.token(), "projectEvents", json!(null)),
        ("other reviewer", other_reviewer.token(), "projectEvents", json!(null)),
        ("assigned approver, assignedToMe", assigned.token(), "projectEvents", json!({ "assignedToMe": true })),
        ("admin, departmentId", p.admin.token(), "projectEvents", json!({ "departmentId": p.other_dept })),
        ("approver, statuses", p.approver.token(), "projectEvents", json!({ "statuses": ["DEPARTMENT_REVIEW"] })),
        ("submitter", p.submitter.token(), "monitoringEvents", json!(null)),
        ("other submitter", p.other_submitter.token(), "monitoringEvents", json!(null)),
        ("approver", p.approver.token(), "monitoringEvents", json!(null)),
        ("admin", p.admin.token(), "monitoringEvents", json!(null)),
        ("reviewer", reviewer.token(), "monitoringEvents", json!(null)),
        ("other reviewer", other_reviewer.token(), "monitoringEvents", json!(null)),
        ("admin, statuses", p.admin.token(), "monitoringEvents", json!({ "statuses": ["RETURNED"] })),
        // roundId is set below, once the second round exists; filled in by name.
    ];
    // What each must hear, in order (P: projects, R: reports of round A, Rb: of round B).
    let every_report_step = vec![
        "R1 SUBMIT",
        "R1 ACCEPT",
        "R2 SUBMIT",
        "R2 RETURN",
        "R1b SUBMIT",
        "R1b RETURN",
        "R2b SUBMIT",
        "R2b RETURN",
    ];
    let expected: HashMap<(&str, &str), Vec<&'static str>> = [
        (
            ("submitter", "projectEvents"),
            vec!["P1 CREATE", "P1 SUBMIT", "P1 FORWARD", "P1 APPROVE", "P9 CREATE", "P9 SUBMIT"],
        ),
        (
            ("other submitter", "projectEvents"),
            vec!["P2 CREATE", "P2 SUBMIT", "P2 FORWARD", "P2 APPROVE", "P10 CREATE", "P10 SUBMIT"],
        ),
        (
            ("approver", "projectEvents"),
            vec![
                "P1 SUBMIT",
                "P1 FORWARD",
                "P2 SUBMIT",
                "P2 FORWARD",
                "P1 APPROVE",
                "P2 APPROVE",
                "P9 SUBMIT",
                "P10 SUBMIT",
            ],
        ),
        (
            ("admin", "projectEvents"),
            vec![
                "P1 CREATE",
                "P1 SUBMIT",
                "P1 FORWARD",
                "P2 CREATE",
                "P2 SUBMIT",
                "P2 FORWARD",
                "P1 APPROVE",
                "P2 APPROVE",
                "P9 CREATE",
                "P9 SUBMIT",
                "P10 CREATE",
                "P10 SUBMIT",
            ],
        ),
        (("reviewer", "projectEvents"), vec!["P1 SUBMIT", "P1 FORWARD", "P1 APPROVE", "P9 SUBMIT"]),
        (("other reviewer", "projectEvents"), vec!["P2 SUBMIT", "P2 FORWARD", "P2 APPROVE", "P10 SUBMIT"]),
        // Own department until it is taken away (after P1 FORWARD), the other one from then on.
        (
            ("assigned approver, assignedToMe", "projectEvents"),
            vec!["P1 SUBMIT", "P1 FORWARD", "P2 SUBMIT", "P2 FORWARD", "P2 APPROVE", "P10 SUBMIT"],
        ),
        (
            ("admin, departmentId", "projectEvents"),
            vec!["P2 CREATE", "P2 SUBMIT", "P2 FORWARD", "P2 APPROVE", "P10 CREATE", "P10 SUBMIT"],
        ),
        (("approver, statuses", "projectEvents"), vec!["P1 SUBMIT", "P2 SUBMIT", "P9 SUBMIT", "P10 SUBMIT"]),
        // Filling a report (before each SUBMIT) is no event; R2 RETURN's edit neither.
        (("submitter", "monitoringEvents"), vec!["R1 SUBMIT", "R1 ACCEPT", "R1b SUBMIT", "R1b RETURN"]),
        (("other submitter", "monitoringEvents"), vec!["R2 SUBMIT", "R2 RETURN", "R2b SUBMIT", "R2b RETURN"]),
        (("approver", "monitoringEvents"), every_report_step.clone()),
        (("admin", "monitoringEvents"), every_report_step),
        (("reviewer", "monitoringEvents"), vec!["R1 SUBMIT", "R1 ACCEPT", "R1b SUBMIT", "R1b RETURN"]),
        (("other reviewer", "monitoringEvents"), vec!["R2 SUBMIT", "R2 RETURN", "R2b SUBMIT", "R2b RETURN"]),
        (("admin, statuses", "monitoringEvents"), vec!["R2 RETURN", "R1b RETURN", "R2b RETURN"]),
        (("approver, roundId", "monitoringEvents"), vec!["R1b SUBMIT", "R1b RETURN", "R2b SUBMIT", "R2b RETURN"]),
    ]
    .into_iter()
    .collect();
    let mut listeners = Vec::new();
    for (name, token, field, filter) in table {
        let socket = listen(&base, token, field, filter).await;
        listeners.push(Listener { name, socket, field, expected: expected[&(name, field)].clone(), heard: vec![] });
    }

    // The security auditor may not subscribe, in either language; without a token nobody may.
    for language in [None, Some("en")] {
        for field in ["projectEvents", "monitoringEvents", "todoEvents"] {
            let (mut s, ack) =
                Subscriber::connect_in(&base, json!({ "token": world.login("auditor").await.token() }), language).await;
            assert_eq!(ack.expect("a signed-in auditor connects")["type"], "connection_ack");
            s.send(json!({ "id": "1", "type": "subscribe", "payload": { "query": format!("subscription {{ {field} {{ action }} }}") } }))
                .await;
            // Refused as the field's error (a `next` carrying it, then `complete`).
            let refused = s.next(WITHIN).await.expect("answered").expect("not closed");
            assert_eq!(refused["id"], "1", "{refused}");
            let error = &refused["payload"]["errors"][0];
            assert_eq!(error["extensions"]["code"], "FORBIDDEN", "{refused}");
            assert!(refused["payload"]["data"].is_null(), "{refused}");
            let chinese = error["message"].as_str().unwrap().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            assert_eq!(chinese, language.is_none(), "{language:?}: {refused}");
        }
        let (_, refused) = Subscriber::connect_in(&base, json!({}), language).await;
        let closed = refused.expect_err("no token, no connection");
        let chinese = closed.reason.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        assert!(closed.code != 1000 && chinese == language.is_none(), "{language:?}: {closed:?}");
    }

    // The scenario. Both departments have a department reviewer, so a submit goes to DEPARTMENT_REVIEW.
    let mut names: HashMap<String, &'static str> = HashMap::new();
    let p1 = declare(&p.submitter, &p.own_unit, "项目一").await;
    names.insert(p1.clone(), "P1");
    step(&p.submitter, "submitProject", &p1).await;
    step(&reviewer, "forwardProject", &p1).await;
    // An approver's departments are read as each event reaches its subscription: the assigned
    // approver has heard P1's two steps before its departments change (a barrier, not a wait).
    let assigned_listener = listeners.iter_mut().find(|l| l.name.starts_with("assigned approver")).unwrap();
    while assigned_listener.heard.len() < 2 {
        let event = assigned_listener.socket.event(WITHIN).await.expect("the assigned approver hears P1");
        assigned_listener.heard.push(said(&event, "projectEvents", &names));
    }
    // The assigned approver now works on the other department instead (given first, so that it
    // never has none, which would mean every department).
    assignment(&p.admin, "assignApprover", &assigned_id, &p.other_dept).await;
    assignment(&p.admin, "unassignApprover", &assigned_id, &p.own_dept).await;
    let p2 = declare(&p.other_submitter, &p.other_unit, "项目二").await;
    names.insert(p2.clone(), "P2");
    step(&p.other_submitter, "submitProject", &p2).await;
    step(&other_reviewer, "forwardProject", &p2).await;
    step(&p.approver, "approveProject", &p1).await;
    step(&p.approver, "approveProject", &p2).await;

    let round_a = open_round(&p.admin, "上半年").await;
    let r1 = filled_report(&p.admin, &p.submitter, &p1, &round_a).await;
    names.insert(r1.clone(), "R1");
    step(&p.submitter, "submitMonitoringReport", &r1).await;
    step(&p.approver, "acceptMonitoringReport", &r1).await;
    let r2 = filled_report(&p.admin, &p.other_submitter, &p2, &round_a).await;
    names.insert(r2.clone(), "R2");
    step(&p.other_submitter, "submitMonitoringReport", &r2).await;
    step(&p.approver, "returnMonitoringReport", &r2).await;
    // The returned report edited again: no event.
    filled_report(&p.admin, &p.other_submitter, &p2, &round_a).await;

    let round_b = open_round(&p.admin, "前三季度").await;
    let by_round = listen(&base, p.approver.token(), "monitoringEvents", json!({ "roundId": round_b })).await;
    listeners.push(Listener {
        name: "approver, roundId",
        socket: by_round,
        field: "monitoringEvents",
        expected: expected[&("approver, roundId", "monitoringEvents")].clone(),
        heard: vec![],
    });
    let r1b = filled_report(&p.admin, &p.submitter, &p1, &round_b).await;
    names.insert(r1b.clone(), "R1b");
    step(&p.submitter, "submitMonitoringReport", &r1b).await;
    step(&p.approver, "returnMonitoringReport", &r1b).await;
    let r2b = filled_report(&p.admin, &p.other_submitter, &p2, &round_b).await;
    names.insert(r2b.clone(), "R2b");
    step(&p.other_submitter, "submitMonitoringReport", &r2b).await;
    step(&p.approver, "returnMonitoringReport", &r2b).await;

    // Last, one declaration submitted in each department: the own one first.
    let p9 = declare(&p.submitter, &p.own_unit, "项目九").await;
    names.insert(p9.clone(), "P9");
    step(&p.submitter, "submitProject", &p9).await;
    let p10 = declare(&p.other_submitter, &p.other_unit, "项目十").await;
    names.insert(p10.clone(), "P10");
    step(&p.other_submitter, "submitProject", &p10).await;

    let mut wrong = Vec::new();
    for l in &mut listeners {
        let mut heard = std::mem::take(&mut l.heard);
        while heard.len() < l.expected.len() {
            match l.socket.event(WITHIN).await {
                Some(event) => heard.push(said(&event, l.field, &names)),
                None => break,
            }
        }
        if heard != l.expected {
            wrong.push(format!("{} on {}: heard {heard:?}, expected {:?}", l.name, l.field, l.expected));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));

    // Disabling a subscriber closes its connection, with the reason in its language.
    for (username, language) in [("reviewer", None), ("other-reviewer", Some("en"))] {
        let token = world.login(username).await.token().to_string();
        let mut s =
            Subscriber::subscribe_in(&base, &token, "1", "subscription { projectEvents { action } }", language).await;
        let id = Client::new(&base).with_token(&token).data("{ me { id } }", json!({})).await["me"]["id"].clone();
        let r = p
            .admin
            .data("mutation($id: ID!) { disableUser(id: $id) { userErrors { code } } }", json!({ "id": id }))
            .await;
        assert_eq!(r["disableUser"]["userErrors"], json!([]));
        let closed = s.next(WITHIN).await.expect("closed").expect_err("closed, not sent more");
        assert_eq!(closed.code, 4403, "{closed:?}");
        let chinese = closed.reason.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        assert_eq!(chinese, language.is_none(), "{language:?}: {closed:?}");
        assert!(closed.reason.len() > 20, "a reason a person can act on: {closed:?}");
    }
}
