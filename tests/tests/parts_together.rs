//! A page of projects is read with the parts it shows in one statement (PostgreSQL); with
//! `JIXIAO_READ_PARTS_TOGETHER=false` each part is read by its own statement, as on SQLite.
//! Two servers on one database, one each way: every answer, for every role, along every path to
//! projects, at the edges of pages and with the nulls of drafts, is the same byte for byte, and
//! the one-statement server did run fewer statements. Run with reads' answers kept
//! (`JIXIAO_KEPT_ANSWERS_MB`, on by default) and without: kept, each request is sent twice to
//! the one-statement server and the kept answer must be the same byte for byte; without, the
//! statements are counted.

use jixiao_tests::{Client, Server, World, add_user, jixiao, statements_run};
use serde_json::{Value, json};

const EVERYTHING: &str = "id name fiscalYear category status version plannedStart plannedEnd createdAt updatedAt submittedAt
    department { id code name } implementingUnit { id code name department { code name } }
    sections { overview basis implementingBody plan cycle budgetArrangement } overallGoal annualGoal
    funds { total fiscal other annualRequest currentYearAppropriation carryover annualOther annualRequestWanYuan }
    fundItems { id name amount }
    indicators { id position level1 level1Label level2 level2Label name note target { text kind comparator value upperValue unit } }
    reviews { action fromStatus toStatus comment at actor { id username displayName role } }";

/// Fields of a project that run a statement of their own when resolved (as `totalCount` of a
/// page): they finish after their siblings, and still come in the order asked (`key_order.rs`),
/// so these answers too are compared byte for byte.
const OWN_STATEMENTS: &str =
    "findingCounts { errors warnings infos } findings { code severity field indicatorId fundItemId }";

/// The same request on both servers: the two bodies, and the statements each server ran.
async fn both(together: &Client, apart: &Client, query: &str, variables: Value) -> (String, String, u64, u64) {
    let (t0, a0) = (statements_run(together).await, statements_run(apart).await);
    let t = together.raw(query, variables.clone()).await;
    let a = apart.raw(query, variables).await;
    (t, a, statements_run(together).await - t0, statements_run(apart).await - a0)
}

#[tokio::test]
async fn pages_read_with_their_parts_in_one_statement_answer_byte_for_byte_as_read_part_by_part() {
    compare(false).await;
}

#[tokio::test]
async fn and_so_do_the_answers_kept_between_requests() {
    compare(true).await;
}

/// The comparison, with answers `kept` between requests or not (statements are counted only
/// when not: a kept answer runs none).
async fn compare(kept: bool) {
    // Pages of 100 projects with everything are far over the default cost limit: lifted here.
    let room = if kept { "32" } else { "0" };
    let lifted = [
        ("JIXIAO_MAX_COMPLEXITY", "1000000000"),
        ("JIXIAO_MAX_RESPONSE_BYTES", "268435456"),
        ("JIXIAO_KEPT_ANSWERS_MB", room),
    ];
    let world = World::with_fixture_and(&lifted).await;
    let url = world.db.url.clone();
    // The seed's drafts (nulls: no category, no dates, no submission) beside a generated year of
    // every status, and a review history: submitted, sent back with a comment, approved.
    let out = jixiao(&url, &["generate", "--departments", "2", "--projects-per-department", "30"], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    add_user(&url, "other", "SUBMITTER", Some("GEN-D0001")).await;
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    let seed = submitter.data("{ projects { nodes { id } } }", json!({})).await["projects"]["nodes"].clone();
    for (i, decision, text) in [(0, "approveProject", "comment"), (1, "rejectProject", "reason")] {
        let id = &seed[i]["id"];
        submitter
            .data("mutation($id: ID!) { submitProject(id: $id) { userErrors { code } } }", json!({ "id": id }))
            .await;
        let decide = format!(
            "mutation($id: ID!) {{ {decision}(id: $id, {text}: \"请补充“资金明细”\\n第二行\") {{ userErrors {{ code }} }} }}"
        );
        approver.data(&decide, json!({ "id": id })).await;
    }
    let apart =
        Server::start_with(&url, &[lifted[0], lifted[1], lifted[2], ("JIXIAO_READ_PARTS_TOGETHER", "false")]).await;
    for server in [&world.server.base_url, &apart.base_url] {
        jixiao_tests::server::until_listening(server).await;
    }

    let roles = ["admin", "approver", "submitter", "other"];
    let hidden_from_submitter = {
        let admin = world.login("admin").await;
        let q = "{ department(code: \"GEN-D0002\") { projects(first: 1, filter: { status: [APPROVED] }) { nodes { id } } } }";
        admin.data(q, json!({})).await["department"]["projects"]["nodes"][0]["id"].clone()
    };
    let page = |args: &str| {
        format!(
            "{{ projects({args}) {{ pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} edges {{ cursor node {{ {EVERYTHING} }} }} nodes {{ {EVERYTHING} }} }} }}"
        )
    };
    let mut compared = 0;
    let mut fewer = 0;
    for role in roles {
        let together = world.login(role).await;
        let apart = Client::new(&apart.base_url).with_token(together.token());
        // Paths, page sizes and edges: the first row, a page, past the end, backwards, an
        // ordering with nulls (drafts without amounts), filters, one project, a node, an
        // invisible project (NOT_FOUND) and the department's and unit's own lists.
        let first = together.data(&page("first: 7"), json!({})).await;
        let end = first["projects"]["pageInfo"]["endCursor"].clone();
        let mut queries: Vec<(String, Value)> = vec![
            (page("first: 1"), json!({})),
            (page("first: 7"), json!({})),
            (page("first: 100"), json!({})),
            (page("first: 7, after: $c").replace("{ projects(", "query($c: String) { projects("), json!({ "c": end })),
            (page("last: 3, before: $c").replace("{ projects(", "query($c: String) { projects("), json!({ "c": end })),
            (page("last: 100"), json!({})),
            (page("first: 30, orderBy: { field: TOTAL_FUNDS, direction: DESC }"), json!({})),
            (page("first: 30, orderBy: { field: SUBMITTED_AT }"), json!({})),
            (page("first: 30, filter: { status: [REJECTED, APPROVED] }"), json!({})),
            (page("first: 30, filter: { nameContains: \"no such project\" }"), json!({})),
            (
                "query($id: ID!) { project(id: $id) { EVERYTHING } }".replace("EVERYTHING", EVERYTHING),
                json!({ "id": seed[0]["id"] }),
            ),
            (
                "query($id: ID!) { project(id: $id) { EVERYTHING } }".replace("EVERYTHING", EVERYTHING),
                json!({ "id": hidden_from_submitter }),
            ),
            (
                "query($id: ID!) { node(id: $id) { ... on Project { EVERYTHING } } }".replace("EVERYTHING", EVERYTHING),
                json!({ "id": seed[1]["id"] }),
            ),
            (
                "{ department(code: \"SJQ-XFB\") { projects(first: 50) { nodes { EVERYTHING } } } }"
                    .replace("EVERYTHING", EVERYTHING),
                json!({}),
            ),
            (
                "{ department(code: \"GEN-D0002\") { budgetUnits { projects(first: 50) { nodes { EVERYTHING } } } } }"
                    .replace("EVERYTHING", EVERYTHING),
                json!({}),
            ),
            ("{ projects(first: 20) { nodes { id name reviews { comment actor { username } } } } }".into(), json!({})),
            (
                format!("{{ projects(first: 30) {{ totalCount nodes {{ {OWN_STATEMENTS} {EVERYTHING} }} }} }}"),
                json!({}),
            ),
        ];
        queries.push((
            page("first: 3, filter: { departmentId: $d }").replace("{ projects(", "query($d: ID) { projects("),
            json!({ "d": first["projects"]["nodes"][0]["department"]["id"] }),
        ));
        for (query, variables) in &queries {
            let (t, a, t_statements, a_statements) = both(&together, &apart, query, variables.clone()).await;
            if t != a {
                let at = t.bytes().zip(a.bytes()).take_while(|(x, y)| x == y).count();
                let around = |s: &str| s.get(at.saturating_sub(300)..(at + 300).min(s.len())).unwrap_or("").to_string();
                panic!(
                    "{role}: the answers differ for {query} {variables} at byte {at}\none statement: …{}…\npart by part: …{}…",
                    around(&t),
                    around(&a)
                );
            }
            // Only a project the caller may not see is an error (NOT_FOUND); the admin sees all.
            let by_id = variables.get("id").is_some() && role != "admin";
            assert!(!t.contains("\"errors\":[") || by_id && t.contains("NOT_FOUND"), "{role}: {query}: {t}");
            compared += 1;
            if kept {
                let (hits, again) =
                    (jixiao_tests::kept_answer_hits(&together).await, together.raw(query, variables.clone()).await);
                assert_eq!(again, t, "{role}: the kept answer of {query} {variables}");
                // Kept unless it has an error (a hidden project's NOT_FOUND is read again).
                let hit = jixiao_tests::kept_answer_hits(&together).await > hits;
                assert_eq!(hit, !t.contains("\"errors\":["), "{role}: {query}: kept or not");
                fewer += usize::from(hit);
                continue;
            }
            assert!(t_statements <= a_statements, "{role}: {t_statements} statements together, {a_statements} apart");
            fewer += usize::from(t_statements < a_statements);
        }
        // What the comparison is worth: the submitter's pages hold their own projects only,
        // with review comments and actors, and the hidden project is NOT_FOUND.
        if role == "submitter" {
            let (t, _, _, _) = both(&together, &apart, &page("first: 100"), json!({})).await;
            assert!(t.contains("请补充“资金明细”\\n第二行") && t.contains("\"username\":\"approver\""), "{t}");
            assert!(!t.contains("GEN-D0001"), "{t}");
        }
    }
    assert!(compared >= 60 && fewer >= 40, "{compared} compared, {fewer} with fewer statements (or kept)");
    if kept {
        return;
    }
    // One project with everything it shows: one statement (the caller's user is kept).
    let admin = world.login("admin").await;
    let admin_apart = Client::new(&apart.base_url).with_token(admin.token());
    admin.data("{ me { id } }", json!({})).await;
    admin_apart.data("{ me { id } }", json!({})).await;
    let one = "query($id: ID!) { project(id: $id) { EVERYTHING } }".replace("EVERYTHING", EVERYTHING);
    let (_, _, t_statements, a_statements) = both(&admin, &admin_apart, &one, json!({ "id": seed[0]["id"] })).await;
    assert_eq!((t_statements, a_statements), (1, 7), "statements for one project with everything, together and apart");
}

const TYPES: &str = "{ __schema { types { name kind fields { name args { type { kind } } type { ...T } } } } }
    fragment T on __Type { name kind ofType { name kind ofType { name kind ofType { name kind } } } }";

/// The named type under NON_NULL and LIST wrappers, and its kind.
fn named(t: &Value) -> (&str, &str) {
    match t["name"].as_str() {
        Some(name) => (name, t["kind"].as_str().unwrap()),
        None => named(&t["ofType"]),
    }
}

/// Every field of `type_name` the schema has, `depth` objects deep: the objects' own fields
/// below it, scalars at the bottom. Fields that need an argument, and lists that page
/// (connections: their own paths are compared above), are left out.
fn every_field(types: &Value, type_name: &str, depth: usize) -> Vec<String> {
    let ty = types.as_array().unwrap().iter().find(|t| t["name"] == type_name).unwrap();
    let mut out = Vec::new();
    for field in ty["fields"].as_array().into_iter().flatten() {
        let name = field["name"].as_str().unwrap();
        let needs_argument = field["args"].as_array().unwrap().iter().any(|a| a["type"]["kind"] == "NON_NULL");
        let (inner, kind) = named(&field["type"]);
        if needs_argument || inner.ends_with("Connection") {
            continue;
        }
        match kind {
            "SCALAR" | "ENUM" => out.push(name.to_string()),
            "OBJECT" if depth > 0 => {
                let below = every_field(types, inner, depth - 1);
                if !below.is_empty() {
                    out.push(format!("{name} {{ {} }}", below.join(" ")));
                }
            }
            "INTERFACE" | "UNION" => out.push(format!("{name} {{ __typename }}")),
            _ => {}
        }
    }
    out
}

/// The shapes a client writes the same selection in: as it is, every field twice under an alias,
/// in a named fragment and an inline one, and under `@include`/`@skip` (both ways).
fn shapes(fields: &[String]) -> Vec<(&'static str, String)> {
    let plain = fields.join(" ");
    let aliased: String = fields.iter().enumerate().map(|(i, f)| format!("{f} again{i}: {f} ")).collect();
    let directed: String = fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let (name, rest) = f.split_once(' ').unwrap_or((f, ""));
            format!(
                "{name} @include(if: $yes) {rest} off{i}: {name} @include(if: $no) {rest} kept{i}: {name} @skip(if: $no) {rest} "
            )
        })
        .collect();
    let page = |selection: &str| format!("projects(first: 100) {{ nodes {{ {selection} }} }}");
    vec![
        ("plain", format!("{{ {} }}", page(&plain))),
        ("aliases", format!("{{ {} }}", page(&aliased))),
        ("named fragment", format!("{{ {} }} fragment P on Project {{ {plain} }}", page("...P"))),
        ("inline fragment", format!("{{ {} }}", page(&format!("... on Project {{ {plain} }}")))),
        ("@include and @skip", format!("query($yes: Boolean!, $no: Boolean!) {{ {} }}", page(&directed))),
    ]
}

/// Every field of a project, the ones added since the one-statement read was written included
/// (remarks, monitoring reports, the self-evaluation, snapshots and the targets in force,
/// changes, the previous year's project), read with its parts in one statement and part by
/// part: the same answer for every role and every shape of the same selection.
#[tokio::test]
async fn every_project_field_in_every_shape_reads_the_same_both_ways() {
    // Every field three times over (kept, skipped, included) is more fields than a client may ask.
    let lifted = [
        ("JIXIAO_MAX_COMPLEXITY", "1000000000"),
        ("JIXIAO_MAX_RESPONSE_BYTES", "268435456"),
        ("JIXIAO_MAX_FIELDS", "50000"),
    ];
    let world = World::with_fixture_and(&lifted).await;
    let url = world.db.url.clone();
    let (submitter, approver, admin) =
        (world.login("submitter").await, world.login("approver").await, world.login("admin").await);
    let seed = submitter.data("{ projects { nodes { id } } }", json!({})).await["projects"]["nodes"].clone();
    let run = |client: &Client, query: &str, variables: Value| {
        let (client, query) = (client.clone(), query.to_string());
        async move {
            let r = client.gql(&query, variables).await;
            assert!(r.get("errors").is_none(), "{}…: {r}", query.chars().take(300).collect::<String>());
            r["data"].clone()
        }
    };
    let step = |client: &Client, op: &str, id: &Value| {
        let q = format!("mutation($id: ID!) {{ {op}(id: $id) {{ userErrors {{ code message }} }} }}");
        let (client, op, id) = (client.clone(), op.to_string(), id.clone());
        async move {
            let r = client.data(&q, json!({ "id": id })).await;
            assert_eq!(r[&op]["userErrors"], json!([]), "{op}: {r}");
        }
    };
    // Three of the seed's projects, each the same way: a remark while submitted, approved,
    // adjusted (the remark answered, the annual goal changed: a second snapshot, changes) and
    // approved again, evaluated, reported on in a round, and copied into 2024 (submitted there).
    // The other two stay drafts (the nulls of a half-filled form).
    let version_of = |id: &Value| {
        let (submitter, id) = (submitter.clone(), id.clone());
        async move {
            let r = submitter.data("query($id: ID!) { project(id: $id) { version } }", json!({ "id": id })).await;
            r["project"]["version"].clone()
        }
    };
    for project in seed.as_array().unwrap().iter().take(3) {
        let id = &project["id"];
        step(&submitter, "submitProject", id).await;
        let remark = "mutation($id: ID!) { addReviewRemark(input: { projectId: $id, field: \"funds.total\", text: \"请补充测算依据\" }) { remark { id } } }";
        let remark = run(&approver, remark, json!({ "id": id })).await["addReviewRemark"]["remark"]["id"].clone();
        step(&approver, "approveProject", id).await;
        let start = "mutation($i: StartAdjustmentInput!) { startAdjustment(input: $i) { userErrors { code } } }";
        run(
            &submitter,
            start,
            json!({ "i": { "id": id, "expectedVersion": version_of(id).await, "reason": "年中调整" } }),
        )
        .await;
        let answer =
            "mutation($r: ID!) { answerReviewRemark(input: { id: $r, answer: \"已补充\" }) { userErrors { code } } }";
        run(&submitter, answer, json!({ "r": remark })).await;
        let edit = "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { userErrors { code } } }";
        let goal = json!({ "id": id, "expectedVersion": version_of(id).await, "annualGoal": "调整后的年度目标" });
        run(&submitter, edit, json!({ "i": goal })).await;
        step(&submitter, "submitProject", id).await;
        step(&approver, "approveProject", id).await;
        let evaluate = "mutation($p: ID!) { startSelfEvaluation(input: { projectId: $p }) { userErrors { code } } }";
        run(&submitter, evaluate, json!({ "p": id })).await;
        let copy = "mutation($id: ID!) { copyProject(input: { id: $id, fiscalYear: 2024 }) { project { id } } }";
        let copied = run(&submitter, copy, json!({ "id": id })).await["copyProject"]["project"]["id"].clone();
        step(&submitter, "submitProject", &copied).await;
    }
    let round = "mutation { openMonitoringRound(input: { fiscalYear: 2023, name: \"1-7月\", asOf: \"2023-07-31\", dueDate: \"2023-08-15\" }) { userErrors { code } } }";
    run(&admin, round, json!({})).await;

    let apart =
        Server::start_with(&url, &[lifted[0], lifted[1], lifted[2], ("JIXIAO_READ_PARTS_TOGETHER", "false")]).await;
    let types = run(&admin, TYPES, json!({})).await["__schema"]["types"].clone();
    // A project's rectification items each carry their project whole: at 100 projects a page
    // that is past the highest complexity a server takes. They are read by a query of their own,
    // the same on both paths (results_applied.rs reads them).
    let fields: Vec<String> =
        every_field(&types, "Project", 3).into_iter().filter(|f| !f.starts_with("rectifications ")).collect();
    for newer in [
        "remarks",
        "monitoringReports",
        "selfEvaluation",
        "snapshots",
        "inForce",
        "changes",
        "previousProject",
        "issue",
        "priorResult",
        "budgetSuggestion",
        "budgetDecision",
    ] {
        assert!(fields.iter().any(|f| f.starts_with(&format!("{newer} "))), "{newer} is among {fields:?}");
    }
    let variables = json!({ "yes": true, "no": false });
    for client in [&admin, &approver, &submitter] {
        let other = Client::new(&apart.base_url).with_token(client.token());
        for (shape, query) in shapes(&fields) {
            let together = run(client, &query, variables.clone()).await;
            let part_by_part = run(&other, &query, variables.clone()).await;
            assert_eq!(together, part_by_part, "{shape}: the answers differ");
            // What the comparison is worth: the newer parts are there, not empty.
            let text = together.to_string();
            let mut parts = vec!["请补充测算依据", "调整后的年度目标", "\"previousProject\":{", "\"inForce\":{"];
            // A self-evaluation being filled is its unit's (and the admin's) to see.
            if client.token() != approver.token() {
                parts.push("\"selfEvaluation\":{");
            }
            for part in parts {
                assert!(text.contains(part), "{shape}: {part} is not in the answer");
            }
        }
    }
    // What a page with every field costs is printed, not pinned: nested loads are batched by
    // timing (async-graphql's DataLoader waits a moment for more keys), so on a busy machine the
    // same deep page ran from 21 to 51 statements. Each newer field alone is pinned below.
    admin.data("{ me { id } }", json!({})).await;
    let mut costs = Vec::new();
    for (year, status, n) in
        [(2023, "APPROVED", 1), (2023, "APPROVED", 3), (2024, "SUBMITTED", 1), (2024, "SUBMITTED", 3)]
    {
        let filter = format!("fiscalYear: {year}, status: [{status}]");
        let page = format!("{{ projects(first: {n}, filter: {{ {filter} }}) {{ nodes {{ {} }} }} }}", fields.join(" "));
        let before = statements_run(&admin).await;
        let r = run(&admin, &page, json!({})).await;
        costs.push(statements_run(&admin).await - before);
        assert_eq!(r["projects"]["nodes"].as_array().unwrap().len(), n, "{year}");
    }
    eprintln!("statements for 1 and 3 projects with every field, of 2023 and of 2024: {costs:?}");
    // One newer field at a time, with its own values (one loader each, so no batching by timing):
    // what a page of 1 and of 3 costs, pinned (a change is a decision, not a drift to miss).
    let shallow = every_field(&types, "Project", 1);
    let mut measured = Vec::new();
    for newer in
        ["remarks", "monitoringReports", "selfEvaluation", "snapshots", "inForce", "changes", "previousProject"]
    {
        let field = shallow.iter().find(|f| f.starts_with(&format!("{newer} "))).unwrap();
        let (year, status) = if newer == "previousProject" { (2024, "SUBMITTED") } else { (2023, "APPROVED") };
        let mut cost = Vec::new();
        for n in [1, 3] {
            let filter = format!("fiscalYear: {year}, status: [{status}]");
            let before = statements_run(&admin).await;
            run(
                &admin,
                &format!("{{ projects(first: {n}, filter: {{ {filter} }}) {{ nodes {{ id {field} }} }} }}"),
                json!({}),
            )
            .await;
            cost.push(statements_run(&admin).await - before);
        }
        measured.push((newer, cost));
    }
    let pinned: Vec<(&str, Vec<u64>)> = [
        ("remarks", 2),
        ("monitoringReports", 3),
        ("selfEvaluation", 4),
        ("snapshots", 2),
        ("inForce", 2),
        ("changes", 5),
        ("previousProject", 3),
    ]
    .into_iter()
    .map(|(field, statements)| (field, vec![statements, statements]))
    .collect();
    assert_eq!(measured, pinned, "statements for a page of 1 and of 3 projects, each newer field alone");
}
