//! The migrations on PostgreSQL: one step at a time up, each step's own change checked, and down
//! again with data present, without losing the data the remaining steps hold; `/readyz` says
//! 503 while a step is pending.

use jixiao_migrations::{Migrator, MigratorTrait};
use jixiao_tests::{Server, TestDatabase, jixiao};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

async fn text(db: &DatabaseConnection, sql: &str) -> String {
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get_by_index::<String>(0).unwrap()
}

async fn table_exists(db: &DatabaseConnection, table: &str) -> bool {
    scalar(db, &format!("SELECT count(*) FROM information_schema.tables WHERE table_name = '{table}'")).await == 1
}

async fn column_exists(db: &DatabaseConnection, table: &str, column: &str) -> bool {
    scalar(
        db,
        &format!(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = '{table}' AND column_name = '{column}'"
        ),
    )
    .await
        == 1
}

#[tokio::test]
async fn each_step_goes_up_on_its_own_and_down_with_data_present() {
    let test_db = TestDatabase::create().await;
    let store = jixiao_store::Store::connect(&test_db.url, 4).await.unwrap();
    let db = store.connection().clone();
    let steps = Migrator::migrations().len();
    assert_eq!(steps, 33, "a new step needs its own checks below");

    // 1: the schema. The seed goes in through the import after step 12, so step 1 is checked
    // for its tables here.
    Migrator::up(&db, Some(1)).await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), steps - 1);
    for table in ["departments", "budget_units", "users", "projects", "fund_items", "indicators", "reviews"] {
        assert!(table_exists(&db, table).await, "step 1 makes {table}");
    }
    // A user whose name has capitals, as the command line allowed before step 4.
    db.execute_unprepared(
        "INSERT INTO users (username, display_name, password_hash, role, disabled, created_at)
         VALUES ('ZhangSan', '张三', 'x', 'APPROVER', false, now())",
    )
    .await
    .unwrap();

    // 2: per-username login failures (replaced by step 4).
    Migrator::up(&db, Some(1)).await.unwrap();
    assert!(table_exists(&db, "login_failures").await);

    // 3: the stored copy of each project's findings.
    Migrator::up(&db, Some(1)).await.unwrap();
    assert!(table_exists(&db, "project_findings").await);

    // 4: throttles by username and address, token versions, lower-case usernames.
    Migrator::up(&db, Some(1)).await.unwrap();
    assert!(table_exists(&db, "login_throttles").await && !table_exists(&db, "login_failures").await);
    assert!(column_exists(&db, "users", "token_version").await);
    assert_eq!(scalar(&db, "SELECT count(*) FROM users WHERE username = 'zhangsan'").await, 1, "usernames lower-cased");

    // 5: the project a copied project continues.
    Migrator::up(&db, Some(1)).await.unwrap();
    assert!(column_exists(&db, "projects", "previous_project_id").await);

    // 6: drafts may leave the category and the amounts unknown.
    let nullable = |column: &str| {
        format!(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'projects' AND column_name = '{column}' AND is_nullable = 'YES'"
        )
    };
    assert_eq!(scalar(&db, &nullable("total_fen")).await, 0);
    Migrator::up(&db, Some(1)).await.unwrap();
    for column in ["category", "total_fen", "annual_request_fen", "annual_other_fen"] {
        assert_eq!(scalar(&db, &nullable(column)).await, 1, "{column} may be unknown");
    }

    // 7: the indicator framework a project says it is declared under.
    Migrator::up(&db, Some(1)).await.unwrap();
    assert_eq!(scalar(&db, &nullable("indicator_framework")).await, 1, "NULL: the indicators say");

    // 8: snapshots of approved declarations, and status codes long enough for adjustments.
    let width = |table: &str, column: &str| {
        format!(
            "SELECT character_maximum_length::bigint FROM information_schema.columns WHERE table_name = '{table}' AND column_name = '{column}'"
        )
    };
    assert_eq!(scalar(&db, &width("projects", "status")).await, 16);
    Migrator::up(&db, Some(1)).await.unwrap();
    assert!(table_exists(&db, "project_snapshots").await);
    for (table, column) in [("projects", "status"), ("reviews", "action"), ("reviews", "to_status")] {
        assert_eq!(scalar(&db, &width(table, column)).await, 32, "{table}.{column} holds ADJUSTMENT_SUBMITTED");
    }

    // 9: monitoring rounds, their reports and the reports' history.
    Migrator::up(&db, Some(1)).await.unwrap();
    for table in ["monitoring_rounds", "monitoring_reports", "monitoring_report_reviews"] {
        assert!(table_exists(&db, table).await, "step 9 makes {table}");
    }

    // 10: self-evaluations and their history.
    Migrator::up(&db, Some(1)).await.unwrap();
    assert!(table_exists(&db, "self_evaluations").await && table_exists(&db, "self_evaluation_reviews").await);

    // 11: every change to a user is announced (the instances forget the user they kept).
    let trigger = "SELECT count(*) FROM pg_trigger WHERE tgname = 'users_changed'";
    Migrator::up(&db, Some(1)).await.unwrap();
    assert_eq!(scalar(&db, trigger).await, 1);

    // 12: an index that answers the year's summary by itself.
    let index = "SELECT count(*) FROM pg_indexes WHERE indexname = 'projects_year_unit_summary'";
    Migrator::up(&db, Some(1)).await.unwrap();
    assert_eq!(scalar(&db, index).await, 1);

    // Data in every table, through the import's own code. Not `jixiao import`, which applies
    // every pending step first: the steps after this one must go up with the data there.
    let doc: jixiao_domain::DeclarationDocument = serde_json::from_value(jixiao_tests::fixture()).unwrap();
    store.operator().import(&doc).await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), steps - 12, "the import applied no step");
    let projects = scalar(&db, "SELECT count(*) FROM projects").await;
    let indicators = scalar(&db, "SELECT count(*) FROM indicators").await;
    assert_eq!(projects, 5);

    // 13: totals per year, department, unit and status, kept by a trigger: the projects already
    // there are counted by the step itself, and the next write is counted by the trigger.
    Migrator::up(&db, Some(1)).await.unwrap();
    let kept = "SELECT CAST(SUM(projects) AS BIGINT) FROM project_totals";
    let kept_fen = "SELECT CAST(SUM(annual_request_fen) AS BIGINT) FROM project_totals";
    assert_eq!(scalar(&db, kept).await, 5);
    assert_eq!(scalar(&db, kept_fen).await, 291_417_100, "the seed's 2,914,171.00 yuan");
    db.execute_unprepared("UPDATE projects SET deleted_at = now() WHERE id = (SELECT min(id) FROM projects)")
        .await
        .unwrap();
    assert_eq!(scalar(&db, kept).await, 4);
    db.execute_unprepared("UPDATE projects SET deleted_at = NULL").await.unwrap();

    // 14: the departments approvers are assigned to (对口科室).
    Migrator::up(&db, Some(1)).await.unwrap();
    assert!(table_exists(&db, "approver_assignments").await);
    db.execute_unprepared(
        "INSERT INTO approver_assignments (user_id, department_id, assigned_at)
         SELECT u.id, d.id, now() FROM users u, departments d WHERE u.username = 'zhangsan'",
    )
    .await
    .unwrap();

    // 15: a grade and the four criteria's scores on a review step.
    Migrator::up(&db, Some(1)).await.unwrap();
    assert!(column_exists(&db, "reviews", "grade").await && column_exists(&db, "reviews", "feasibility_score").await);

    // 16: roles as long as DEPARTMENT_REVIEWER.
    Migrator::up(&db, Some(1)).await.unwrap();
    assert_eq!(scalar(&db, &width("users", "role")).await, 32);

    // 17: review remarks and what each submission held.
    Migrator::up(&db, Some(1)).await.unwrap();
    assert!(table_exists(&db, "review_remarks").await && table_exists(&db, "submission_snapshots").await);

    // 18: steps, edits and report steps announced on jixiao_events.
    Migrator::up(&db, Some(1)).await.unwrap();
    let noticed = "SELECT count(*) FROM pg_trigger WHERE tgname IN ('reviews_noticed', 'projects_noticed', 'report_reviews_noticed')";
    assert_eq!(scalar(&db, noticed).await, 3);

    // 19: the totals spread over stripes, counted afresh; the sums are what they were, each
    // stripe row is exact, the trigger counts into the stripes, and going down sums them back.
    let (projects_kept, fen_kept) = (scalar(&db, kept).await, scalar(&db, kept_fen).await);
    Migrator::up(&db, Some(1)).await.unwrap();
    assert!(column_exists(&db, "project_totals", "stripe").await);
    assert_eq!((scalar(&db, kept).await, scalar(&db, kept_fen).await), (projects_kept, fen_kept));
    let stripes_exact = "SELECT count(*) FROM (SELECT fiscal_year, department_id, implementing_unit_id, status, stripe,
          projects, annual_request_fen FROM project_totals WHERE projects <> 0 EXCEPT SELECT fiscal_year, department_id,
          implementing_unit_id, status, (id % 16)::SMALLINT, COUNT(*), COALESCE(SUM(annual_request_fen), 0)
          FROM projects WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4, 5) AS off";
    assert_eq!(scalar(&db, stripes_exact).await, 0);
    db.execute_unprepared("UPDATE projects SET annual_request_fen = annual_request_fen + 100 WHERE id = (SELECT max(id) FROM projects WHERE deleted_at IS NULL AND annual_request_fen IS NOT NULL)")
        .await
        .unwrap();
    assert_eq!(scalar(&db, stripes_exact).await, 0, "the trigger counts into the project's stripe");
    assert_eq!(scalar(&db, kept_fen).await, fen_kept + 100);

    // 20: writes of projects, indicators and budget units announced on jixiao_declarations.
    Migrator::up(&db, Some(1)).await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), steps - 20);
    let declarations_noticed = "SELECT count(*) FROM pg_trigger WHERE tgname IN ('projects_declarations_noticed',
        'indicators_declarations_noticed', 'budget_units_declarations_noticed')";
    assert_eq!(scalar(&db, declarations_noticed).await, 3);
    let mut listener = sea_orm::sqlx::postgres::PgListener::connect(&test_db.url).await.unwrap();
    listener.listen("jixiao_declarations").await.unwrap();
    db.execute_unprepared("UPDATE indicators SET name = name WHERE id = (SELECT min(id) FROM indicators)")
        .await
        .unwrap();
    let heard = tokio::time::timeout(std::time::Duration::from_secs(5), listener.recv()).await;
    assert_eq!(heard.expect("a notice within 5 s").unwrap().payload(), "indicators");

    // 21: the audit trail, append-only at the database.
    Migrator::up(&db, Some(1)).await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), steps - 21);
    db.execute_unprepared(
        "INSERT INTO audit_log (at, actor_id, actor, address, request_id, operation, objects, outcome, detail, prev_hash, hash)
         VALUES (now(), NULL, 'operator', 'local', '-', 'test', '', 'ok', '', '0', '1')",
    )
    .await
    .unwrap();
    for tampering in ["UPDATE audit_log SET outcome = 'FORBIDDEN'", "DELETE FROM audit_log", "TRUNCATE audit_log"] {
        let refused = db.execute_unprepared(tampering).await.expect_err(tampering).to_string();
        assert!(refused.contains("append-only"), "{tampering}: {refused}");
    }
    assert_eq!(scalar(&db, "SELECT count(*) FROM audit_log WHERE outcome = 'ok'").await, 1);

    // 22: each round keeps its budget rule; a round opened before keeps the one it was lit by
    // (the difference by days, 10 and 20), and going back is refused while a round has another.
    db.execute_unprepared(
        "INSERT INTO monitoring_rounds (fiscal_year, name, as_of, due_date, created_by, created_at)
         VALUES (2023, '2023年1-7月', '2023-07-31', '2023-08-15', (SELECT min(id) FROM users), now())",
    )
    .await
    .unwrap();
    Migrator::up(&db, Some(1)).await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), steps - 22);
    let before_rule = "SELECT count(*) FROM monitoring_rounds WHERE budget_comparison = 'DIFFERENCE'
        AND time_basis = 'DAYS' AND lower_threshold = 1000 AND upper_threshold = 2000 AND NOT progress_lights";
    assert_eq!(scalar(&db, before_rule).await, 1, "the round opened before answers as it did");
    db.execute_unprepared("UPDATE monitoring_rounds SET budget_comparison = 'RATIO'").await.unwrap();
    let refused = Migrator::down(&db, Some(1)).await.unwrap_err().to_string();
    assert!(refused.contains("1 monitoring rounds"), "{refused}");
    db.execute_unprepared("UPDATE monitoring_rounds SET budget_comparison = 'DIFFERENCE'").await.unwrap();
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(!column_exists(&db, "monitoring_rounds", "budget_comparison").await);
    assert_eq!(scalar(&db, "SELECT count(*) FROM monitoring_rounds").await, 1, "the round stays");
    db.execute_unprepared("DELETE FROM monitoring_rounds").await.unwrap();

    // 23: a project's notice says its version, status and whether it was deleted, as written;
    // going down, it names the id and version only again.
    Migrator::up(&db, Some(2)).await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), steps - 23);
    let mut events = sea_orm::sqlx::postgres::PgListener::connect(&test_db.url).await.unwrap();
    events.listen("jixiao_events").await.unwrap();
    let edit =
        "UPDATE projects SET version = version + 1 WHERE id = (SELECT min(id) FROM projects WHERE deleted_at IS NULL)";
    let edited = "SELECT 'project:' || id || ':' || version || ':' || status FROM projects
        WHERE id = (SELECT min(id) FROM projects WHERE deleted_at IS NULL)";
    let mut heard = async || {
        let n = tokio::time::timeout(std::time::Duration::from_secs(5), events.recv()).await;
        n.expect("a notice within 5 s").unwrap().payload().to_string()
    };
    db.execute_unprepared(edit).await.unwrap();
    let written = text(&db, edited).await;
    assert_eq!(heard().await, format!("{written}:live"));

    // 24: approved amounts, issuing acts and publications. Every approval so far granted its
    // request: an approved project's own, an adjusting one's as its snapshot in force holds it.
    let statuses_before = text(&db, "SELECT string_agg(status, ',' ORDER BY id) FROM projects").await;
    db.execute_unprepared(
        "UPDATE projects SET status = 'APPROVED' WHERE id = (SELECT min(id) FROM projects WHERE deleted_at IS NULL);
         UPDATE projects SET status = 'ADJUSTING' WHERE id = (SELECT max(id) FROM projects WHERE deleted_at IS NULL);
         INSERT INTO project_snapshots (project_id, version, approved_at, approved_by, reason, comment, declaration)
         SELECT max(id), 1, now(), NULL, '', '',
                '{\"declaration\":{\"funds\":{\"annualRequest\":\"1234567.89\"}},\"fundItemIds\":[],\"indicatorIds\":[]}'
           FROM projects WHERE deleted_at IS NULL",
    )
    .await
    .unwrap();
    let approved_first = "SELECT COALESCE(approved_fen, -1) FROM projects WHERE id = (SELECT min(id) FROM projects WHERE deleted_at IS NULL)";
    let request_first =
        "SELECT annual_request_fen FROM projects WHERE id = (SELECT min(id) FROM projects WHERE deleted_at IS NULL)";
    let approved_last = "SELECT COALESCE(approved_fen, -1) FROM projects WHERE id = (SELECT max(id) FROM projects WHERE deleted_at IS NULL)";
    let kept_approved = "SELECT CAST(SUM(approved_fen) AS BIGINT) FROM project_totals";
    Migrator::up(&db, Some(1)).await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), steps - 24);
    assert!(table_exists(&db, "approval_issues").await && table_exists(&db, "publications").await);
    assert_eq!(scalar(&db, approved_first).await, scalar(&db, request_first).await, "approved as requested");
    assert_eq!(scalar(&db, approved_last).await, 123_456_789, "the request in force, from its snapshot");
    assert_eq!(scalar(&db, "SELECT approved_fen FROM project_snapshots").await, 123_456_789);
    assert_eq!(
        scalar(&db, "SELECT count(*) FROM projects WHERE approved_fen IS NOT NULL").await,
        2,
        "the drafts: none"
    );
    let approved_total = scalar(&db, request_first).await + 123_456_789;
    assert_eq!(scalar(&db, kept_approved).await, approved_total, "the totals sum the approved amounts");
    let cut_first = "UPDATE projects SET approved_fen = approved_fen - 100 WHERE id = (SELECT min(id) FROM projects WHERE deleted_at IS NULL)";
    db.execute_unprepared(cut_first).await.unwrap();
    assert_eq!(scalar(&db, kept_approved).await, approved_total - 100, "the trigger counts a new approved amount");
    // 25: the bureau's evaluations, the year's rules, rectification items and decisions; going
    // down is refused while one holds a row.
    Migrator::up(&db, Some(1)).await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), steps - 25);
    for table in ["finance_evaluations", "result_rules", "rectification_items", "budget_decisions"] {
        assert!(table_exists(&db, table).await, "step 25 makes {table}");
    }
    // 26: the trusted documents; going down is refused while one is loaded.
    Migrator::up(&db, Some(1)).await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), steps - 26);
    assert!(table_exists(&db, "trusted_documents").await, "step 26 makes trusted_documents");
    db.execute_unprepared(
        "INSERT INTO trusted_documents (id, document, added_by, added_at) VALUES ('sha256:ab', '{ me { id } }', 'ops', now())",
    )
    .await
    .unwrap();
    let refused = Migrator::down(&db, Some(1)).await.unwrap_err().to_string();
    assert!(refused.contains("trusted_documents holds documents"), "{refused}");
    db.execute_unprepared("DELETE FROM trusted_documents").await.unwrap();
    // 27: a rectification item's history and the time it was answered; going down is refused
    // while a step is recorded.
    Migrator::up(&db, Some(1)).await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), steps - 27);
    assert!(table_exists(&db, "rectification_item_steps").await, "step 27 makes rectification_item_steps");
    assert!(column_exists(&db, "rectification_items", "submitted_at").await);
    // 28: the year's deadlines and their changes: one general deadline per year and stage and one
    // extension per department; going down is refused while one is set.
    Migrator::up(&db, Some(1)).await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), steps - 28);
    assert!(table_exists(&db, "deadlines").await && table_exists(&db, "deadline_changes").await);
    // 29: the indicator library: one confirmed entry of a name per scope and level 2 (a common
    // one and a department's may share it), each row's link to its entry; going down is refused
    // while the library holds an entry.
    Migrator::up(&db, Some(1)).await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), steps - 29);
    assert!(column_exists(&db, "indicators", "library_entry_id").await);
    // 30: every table but the unannounced announces its writes on `jixiao_changes` (kept answers
    // are dropped); down takes every such trigger and the function away.
    let tables = "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()";
    let announcing = "SELECT count(*) FROM pg_trigger WHERE tgname LIKE '%\\_changes\\_noticed'";
    Migrator::up(&db, Some(1)).await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), steps - 30);
    let unannounced = jixiao_migrations::m20261207_000030_change_notices::UNANNOUNCED.len() as i64;
    assert_eq!(scalar(&db, announcing).await, scalar(&db, tables).await - unannounced);
    // 31: departments' overall goals, one form per department and year, and their history, both
    // announcing their writes; going down is refused while a form is kept.
    Migrator::up(&db, Some(1)).await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), steps - 31);
    assert_eq!(scalar(&db, announcing).await, scalar(&db, tables).await - unannounced);
    let form = "INSERT INTO department_goals (department_id, fiscal_year, status, version, functions, overall_goal,
         tasks, personnel_fen, public_fen, income_fiscal_fen, income_other_fen, indicators, next_row_id, created_at,
         updated_at) SELECT min(id), 2023, 'ADJUSTMENT_SUBMITTED', 1, '', '', '[]', 0, 0, 0, 0, '[]', 1, now(), now()
         FROM departments";
    db.execute_unprepared(form).await.unwrap();
    assert!(db.execute_unprepared(form).await.is_err(), "a second form of one department and year");
    db.execute_unprepared(
        "INSERT INTO department_goal_reviews (form_id, action, from_status, to_status, actor_id, comment, at)
         SELECT min(id), 'START_ADJUSTMENT', 'ADJUSTMENT_SUBMITTED', 'ADJUSTMENT_SUBMITTED', (SELECT min(id) FROM users), '', now()
         FROM department_goals",
    )
    .await
    .expect("a project's longest codes fit the history");
    // 32: the goals monitored (a report per round and form) and self-evaluated (one per form),
    // with their histories, all announcing their writes; going down is refused while one is kept.
    Migrator::up(&db, Some(1)).await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), steps - 32);
    assert_eq!(scalar(&db, announcing).await, scalar(&db, tables).await - unannounced);
    // 33: each step of the goals, of their reports and of their self-evaluations announced to
    // subscribers by one function; down takes the three triggers and the function away.
    let step_notices = "SELECT count(*) FROM pg_trigger WHERE tgname IN ('department_goal_reviews_noticed',
         'department_goal_report_reviews_noticed', 'department_goal_evaluation_reviews_noticed')";
    let step_function = "SELECT count(*) FROM pg_proc WHERE proname = 'jixiao_step_noticed'";
    Migrator::up(&db, Some(1)).await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), 0);
    assert_eq!((scalar(&db, step_notices).await, scalar(&db, step_function).await), (3, 1));
    Migrator::down(&db, Some(1)).await.unwrap();
    assert_eq!((scalar(&db, step_notices).await, scalar(&db, step_function).await), (0, 0));
    Migrator::up(&db, Some(1)).await.unwrap();
    Migrator::down(&db, Some(1)).await.unwrap();
    db.execute_unprepared(
        "INSERT INTO monitoring_rounds (fiscal_year, name, as_of, due_date, created_by, created_at)
         VALUES (2023, '2023年全年', '2023-12-31', '2024-01-15', (SELECT min(id) FROM users), now())",
    )
    .await
    .unwrap();
    let report = "INSERT INTO department_goal_reports (goals_id, department_id, status, version, annual_request_fen,
         approved_fen, created_at, updated_at, round_id, indicators)
         SELECT (SELECT min(id) FROM department_goals), min(department_id), 'DRAFT', 1, 0, 0, now(), now(),
         (SELECT min(id) FROM monitoring_rounds), '{}' FROM department_goals";
    db.execute_unprepared(report).await.unwrap();
    assert!(db.execute_unprepared(report).await.is_err(), "a second report of one form in one round");
    let refused = Migrator::down(&db, Some(1)).await.unwrap_err().to_string();
    assert!(refused.contains("department_goal_reports holds"), "{refused}");
    db.execute_unprepared("DELETE FROM department_goal_reports").await.unwrap();
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(
        !table_exists(&db, "department_goal_reports").await && !table_exists(&db, "department_goal_evaluations").await
    );
    let refused = Migrator::down(&db, Some(1)).await.unwrap_err().to_string();
    assert!(refused.contains("department_goals holds"), "{refused}");
    db.execute_unprepared("DELETE FROM department_goal_reviews; DELETE FROM department_goals").await.unwrap();
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(!table_exists(&db, "department_goals").await && !table_exists(&db, "department_goal_reviews").await);
    Migrator::down(&db, Some(1)).await.unwrap();
    assert_eq!(scalar(&db, announcing).await, 0);
    assert_eq!(scalar(&db, "SELECT count(*) FROM pg_proc WHERE proname = 'jixiao_changes_noticed'").await, 0);
    let entry = |department: &str, status: &str| {
        format!(
            "INSERT INTO library_entries (scope, department_id, level1, level2, name, unit, direction, definition,
             formula, value_basis, status, aliases, version, created_by, created_at, updated_at)
             VALUES ('COMMON', {department}, 'SATISFACTION', 'SERVICE_SATISFACTION', '群众满意度', '%', 'HIGHER_IS_BETTER',
             '', '', 'HISTORY', '{status}', '[]', 1, (SELECT min(id) FROM users), now(), now())"
        )
    };
    db.execute_unprepared(&entry("NULL", "CONFIRMED")).await.unwrap();
    assert!(db.execute_unprepared(&entry("NULL", "CONFIRMED")).await.is_err(), "a second confirmed common entry");
    db.execute_unprepared(&entry("NULL", "RETIRED")).await.unwrap();
    db.execute_unprepared(&entry("(SELECT min(id) FROM departments)", "CONFIRMED")).await.unwrap();
    let refused = Migrator::down(&db, Some(1)).await.unwrap_err().to_string();
    assert!(refused.contains("library_entries holds the indicator library"), "{refused}");
    db.execute_unprepared("DELETE FROM library_entries").await.unwrap();
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(!table_exists(&db, "library_entries").await && !column_exists(&db, "indicators", "library_entry_id").await);
    let set = |department: &str| {
        format!(
            "INSERT INTO deadlines (fiscal_year, stage, department_id, due_on, set_by, set_at)
             VALUES (2023, 'DECLARATION', {department}, '2022-10-31', (SELECT min(id) FROM users), now())"
        )
    };
    db.execute_unprepared(&set("NULL")).await.unwrap();
    assert!(db.execute_unprepared(&set("NULL")).await.is_err(), "a second general deadline of the same stage");
    db.execute_unprepared(&set("(SELECT min(id) FROM departments)")).await.unwrap();
    assert!(db.execute_unprepared(&set("(SELECT min(id) FROM departments)")).await.is_err(), "a second extension");
    let refused = Migrator::down(&db, Some(1)).await.unwrap_err().to_string();
    assert!(refused.contains("deadlines holds the year's deadlines"), "{refused}");
    db.execute_unprepared("DELETE FROM deadlines").await.unwrap();
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(!table_exists(&db, "deadlines").await && !table_exists(&db, "deadline_changes").await);
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(!table_exists(&db, "rectification_item_steps").await);
    assert!(!column_exists(&db, "rectification_items", "submitted_at").await);
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(!table_exists(&db, "trusted_documents").await);
    db.execute_unprepared(
        "INSERT INTO result_rules (fiscal_year, grade, action, cut, hold, set_by, set_at)
         VALUES (2024, 'FAIR', 'REDUCE', 1500, false, (SELECT min(id) FROM users), now())",
    )
    .await
    .unwrap();
    let refused = Migrator::down(&db, Some(1)).await.unwrap_err().to_string();
    assert!(refused.contains("1 evaluations, rules, rectification items or decisions"), "{refused}");
    db.execute_unprepared("DELETE FROM result_rules").await.unwrap();
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(!table_exists(&db, "result_rules").await && !table_exists(&db, "rectification_items").await);

    db.execute_unprepared(
        "INSERT INTO approval_issues (department_id, fiscal_year, document_no, issued_on, issued_by, issued_at)
         SELECT min(id), 2023, '松财预〔2023〕1号', '2023-01-20', (SELECT min(id) FROM users), now() FROM departments",
    )
    .await
    .unwrap();
    let refused = Migrator::down(&db, Some(1)).await.unwrap_err().to_string();
    assert!(refused.contains("2 issuing acts, publications or cut approvals"), "{refused}");
    db.execute_unprepared("DELETE FROM approval_issues; UPDATE projects SET approved_fen = approved_fen + 100 WHERE approved_fen IS NOT NULL AND status = 'APPROVED'")
        .await
        .unwrap();
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(!table_exists(&db, "approval_issues").await && !column_exists(&db, "projects", "approved_fen").await);
    assert!(!column_exists(&db, "project_totals", "approved_fen").await);
    db.execute_unprepared("DELETE FROM project_snapshots WHERE declaration LIKE '%1234567.89%'").await.unwrap();
    db.execute_unprepared(&format!(
        "UPDATE projects p SET status = s.status FROM (SELECT id, split_part('{statuses_before}', ',',          (row_number() OVER (ORDER BY id))::int) AS status FROM projects) s WHERE p.id = s.id"
    ))
    .await
    .unwrap();
    assert_eq!(text(&db, "SELECT string_agg(status, ',' ORDER BY id) FROM projects").await, statuses_before);
    Migrator::down(&db, Some(2)).await.unwrap();
    db.execute_unprepared(edit).await.unwrap();
    let written = text(&db, edited).await;
    assert_eq!(heard().await, written.rsplit_once(':').unwrap().0, "the notice of migration 18");

    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(!table_exists(&db, "audit_log").await && !table_exists(&db, "audit_prune_permits").await);
    assert_eq!(scalar(&db, "SELECT count(*) FROM pg_proc WHERE proname = 'audit_log_append_only'").await, 0);

    Migrator::down(&db, Some(1)).await.unwrap();
    assert_eq!(scalar(&db, declarations_noticed).await, 0);
    assert_eq!(scalar(&db, "SELECT count(*) FROM pg_proc WHERE proname = 'jixiao_declarations_noticed'").await, 0);

    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(!column_exists(&db, "project_totals", "stripe").await);
    assert_eq!((scalar(&db, kept).await, scalar(&db, kept_fen).await), (projects_kept, fen_kept + 100));
    db.execute_unprepared("UPDATE projects SET annual_request_fen = annual_request_fen - 100 WHERE id = (SELECT max(id) FROM projects WHERE deleted_at IS NULL AND annual_request_fen IS NOT NULL)")
        .await
        .unwrap();
    assert_eq!(scalar(&db, kept_fen).await, fen_kept, "the single-row trigger is back");

    Migrator::down(&db, Some(1)).await.unwrap();
    assert_eq!(scalar(&db, noticed).await, 0);
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(!table_exists(&db, "review_remarks").await && !table_exists(&db, "submission_snapshots").await);

    db.execute_unprepared("UPDATE users SET role = 'DEPARTMENT_REVIEWER' WHERE username = 'zhangsan'").await.unwrap();
    let refused = Migrator::down(&db, Some(1)).await.unwrap_err().to_string();
    assert!(refused.contains("1 department reviewers"), "{refused}");
    db.execute_unprepared("UPDATE users SET role = 'APPROVER' WHERE username = 'zhangsan'").await.unwrap();
    Migrator::down(&db, Some(1)).await.unwrap();
    assert_eq!(scalar(&db, &width("users", "role")).await, 16, "narrow again");

    // Down one step at a time with the data there: each step removes only what it added. Step
    // 15 goes back only while nothing was graded.
    let reviews = scalar(&db, "SELECT count(*) FROM reviews").await;
    db.execute_unprepared("UPDATE projects SET status = 'NOT_APPROVED' WHERE id = (SELECT min(id) FROM projects)")
        .await
        .unwrap();
    let refused = Migrator::down(&db, Some(1)).await.unwrap_err().to_string();
    assert!(refused.contains("1 graded decisions or NOT_APPROVED projects"), "{refused}");
    db.execute_unprepared("UPDATE projects SET status = 'APPROVED' WHERE status = 'NOT_APPROVED'").await.unwrap();
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(
        !column_exists(&db, "reviews", "grade").await && !column_exists(&db, "reviews", "completeness_score").await
    );
    assert_eq!(scalar(&db, "SELECT count(*) FROM reviews").await, reviews, "the review steps stay");
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(!table_exists(&db, "approver_assignments").await);
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(!table_exists(&db, "project_totals").await);
    assert_eq!(scalar(&db, "SELECT count(*) FROM pg_trigger WHERE tgname = 'projects_counted'").await, 0);
    Migrator::down(&db, Some(1)).await.unwrap();
    assert_eq!(scalar(&db, index).await, 0);
    Migrator::down(&db, Some(1)).await.unwrap();
    assert_eq!(scalar(&db, trigger).await, 0);
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(!table_exists(&db, "self_evaluations").await);
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(!table_exists(&db, "monitoring_reports").await && !table_exists(&db, "monitoring_rounds").await);
    // Step 8
    // goes back only while no project is being adjusted, step 6 while no amount is unknown.
    db.execute_unprepared("UPDATE projects SET status = 'ADJUSTING' WHERE id = (SELECT min(id) FROM projects)")
        .await
        .unwrap();
    let refused = Migrator::down(&db, Some(1)).await.unwrap_err().to_string();
    assert!(refused.contains("1 projects are being adjusted"), "{refused}");
    db.execute_unprepared("UPDATE projects SET status = 'APPROVED' WHERE status = 'ADJUSTING'").await.unwrap();
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(!table_exists(&db, "project_snapshots").await);
    assert_eq!(scalar(&db, &width("projects", "status")).await, 16, "narrow again");
    db.execute_unprepared(
        "UPDATE projects SET indicator_framework = 'CENTRAL_2021' WHERE id = (SELECT min(id) FROM projects)",
    )
    .await
    .unwrap();
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(!column_exists(&db, "projects", "indicator_framework").await);
    db.execute_unprepared("UPDATE projects SET other_fen = NULL WHERE id = (SELECT min(id) FROM projects)")
        .await
        .unwrap();
    let refused = Migrator::down(&db, Some(1)).await.unwrap_err().to_string();
    assert!(refused.contains("1 projects hold an unknown"), "{refused}");
    db.execute_unprepared("UPDATE projects SET other_fen = 0 WHERE other_fen IS NULL").await.unwrap();
    Migrator::down(&db, Some(1)).await.unwrap();
    assert_eq!(scalar(&db, &nullable("total_fen")).await, 0, "required again");
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(!column_exists(&db, "projects", "previous_project_id").await);
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(!column_exists(&db, "users", "token_version").await && table_exists(&db, "login_failures").await);
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(!table_exists(&db, "project_findings").await);
    Migrator::down(&db, Some(1)).await.unwrap();
    assert!(!table_exists(&db, "login_failures").await);
    assert_eq!(scalar(&db, "SELECT count(*) FROM projects").await, projects, "the declarations survive");
    assert_eq!(scalar(&db, "SELECT count(*) FROM indicators").await, indicators);
    assert_eq!(scalar(&db, "SELECT count(*) FROM users").await, 1);

    // And up again over the same data.
    Migrator::up(&db, None).await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), 0);
    assert_eq!(scalar(&db, "SELECT count(*) FROM projects").await, projects);
    let out = jixiao(&test_db.url, &["refresh-findings"], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(scalar(&db, "SELECT count(*) FROM project_findings").await > 0, "findings rebuilt for the old projects");

    // The last step down too: step 1 drops the schema.
    Migrator::down(&db, None).await.unwrap();
    assert_eq!(store.pending_migrations().await.unwrap(), steps);
    assert!(!table_exists(&db, "projects").await);
}

#[tokio::test]
async fn readyz_says_503_while_a_migration_is_pending() {
    let test_db = TestDatabase::create().await;
    let store = test_db.store().await;
    let server = Server::start(&test_db.url).await;
    let client = jixiao_tests::Client::new(&server.base_url);
    assert_eq!(client.get("/readyz").await.0, 200);
    Migrator::down(store.connection(), Some(1)).await.unwrap();
    let (status, body) = client.get("/readyz").await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("migrat"), "the answer says why: {body}");
    assert_eq!(client.get("/healthz").await.0, 200, "the process itself is fine");
    Migrator::up(store.connection(), None).await.unwrap();
    assert_eq!(client.get("/readyz").await.0, 200);
}
