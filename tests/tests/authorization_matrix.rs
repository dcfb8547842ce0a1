//! Who may do what, for every query and mutation, every role (and no token), own and other
//! department, and every status: one table, checked cell by cell over HTTP. A new operation
//! without a row in the table fails `every_operation_has_a_row`.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};

use jixiao_tests::{CREATE_PROJECT, Client, PASSWORD, World, add_user, complete_declaration, unit_of};
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// Done (or, for reads, the project is there).
    Ok,
    NotFound,
    Forbidden,
    Unauth,
    /// Allowed, but not in this status: the INVALID_TRANSITION user error.
    Transition,
}
use Outcome::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    /// The submitter of the project's own department.
    Submitter,
    /// A submitter of another department.
    OtherSubmitter,
    Approver,
    Admin,
}
use Who::*;

const STATUSES: [&str; 4] = ["DRAFT", "SUBMITTED", "APPROVED", "REJECTED"];

/// Operations on one project: (operation, who, outcome in DRAFT, SUBMITTED, APPROVED, REJECTED).
const PROJECT_TABLE: &[(&str, Who, [Outcome; 4])] = &[
    ("project", Anonymous, [Unauth; 4]),
    ("project", Submitter, [Ok; 4]),
    ("project", OtherSubmitter, [NotFound; 4]),
    ("project", Approver, [NotFound, Ok, Ok, Ok]),
    ("project", Admin, [Ok; 4]),
    ("node", Anonymous, [Unauth; 4]),
    ("node", Submitter, [Ok; 4]),
    ("node", OtherSubmitter, [NotFound; 4]),
    ("node", Approver, [NotFound, Ok, Ok, Ok]),
    ("node", Admin, [Ok; 4]),
    // Present in `projects`, in `Department.projects` and counted by `declarationSummary`.
    ("listed", Anonymous, [Unauth; 4]),
    ("listed", Submitter, [Ok; 4]),
    ("listed", OtherSubmitter, [NotFound; 4]),
    ("listed", Approver, [NotFound, Ok, Ok, Ok]),
    ("listed", Admin, [Ok; 4]),
    ("updateProject", Anonymous, [Unauth; 4]),
    ("updateProject", Submitter, [Ok, Transition, Transition, Ok]),
    ("updateProject", OtherSubmitter, [NotFound; 4]),
    ("updateProject", Approver, [NotFound, Forbidden, Forbidden, Forbidden]),
    ("updateProject", Admin, [Forbidden; 4]),
    ("deleteProject", Anonymous, [Unauth; 4]),
    ("deleteProject", Submitter, [Ok, Transition, Transition, Ok]),
    ("deleteProject", OtherSubmitter, [NotFound; 4]),
    ("deleteProject", Approver, [NotFound, Forbidden, Forbidden, Forbidden]),
    ("deleteProject", Admin, [Forbidden; 4]),
    ("submitProject", Anonymous, [Unauth; 4]),
    ("submitProject", Submitter, [Ok, Transition, Transition, Ok]),
    ("submitProject", OtherSubmitter, [NotFound; 4]),
    ("submitProject", Approver, [NotFound, Forbidden, Forbidden, Forbidden]),
    ("submitProject", Admin, [Forbidden; 4]),
    ("withdrawProject", Anonymous, [Unauth; 4]),
    ("withdrawProject", Submitter, [Transition, Ok, Transition, Transition]),
    ("withdrawProject", OtherSubmitter, [NotFound; 4]),
    ("withdrawProject", Approver, [NotFound, Forbidden, Forbidden, Forbidden]),
    ("withdrawProject", Admin, [Forbidden; 4]),
    ("approveProject", Anonymous, [Unauth; 4]),
    ("approveProject", Submitter, [Forbidden; 4]),
    ("approveProject", OtherSubmitter, [NotFound; 4]),
    ("approveProject", Approver, [NotFound, Ok, Transition, Transition]),
    ("approveProject", Admin, [Forbidden; 4]),
    ("rejectProject", Anonymous, [Unauth; 4]),
    ("rejectProject", Submitter, [Forbidden; 4]),
    ("rejectProject", OtherSubmitter, [NotFound; 4]),
    ("rejectProject", Approver, [NotFound, Ok, Transition, Transition]),
    ("rejectProject", Admin, [Forbidden; 4]),
];

/// Operations not on one project: (operation, outcome for Anonymous, Submitter, Approver, Admin).
const GLOBAL_TABLE: &[(&str, [Outcome; 4])] = &[
    ("me", [Unauth, Ok, Ok, Ok]),
    ("departments", [Unauth, Ok, Ok, Ok]),
    ("department", [Unauth, Ok, Ok, Ok]),
    ("projects", [Unauth, Ok, Ok, Ok]),
    ("declarationSummary", [Unauth, Ok, Ok, Ok]),
    ("declarationReview", [Unauth, Ok, Ok, Ok]),
    ("indicatorCatalog", [Unauth, Ok, Ok, Ok]),
    ("login", [Ok, Ok, Ok, Ok]),
    ("createProject", [Unauth, Ok, Forbidden, Forbidden]),
    // A submitter declaring for another department's unit.
    ("createProjectElsewhere", [Unauth, Forbidden, Forbidden, Forbidden]),
    ("createDepartment", [Unauth, Forbidden, Forbidden, Ok]),
    ("createBudgetUnit", [Unauth, Forbidden, Forbidden, Ok]),
    ("createUser", [Unauth, Forbidden, Forbidden, Ok]),
];

struct Fixture {
    // Keeps the database and the server alive for the test.
    _world: World,
    own_unit: String,
    other_unit: String,
    other_dept: String,
    clients: Vec<(Who, Client)>,
    other_submitter: Client,
    approver: Client,
}

static NAMES: AtomicU32 = AtomicU32::new(0);

impl Fixture {
    async fn new() -> Fixture {
        let world = World::with_fixture().await;
        let admin = world.login("admin").await;
        let d = admin
            .data(
                "mutation { createDepartment(input: { code: \"OTHER\", name: \"另一个部门\" }) { department { id } } }",
                json!({}),
            )
            .await;
        let other_dept = d["createDepartment"]["department"]["id"].as_str().unwrap().to_string();
        admin
            .data(
                "mutation($d: ID!) { createBudgetUnit(input: { departmentId: $d, code: \"OTHER-U\", name: \"另一个单位\" }) { budgetUnit { id } } }",
                json!({ "d": other_dept }),
            )
            .await;
        add_user(&world.db.url, "other", "SUBMITTER", Some("OTHER")).await;
        let submitter = world.login("submitter").await;
        let other_submitter = world.login("other").await;
        let approver = world.login("approver").await;
        let own_unit = unit_of(&submitter, "SJQ-XFB").await;
        let other_unit = unit_of(&submitter, "OTHER").await;
        let clients = vec![
            (Anonymous, world.anonymous()),
            (Submitter, submitter.clone()),
            (OtherSubmitter, submitter),
            (Approver, approver.clone()),
            (Admin, admin),
        ];
        Fixture { _world: world, own_unit, other_unit, other_dept, clients, other_submitter, approver }
    }

    fn client(&self, who: Who) -> &Client {
        &self.clients.iter().find(|(w, _)| *w == who).unwrap().1
    }

    /// A new project in `status`: of the acting submitter's own department, or of the other
    /// department when `who` is the other department's outsider.
    async fn project_in(&self, who: Who, status: &str) -> String {
        let (owner, unit) = if who == OtherSubmitter {
            (&self.other_submitter, &self.other_unit)
        } else {
            (self.client(Submitter), &self.own_unit)
        };
        let name = format!("项目 {}", NAMES.fetch_add(1, Ordering::Relaxed));
        let r = owner.data(CREATE_PROJECT, json!({ "input": complete_declaration(unit, &name) })).await;
        let id = r["createProject"]["project"]["id"].as_str().unwrap_or_else(|| panic!("create: {r}")).to_string();
        if status != "DRAFT" {
            step(owner, "submitProject", &id, "").await;
        }
        match status {
            "APPROVED" => step(&self.approver, "approveProject", &id, "").await,
            "REJECTED" => step(&self.approver, "rejectProject", &id, ", reason: \"请补充\"").await,
            _ => {}
        }
        id
    }
}

async fn step(client: &Client, op: &str, id: &str, extra: &str) {
    let q = format!(
        "mutation($id: ID!) {{ {op}(id: $id{extra}) {{ project {{ status }} userErrors {{ code message }} }} }}"
    );
    let r = client.data(&q, json!({ "id": id })).await;
    assert!(r[op]["project"].is_object(), "{op}: {r}");
}

fn classify(r: &Value, field: &str) -> Outcome {
    if let Some(code) = r["errors"][0]["extensions"]["code"].as_str() {
        return match code {
            "UNAUTHENTICATED" => Unauth,
            "FORBIDDEN" => Forbidden,
            "NOT_FOUND" => NotFound,
            other => panic!("unexpected error code {other}: {r}"),
        };
    }
    match r["data"][field]["userErrors"][0]["code"].as_str() {
        Some("INVALID_TRANSITION") => Transition,
        Some(other) => panic!("unexpected user error {other}: {r}"),
        None => Ok,
    }
}

async fn run_project_op(f: &Fixture, op: &str, who: Who, id: &str) -> Outcome {
    let client = f.client(who);
    let vars = json!({ "id": id });
    let payload = "{ userErrors { code } }";
    let query = match op {
        "project" => "query($id: ID!) { project(id: $id) { id } }".to_string(),
        "node" => "query($id: ID!) { node(id: $id) { id } }".to_string(),
        "listed" => return listed(f, who, id).await,
        "updateProject" => {
            let v =
                f.client(Admin).data("query($id: ID!) { project(id: $id) { version } }", vars.clone()).await["project"]
                    ["version"]
                    .clone();
            let r = client
                .gql(
                    "mutation($input: UpdateProjectInput!) { updateProject(input: $input) { userErrors { code } } }",
                    json!({ "input": { "id": id, "expectedVersion": v, "overallGoal": "改过的目标" } }),
                )
                .await;
            return classify(&r, "updateProject");
        }
        "approveProject" => format!("mutation($id: ID!) {{ approveProject(id: $id, comment: \"同意\") {payload} }}"),
        "rejectProject" => format!("mutation($id: ID!) {{ rejectProject(id: $id, reason: \"请补充\") {payload} }}"),
        other => format!("mutation($id: ID!) {{ {other}(id: $id) {payload} }}"),
    };
    classify(&client.gql(&query, vars).await, op)
}

/// Whether the project is in every list the caller can ask for, and counted the same way.
async fn listed(f: &Fixture, who: Who, id: &str) -> Outcome {
    let q = "query($d: ID!) { projects(first: 100) { nodes { id } totalCount }
        department(id: $d) { projects(first: 100) { nodes { id } } }
        own: department(code: \"SJQ-XFB\") { projects(first: 100) { nodes { id } } }
        declarationSummary(fiscalYear: 2023) { projectCount } }";
    let r = f.client(who).gql(q, json!({ "d": f.other_dept })).await;
    if r["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED" {
        return Unauth;
    }
    assert!(r.get("errors").is_none(), "{r}");
    let ids = |v: &Value| {
        v["projects"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_string())
            .collect::<BTreeSet<_>>()
    };
    let all = ids(&r["data"]);
    let in_departments: BTreeSet<_> = ids(&r["data"]["department"]).union(&ids(&r["data"]["own"])).cloned().collect();
    assert_eq!(all, in_departments, "the top-level list and the departments' lists agree");
    assert_eq!(r["data"]["projects"]["totalCount"], all.len(), "totalCount counts what the list shows");
    assert_eq!(r["data"]["declarationSummary"]["projectCount"], all.len(), "the summary counts what the list shows");
    if all.contains(id) { Ok } else { NotFound }
}

#[tokio::test]
async fn every_project_operation_for_every_role_department_and_status() {
    let f = Fixture::new().await;
    let mut failures = Vec::new();
    for (op, who, outcomes) in PROJECT_TABLE {
        for (status, expected) in STATUSES.iter().zip(outcomes) {
            let id = f.project_in(*who, status).await;
            let got = run_project_op(&f, op, *who, &id).await;
            if got != *expected {
                failures.push(format!("{op} by {who:?} on a {status} project: expected {expected:?}, got {got:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} cells differ:\n{}", failures.len(), failures.join("\n"));
}

#[tokio::test]
async fn every_other_operation_for_every_role() {
    let f = Fixture::new().await;
    let roles = [Anonymous, Submitter, Approver, Admin];
    let mut failures = Vec::new();
    for (op, outcomes) in GLOBAL_TABLE {
        for (who, expected) in roles.iter().zip(outcomes) {
            let n = NAMES.fetch_add(1, Ordering::Relaxed);
            let (query, vars, field) = match *op {
                "me" => ("{ me { id } }", json!({}), "me"),
                "departments" => ("{ departments { totalCount } }", json!({}), "departments"),
                "department" => ("{ department(code: \"SJQ-XFB\") { id } }", json!({}), "department"),
                "projects" => ("{ projects { totalCount } }", json!({}), "projects"),
                "declarationSummary" => {
                    ("{ declarationSummary(fiscalYear: 2023) { projectCount } }", json!({}), "declarationSummary")
                }
                "indicatorCatalog" => ("{ indicatorCatalog { code } }", json!({}), "indicatorCatalog"),
                "declarationReview" => {
                    ("{ declarationReview(fiscalYear: 2023) { code } }", json!({}), "declarationReview")
                }
                "login" => (
                    "mutation($p: String!) { login(username: \"approver\", password: $p) { token } }",
                    json!({ "p": PASSWORD }),
                    "login",
                ),
                "createProject" => (
                    CREATE_PROJECT,
                    json!({ "input": complete_declaration(&f.own_unit, &format!("新项目 {n}")) }),
                    "createProject",
                ),
                "createProjectElsewhere" => (
                    CREATE_PROJECT,
                    json!({ "input": complete_declaration(&f.other_unit, &format!("新项目 {n}")) }),
                    "createProject",
                ),
                "createDepartment" => (
                    "mutation($c: String!) { createDepartment(input: { code: $c, name: \"新部门\" }) { userErrors { code } } }",
                    json!({ "c": format!("D{n}") }),
                    "createDepartment",
                ),
                "createBudgetUnit" => (
                    "mutation($d: ID!, $c: String!) { createBudgetUnit(input: { departmentId: $d, code: $c, name: \"新单位\" }) { userErrors { code } } }",
                    json!({ "d": f.other_dept, "c": format!("U{n}") }),
                    "createBudgetUnit",
                ),
                "createUser" => (
                    "mutation($u: String!) { createUser(input: { username: $u, role: APPROVER, password: \"long enough pw\" }) { userErrors { code } } }",
                    json!({ "u": format!("user{n}") }),
                    "createUser",
                ),
                other => panic!("no query for {other}"),
            };
            let r = f.client(*who).gql(query, vars).await;
            let got = classify(&r, field);
            if got != *expected {
                failures.push(format!("{op} by {who:?}: expected {expected:?}, got {got:?}: {r}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn every_operation_has_a_row() {
    let world = World::with_fixture().await;
    let r = world
        .login("admin")
        .await
        .data("{ __schema { queryType { fields { name } } mutationType { fields { name } } } }", json!({}))
        .await;
    let covered: BTreeSet<&str> = PROJECT_TABLE.iter().map(|r| r.0).chain(GLOBAL_TABLE.iter().map(|r| r.0)).collect();
    let mut missing = Vec::new();
    for kind in ["queryType", "mutationType"] {
        for field in r["__schema"][kind]["fields"].as_array().unwrap() {
            let name = field["name"].as_str().unwrap();
            if !covered.contains(name) {
                missing.push(name.to_string());
            }
        }
    }
    assert!(missing.is_empty(), "operations without a row in the authorization table: {missing:?}");
}
