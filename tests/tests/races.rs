//! Racing writers, started together for real: a multi-threaded test runtime, a barrier that
//! releases every request at the same moment, several rounds. Of racing transitions exactly one
//! wins, the losers are told why, the final status is the winner's, and the history has exactly
//! one row for the race. A read-then-write in place of the compare-and-set fails these.

use std::sync::Arc;

use jixiao_tests::{CREATE_PROJECT, Client, World, complete_declaration, unit_of};
use serde_json::{Value, json};
use tokio::sync::Barrier;

const ROUNDS: usize = 4;

/// One racer: who acts, which mutation, its extra arguments.
type Racer = (Client, &'static str, &'static str);

async fn transition(client: &Client, mutation: &str, id: &Value, extra: &str) -> Value {
    let q = format!(
        "mutation($id: ID!) {{ {mutation}(id: $id{extra}) {{ project {{ status version }} userErrors {{ code message }} }} }}"
    );
    client.gql(&q, json!({ "id": id })).await
}

/// Runs every racer at once against project `id`; returns each racer's mutation and answer.
async fn race(racers: Vec<Racer>, id: &Value) -> Vec<(&'static str, Value)> {
    let barrier = Arc::new(Barrier::new(racers.len()));
    let tasks: Vec<_> = racers
        .into_iter()
        .map(|(client, mutation, extra)| {
            let (barrier, id) = (barrier.clone(), id.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                (mutation, transition(&client, mutation, &id, extra).await)
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    answers
}

/// Exactly one answer carries a project; every other one says the project moved on. Returns the
/// winner's mutation and the status it left.
fn one_winner(answers: &[(&'static str, Value)]) -> (&'static str, String) {
    let mut winners = Vec::new();
    let mut losers = Vec::new();
    for (mutation, r) in answers {
        let payload = &r["data"][mutation];
        if payload["project"].is_object() {
            assert_eq!(payload["userErrors"], json!([]), "{r}");
            winners.push((*mutation, payload["project"]["status"].as_str().unwrap().to_string()));
        } else {
            let user_error = payload["userErrors"][0]["code"].as_str();
            let top_level = r["errors"][0]["extensions"]["code"].as_str();
            losers.push((*mutation, user_error.or(top_level).unwrap_or("none").to_string(), r));
        }
    }
    assert_eq!(winners.len(), 1, "winners: {winners:?}\n{answers:#?}");
    let winner = winners.remove(0);
    for (mutation, code, r) in losers {
        // A withdrawn project is a draft again, which approvers may not see: for them it is gone.
        let hidden_by_withdrawal = winner.0 == "withdrawProject" && mutation == "approveProject" && code == "NOT_FOUND";
        assert!(
            code == "INVALID_TRANSITION" || code == "VERSION_CONFLICT" || hidden_by_withdrawal,
            "{mutation} lost to {} with {r}",
            winner.0
        );
    }
    winner
}

async fn history(client: &Client, id: &Value) -> (String, Vec<String>) {
    let d =
        client.data("query($id: ID!) { project(id: $id) { status reviews { action } } }", json!({ "id": id })).await;
    let actions = d["project"]["reviews"].as_array().unwrap().iter().map(|r| r["action"].as_str().unwrap().into());
    (d["project"]["status"].as_str().unwrap().to_string(), actions.collect())
}

async fn submitted_project(submitter: &Client, unit: &str, name: &str) -> Value {
    let created = submitter.data(CREATE_PROJECT, json!({ "input": complete_declaration(unit, name) })).await;
    let id = created["createProject"]["project"]["id"].clone();
    let r = transition(submitter, "submitProject", &id, "").await;
    assert_eq!(r["data"]["submitProject"]["project"]["status"], "SUBMITTED", "{r}");
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_approvals_rejections_and_withdrawals_leave_one_winner() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    jixiao_tests::add_user(&world.db.url, "approver2", "APPROVER", None).await;
    let approvers = [world.login("approver").await, world.login("approver2").await];
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    for round in 0..ROUNDS {
        // Eight approvals at once.
        let id = submitted_project(&submitter, &unit, &format!("批准竞争 {round}")).await;
        let racers = (0..8)
            .map(|i| (approvers[0].clone(), "approveProject", if i % 2 == 0 { "" } else { ", comment: \"同意\"" }))
            .collect();
        let (_, status) = one_winner(&race(racers, &id).await);
        assert_eq!(status, "APPROVED");
        assert_eq!(history(&submitter, &id).await, ("APPROVED".into(), vec!["SUBMIT".into(), "APPROVE".into()]));

        // Approvals against rejections.
        let id = submitted_project(&submitter, &unit, &format!("批驳竞争 {round}")).await;
        let racers = (0..6)
            .map(|i| match i % 2 {
                0 => (approvers[i % 2].clone(), "approveProject", ""),
                _ => (approvers[1].clone(), "rejectProject", ", reason: \"资金明细不全\""),
            })
            .collect();
        let (winner, status) = one_winner(&race(racers, &id).await);
        let (expected, action) =
            if winner == "approveProject" { ("APPROVED", "APPROVE") } else { ("REJECTED", "REJECT") };
        assert_eq!(status, expected);
        assert_eq!(history(&submitter, &id).await, (expected.into(), vec!["SUBMIT".into(), action.into()]));

        // The submitter withdrawing while approvers approve.
        let id = submitted_project(&submitter, &unit, &format!("撤回竞争 {round}")).await;
        let racers = (0..6)
            .map(|i| {
                if i % 2 == 0 {
                    (submitter.clone(), "withdrawProject", "")
                } else {
                    (approvers[0].clone(), "approveProject", "")
                }
            })
            .collect();
        let (winner, status) = one_winner(&race(racers, &id).await);
        let (expected, action) =
            if winner == "withdrawProject" { ("DRAFT", "WITHDRAW") } else { ("APPROVED", "APPROVE") };
        assert_eq!(status, expected);
        assert_eq!(history(&submitter, &id).await, (expected.into(), vec!["SUBMIT".into(), action.into()]));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_editors_give_one_save_and_the_rest_conflicts() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let update = "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { project { version overallGoal } userErrors { code } } }";
    let p = submitter.data("{ projects(first: 1) { nodes { id version } } }", json!({})).await["projects"]["nodes"][0]
        .clone();
    let mut version = p["version"].as_i64().unwrap();
    for round in 0..ROUNDS {
        let barrier = Arc::new(Barrier::new(6));
        let edits: Vec<_> = (0..6)
            .map(|i| {
                let (c, id, barrier) = (submitter.clone(), p["id"].clone(), barrier.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    let goal = format!("目标 {round}-{i}");
                    let input = json!({ "id": id, "expectedVersion": version, "overallGoal": goal });
                    (goal, c.data(update, json!({ "input": input })).await)
                })
            })
            .collect();
        let mut saved = Vec::new();
        for edit in edits {
            let (goal, r) = edit.await.unwrap();
            match r["updateProject"]["project"].as_object() {
                Some(project) => saved.push((goal, project["version"].as_i64().unwrap())),
                None => assert_eq!(r["updateProject"]["userErrors"][0]["code"], "VERSION_CONFLICT", "{r}"),
            }
        }
        assert_eq!(saved.len(), 1, "round {round}: {saved:?}");
        let (goal, new_version) = saved.remove(0);
        assert_eq!(new_version, version + 1);
        let now = submitter
            .data("query($id: ID!) { project(id: $id) { version overallGoal } }", json!({ "id": p["id"] }))
            .await;
        assert_eq!(
            now["project"],
            json!({ "version": version + 1, "overallGoal": goal }),
            "the winner's edit is what is stored"
        );
        version += 1;
    }
}

/// A monitoring round opened while projects are being approved: each approved project gets its
/// report in the new round, from its approval or from the round's opening, never from neither
/// (each would miss the other's uncommitted write without the year's lock both take).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_round_opened_while_projects_are_approved_has_a_report_of_each() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    let admin = world.login("admin").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    for round in 0..ROUNDS {
        let mut ids = Vec::new();
        for n in 0..6 {
            ids.push(submitted_project(&submitter, &unit, &format!("开轮竞争 {round}-{n}")).await);
        }
        let barrier = Arc::new(Barrier::new(ids.len() + 1));
        let approvals: Vec<_> = ids
            .iter()
            .map(|id| {
                let (barrier, approver, id) = (barrier.clone(), approver.clone(), id.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    transition(&approver, "approveProject", &id, "").await
                })
            })
            .collect();
        let open = {
            let (barrier, admin) = (barrier.clone(), admin.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                admin
                    .data(
                        "mutation($n: String!) { openMonitoringRound(input: { fiscalYear: 2023, name: $n, asOf: \"2023-06-30\", dueDate: \"2023-07-15\" }) { round { id } userErrors { message } } }",
                        json!({ "n": format!("竞争第{round}轮") }),
                    )
                    .await
            })
        };
        for approval in approvals {
            let r = approval.await.unwrap();
            assert_eq!(r["data"]["approveProject"]["project"]["status"], "APPROVED", "{r}");
        }
        let opened = open.await.unwrap();
        let round_id = opened["openMonitoringRound"]["round"]["id"].clone();
        assert!(round_id.is_string(), "{opened}");
        for id in &ids {
            let d = admin
                .data(
                    "query($id: ID!) { project(id: $id) { monitoringReports { round { id } } } }",
                    json!({ "id": id }),
                )
                .await;
            let rounds: Vec<&Value> =
                d["project"]["monitoringReports"].as_array().unwrap().iter().map(|r| &r["round"]["id"]).collect();
            assert_eq!(rounds.iter().filter(|r| ***r == round_id).count(), 1, "round {round}, project {id}: {d}");
        }
    }
}
