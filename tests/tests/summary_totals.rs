//! `declarationSummary` on PostgreSQL reads the totals the database keeps per (year, department,
//! unit, status) (migration 13) instead of counting the projects. After every kind of write (the
//! API's create, copy, submit, approve, reject, delete; the command line's generate; psql's
//! moves, amount changes, soft and hard deletes), every role's summary of every year, with and
//! without a department, is what counting the projects it may see gives, and the kept totals are
//! what counting them afresh gives.

use jixiao_tests::{CREATE_PROJECT, World, complete_declaration, jixiao, unit_of};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

/// Counted from the projects themselves: units, projects and the sum of annual requests in fen
/// of the live projects of `year` matching `visible` (SQL over `projects`).
async fn counted(db: &sea_orm::DatabaseConnection, year: i32, visible: &str) -> (i64, i64, String) {
    let sql = format!(
        "SELECT COUNT(DISTINCT implementing_unit_id), COUNT(*), CAST(COALESCE(SUM(annual_request_fen), 0) AS TEXT)
           FROM projects WHERE deleted_at IS NULL AND fiscal_year = {year} AND {visible}"
    );
    let row = db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    (row.try_get_by_index(0).unwrap(), row.try_get_by_index(1).unwrap(), row.try_get_by_index(2).unwrap())
}

/// "2914171.00" yuan as fen, "291417100".
fn fen(yuan: &str) -> String {
    let fen = yuan.replace('.', "").trim_start_matches('0').to_string();
    if fen.is_empty() { "0".into() } else { fen }
}

#[tokio::test]
async fn the_kept_totals_give_every_role_the_summary_counting_would() {
    let world = World::with_fixture().await;
    let url = world.db.url.clone();
    let out = jixiao(&url, &["generate", "--departments", "2", "--projects-per-department", "25"], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    jixiao_tests::add_user(&url, "other", "SUBMITTER", Some("GEN-D0001")).await;
    jixiao_tests::add_user(&url, "auditor", "SECURITY_AUDITOR", None).await;
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;

    // The API's writes.
    let mut created = Vec::new();
    for n in 0..4 {
        let r = submitter
            .data(CREATE_PROJECT, json!({ "input": complete_declaration(&unit, &format!("新项目{n}")) }))
            .await;
        created.push(r["createProject"]["project"]["id"].as_str().unwrap().to_string());
    }
    let run = |client: &jixiao_tests::Client, mutation: &str, id: &str| {
        let (client, q, id) = (client.clone(), mutation.to_string(), id.to_string());
        async move {
            let r = client.data(&q, json!({ "id": id })).await;
            assert!(r.to_string().contains("\"userErrors\":[]"), "{q}: {r}");
        }
    };
    for id in &created[..3] {
        run(&submitter, "mutation($id: ID!) { submitProject(id: $id) { userErrors { code } } }", id).await;
    }
    run(&approver, "mutation($id: ID!) { approveProject(id: $id) { userErrors { code } } }", &created[0]).await;
    run(
        &approver,
        "mutation($id: ID!) { rejectProject(id: $id, reason: \"补充\") { userErrors { code } } }",
        &created[1],
    )
    .await;
    run(&submitter, "mutation($id: ID!) { deleteProject(id: $id) { userErrors { code } } }", &created[3]).await;
    let copy = "mutation($id: ID!) { copyProject(input: { id: $id, fiscalYear: 2024 }) { userErrors { code } } }";
    run(&submitter, copy, &created[0]).await;

    // Writes no API makes: a project moved to another unit and year, amounts changed (one to
    // unknown), a soft delete and a hard delete, a status set by hand.
    let store = world.db.store().await;
    let db = store.connection();
    for sql in [
        "UPDATE projects SET implementing_unit_id = (SELECT MIN(id) FROM budget_units WHERE code LIKE 'GEN-D0002%'),
             department_id = (SELECT id FROM departments WHERE code = 'GEN-D0002'), fiscal_year = 2023
           WHERE id = (SELECT MIN(id) FROM projects WHERE fiscal_year = 2024 AND status = 'SUBMITTED')",
        "UPDATE projects SET annual_request_fen = annual_request_fen + 12345 WHERE id % 3 = 0",
        "UPDATE projects SET annual_request_fen = NULL WHERE id = (SELECT MAX(id) FROM projects WHERE status = 'DRAFT')",
        "UPDATE projects SET deleted_at = now() WHERE id = (SELECT MIN(id) FROM projects WHERE status = 'APPROVED')",
        "UPDATE projects SET status = 'SUBMITTED' WHERE id = (SELECT MIN(id) FROM projects WHERE status = 'DRAFT' AND fiscal_year = 2024)",
        "DELETE FROM projects WHERE id = (SELECT MAX(id) FROM projects WHERE NOT EXISTS
             (SELECT 1 FROM reviews r WHERE r.project_id = projects.id) AND fiscal_year = 2024 AND id NOT IN
             (SELECT previous_project_id FROM projects WHERE previous_project_id IS NOT NULL))",
    ] {
        let done = db.execute_unprepared(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
        assert_eq!(done.rows_affected() > 0, true, "{sql} changed nothing");
    }

    let department_id = |code: &'static str| {
        let admin = submitter.clone();
        async move {
            admin.data("query($c: String!) { department(code: $c) { id } }", json!({ "c": code })).await["department"]["id"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let departments = [("SJQ-XFB", department_id("SJQ-XFB").await), ("GEN-D0002", department_id("GEN-D0002").await)];
    // A department reviewer joins only now: with one, the submissions above would have gone to the
    // department's review first.
    jixiao_tests::add_user(&url, "reviewer", "DEPARTMENT_REVIEWER", Some("SJQ-XFB")).await;
    let visibility = [
        ("admin", "TRUE".to_string()),
        ("approver", "status <> 'DRAFT'".to_string()),
        ("submitter", "department_id = (SELECT id FROM departments WHERE code = 'SJQ-XFB')".to_string()),
        ("other", "department_id = (SELECT id FROM departments WHERE code = 'GEN-D0001')".to_string()),
        (
            "reviewer",
            "department_id = (SELECT id FROM departments WHERE code = 'SJQ-XFB') AND status <> 'DRAFT'".to_string(),
        ),
    ];
    let summary = "query($y: Int!, $d: ID) { declarationSummary(fiscalYear: $y, departmentId: $d) { budgetUnitCount projectCount totalFunds } }";
    let mut nonzero = 0;
    for (role, visible) in &visibility {
        let client = world.login(role).await;
        for year in [2023, 2024, 2030] {
            let mut cases: Vec<(Value, String)> = vec![(Value::Null, visible.clone())];
            for (code, id) in &departments {
                let only = format!("{visible} AND department_id = (SELECT id FROM departments WHERE code = '{code}')");
                cases.push((json!(id), only));
            }
            for (department, visible) in cases {
                let got =
                    client.data(summary, json!({ "y": year, "d": department })).await["declarationSummary"].clone();
                let want = counted(db, year, &visible).await;
                let got_triple = (
                    got["budgetUnitCount"].as_i64().unwrap(),
                    got["projectCount"].as_i64().unwrap(),
                    fen(got["totalFunds"].as_str().unwrap()),
                );
                assert_eq!(got_triple, want, "{role}, {year}, department {department}");
                nonzero += usize::from(want.1 > 0);
            }
        }
    }
    assert!(nonzero >= 12, "only {nonzero} summaries had projects");
    // The fifth role reads the audit trail and nothing else: no summary at all.
    let auditor = world.login("auditor").await;
    let refused = auditor.gql(summary, json!({ "y": 2023, "d": Value::Null })).await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN", "{refused}");

    // The kept totals are exactly what counting afresh gives (the migrations' own count), stripe
    // by stripe (migration 19: a project counts into stripe id % 16).
    let drift = "SELECT COUNT(*) FROM (
          SELECT fiscal_year, department_id, implementing_unit_id, status, stripe, projects, annual_request_fen
            FROM project_totals WHERE projects <> 0
          EXCEPT
          SELECT fiscal_year, department_id, implementing_unit_id, status, (id % 16)::SMALLINT, COUNT(*),
                 COALESCE(SUM(annual_request_fen), 0)
            FROM projects WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4, 5) AS kept_but_not_counted";
    let row =
        db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), drift)).await.unwrap().unwrap();
    assert_eq!(row.try_get_by_index::<i64>(0).unwrap(), 0, "kept totals differ from the projects");
    let missing = "SELECT COUNT(*) FROM (SELECT fiscal_year, department_id, implementing_unit_id, status FROM projects
          WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4 EXCEPT SELECT fiscal_year, department_id, implementing_unit_id, status
          FROM project_totals WHERE projects > 0) AS counted_but_not_kept";
    let row =
        db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), missing)).await.unwrap().unwrap();
    assert_eq!(row.try_get_by_index::<i64>(0).unwrap(), 0, "projects missing from the kept totals");
}
