//! What waits, in SQL: one `SELECT` per kind of item, read from the form's own table by its
//! status, joined together with `UNION ALL`. Every list, count and overdue figure of the to-do
//! screen is built from here, so that the three never disagree.
//!
//! Each part answers the same columns: `kind`, `object_id`, `department_id`, `fiscal_year`,
//! `deadline` and, with detail, `project_id`, `since`, `reason`, `open_remarks`. Statuses are the
//! domain's codes written into the text; what a client sends (a department, a user, a day, a
//! year) is always a bound value.

use jixiao_domain::monitoring::ReportStatus;
use jixiao_domain::publication::DAYS_TO_PUBLISH;
use jixiao_domain::results::RectificationStatus;
use jixiao_domain::todo::{DeadlineStage, TodoKind, Waits};
use jixiao_domain::{Actor, Status};
use sea_orm::{DbBackend, Value};

/// Whose items a statement reads.
#[derive(Clone, Copy, Debug)]
pub(super) enum Whose {
    /// Those waiting for this actor, within what they may see.
    Actor(Actor),
    /// Every kind, of every department, of one fiscal year (the bureau's overdue figures).
    Year(i32),
}

/// A statement's text and its bound values (`$1` …, which both backends read).
#[derive(Default)]
pub(super) struct Sql {
    pub text: String,
    pub values: Vec<Value>,
}

impl Sql {
    /// Binds `value` and answers its placeholder.
    pub fn bind(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        format!("${}", self.values.len())
    }
}

/// Where a part reads its department and year.
struct Source {
    from: String,
    department: &'static str,
    year: &'static str,
}

/// One kind's `SELECT`.
struct Part {
    kind: TodoKind,
    source: Source,
    filter: String,
    object: String,
    project: String,
    since: String,
    deadline: String,
    reason: String,
    remarks: String,
}

fn projects() -> Source {
    Source { from: "projects p".into(), department: "p.department_id", year: "p.fiscal_year" }
}

fn reports() -> Source {
    Source {
        from: "monitoring_reports m JOIN monitoring_rounds rd ON rd.id = m.round_id".into(),
        department: "m.department_id",
        year: "rd.fiscal_year",
    }
}

fn evaluations() -> Source {
    Source { from: "self_evaluations s".into(), department: "s.department_id", year: "s.fiscal_year" }
}

fn items() -> Source {
    Source { from: "rectification_items ri".into(), department: "ri.department_id", year: "ri.fiscal_year" }
}

/// The source joined with the bureau's deadline of `stage` (a department's extension before the
/// general one): answers the source and the deadline's expression.
fn with_deadline(mut source: Source, stage: DeadlineStage) -> (Source, String) {
    let (year, department, code) = (source.year, source.department, stage.code());
    source.from.push_str(&format!(
        " LEFT JOIN deadlines de ON de.fiscal_year = {year} AND de.stage = '{code}' AND de.department_id = {department} \
          LEFT JOIN deadlines dg ON dg.fiscal_year = {year} AND dg.stage = '{code}' AND dg.department_id IS NULL"
    ));
    (source, "COALESCE(de.due_on, dg.due_on)".into())
}

/// The last step of a form's history into `status`: its column `column` (`at`, `comment`).
fn last_step(history: &str, form: &str, id: &str, status: &str, column: &str) -> String {
    format!(
        "(SELECT h.{column} FROM {history} h WHERE h.{form} = {id} AND h.to_status = '{status}' ORDER BY h.id DESC LIMIT 1)"
    )
}

fn codes(statuses: &[Status]) -> String {
    statuses.iter().map(|s| format!("'{}'", s.code())).collect::<Vec<_>>().join(", ")
}

fn project_status(statuses: &[Status]) -> String {
    format!("p.status IN ({}) AND p.deleted_at IS NULL", codes(statuses))
}

/// The projects (of the table `projects`, as a list's query reads it) whose own item is past its
/// deadline on `today`: the declaration not submitted, the department's or the bureau's review not
/// done, by the same deadlines as the to-do list.
pub(crate) fn project_is_overdue(today: chrono::NaiveDate) -> sea_orm::Condition {
    let terms: Vec<String> = TodoKind::ALL
        .iter()
        .filter_map(|k| match k.waits_in() {
            Waits::Project(statuses) => Some((statuses, k.stage()?)),
            _ => None,
        })
        .map(|(statuses, stage)| {
            let deadline = |alias: &str, department: &str| {
                format!(
                    "(SELECT {alias}.due_on FROM deadlines {alias} WHERE {alias}.fiscal_year = projects.fiscal_year \
                     AND {alias}.stage = '{}' AND {alias}.department_id {department})",
                    stage.code()
                )
            };
            format!(
                "(projects.status IN ({}) AND COALESCE({}, {}, '9999-12-31') < $1)",
                codes(statuses),
                deadline("de", "= projects.department_id"),
                deadline("dg", "IS NULL")
            )
        })
        .collect();
    sea_orm::Condition::all()
        .add(sea_orm::sea_query::Expr::cust_with_values(format!("({})", terms.join(" OR ")), [today]))
}

// Typed, so that a union whose parts all lack one still has the column's type.
const NO_DATE: &str = "CAST(NULL AS DATE)";
const NO_ID: &str = "CAST(NULL AS BIGINT)";
const NO_TEXT: &str = "CAST(NULL AS TEXT)";

/// A part with no reason and no remarks.
fn plain(
    kind: TodoKind,
    source: Source,
    filter: String,
    object: &str,
    project: &str,
    since: String,
    deadline: String,
) -> Part {
    Part {
        kind,
        source,
        filter,
        object: object.into(),
        project: project.into(),
        since,
        deadline,
        reason: NO_TEXT.into(),
        remarks: "CAST(0 AS BIGINT)".into(),
    }
}

/// `source` joined with the deadline of `stage`, or as it is with none.
fn timed(source: Source, stage: Option<DeadlineStage>) -> (Source, String) {
    match stage {
        Some(stage) => with_deadline(source, stage),
        None => (source, NO_DATE.into()),
    }
}

fn part(kind: TodoKind, backend: DbBackend) -> Part {
    match kind.waits_in() {
        Waits::Project(statuses) => declaration_part(kind, statuses),
        Waits::EvaluationToStart => {
            // Only once the bureau opened the year's self-evaluation by setting its deadline.
            let (source, deadline) = timed(projects(), kind.stage());
            let filter = format!(
                "{} AND {deadline} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM self_evaluations s WHERE s.project_id = p.id)",
                project_status(&[Status::Approved])
            );
            plain(kind, source, filter, "p.id", "p.id", "COALESCE(de.set_at, dg.set_at)".into(), deadline)
        }
        Waits::MonitoringReport(status) => {
            // A report's deadline is its round's due date.
            let deadline = if kind.stage().is_some() { "rd.due_date" } else { NO_DATE };
            let form = HistoryForm {
                alias: "m",
                history: "monitoring_report_reviews",
                column: "report_id",
                made: "rd.created_at",
            };
            history_part(kind, form, reports(), status, deadline.into())
        }
        Waits::SelfEvaluation(status) => {
            let (source, deadline) = timed(evaluations(), kind.stage());
            let form = HistoryForm {
                alias: "s",
                history: "self_evaluation_reviews",
                column: "evaluation_id",
                made: "s.created_at",
            };
            history_part(kind, form, source, status, deadline)
        }
        Waits::Rectification(status) => {
            let filter = format!("ri.status = '{}'", status.code());
            let (since, deadline) = if status == RectificationStatus::Open {
                ("ri.updated_at", "ri.due_on")
            } else {
                ("COALESCE(ri.submitted_at, ri.updated_at)", NO_DATE)
            };
            let part = plain(kind, items(), filter, "ri.id", "ri.project_id", since.into(), deadline.into());
            // An open item reopened carries the reason it was reopened.
            let reason = if status == RectificationStatus::Open { "NULLIF(ri.reason, '')" } else { NO_TEXT };
            Part { reason: reason.into(), ..part }
        }
        Waits::Publication => {
            // One item per department and year, on its first act (the twenty days run from it),
            // until the year is published.
            let filter = "NOT EXISTS (SELECT 1 FROM publications pb WHERE pb.department_id = a.department_id \
                            AND pb.fiscal_year = a.fiscal_year) \
                          AND NOT EXISTS (SELECT 1 FROM approval_issues a2 WHERE a2.department_id = a.department_id \
                            AND a2.fiscal_year = a.fiscal_year \
                            AND (a2.issued_on < a.issued_on OR (a2.issued_on = a.issued_on AND a2.id < a.id)))";
            let deadline = match backend {
                DbBackend::Sqlite => format!("date(a.issued_on, '+{DAYS_TO_PUBLISH} days')"),
                _ => format!("(a.issued_on + {DAYS_TO_PUBLISH})"),
            };
            let source =
                Source { from: "approval_issues a".into(), department: "a.department_id", year: "a.fiscal_year" };
            plain(kind, source, filter.into(), "a.id", NO_ID, "a.issued_at".into(), deadline)
        }
    }
}

/// An item on a project's declaration: since it was made, sent back (with the reason), remarked
/// on (with the remarks' count) or handed in.
fn declaration_part(kind: TodoKind, statuses: &[Status]) -> Part {
    let (source, deadline) = timed(projects(), kind.stage());
    let filter = project_status(statuses);
    let open_remarks = "FROM review_remarks rr WHERE rr.project_id = p.id AND rr.answer IS NULL";
    let sent_back = |column| last_step("reviews", "project_id", "p.id", Status::Rejected.code(), column);
    match kind {
        TodoKind::AnswerRemarks => Part {
            remarks: format!("(SELECT COUNT(*) {open_remarks})"),
            ..plain(
                kind,
                source,
                format!("{filter} AND EXISTS (SELECT 1 {open_remarks})"),
                "p.id",
                "p.id",
                format!("(SELECT MIN(rr.created_at) {open_remarks})"),
                deadline,
            )
        },
        TodoKind::AnswerReturn => Part {
            reason: sent_back("comment"),
            ..plain(
                kind,
                source,
                filter,
                "p.id",
                "p.id",
                format!("COALESCE({}, p.updated_at)", sent_back("at")),
                deadline,
            )
        },
        TodoKind::FillDeclaration => plain(kind, source, filter, "p.id", "p.id", "p.created_at".into(), deadline),
        TodoKind::FillAdjustment => plain(kind, source, filter, "p.id", "p.id", "p.updated_at".into(), deadline),
        // Handed in: since it was submitted (or passed on).
        _ => plain(kind, source, filter, "p.id", "p.id", "COALESCE(p.submitted_at, p.updated_at)".into(), deadline),
    }
}

/// A form of the reviewed-form lifecycle with a history of the common shape.
struct HistoryForm {
    /// Its table's alias in the source.
    alias: &'static str,
    history: &'static str,
    /// The history's column naming the form.
    column: &'static str,
    /// When one in DRAFT began to wait.
    made: &'static str,
}

/// An item on such a form in `status`: since it was made (DRAFT), sent back (RETURNED, with the
/// reason) or handed in (SUBMITTED).
fn history_part(kind: TodoKind, form: HistoryForm, source: Source, status: ReportStatus, deadline: String) -> Part {
    let a = form.alias;
    let id = format!("{a}.id");
    let returned = |column| last_step(form.history, form.column, &id, ReportStatus::Returned.code(), column);
    let since = match status {
        ReportStatus::Draft => form.made.to_string(),
        ReportStatus::Returned => format!("COALESCE({}, {a}.updated_at)", returned("at")),
        _ => format!("COALESCE({a}.submitted_at, {a}.updated_at)"),
    };
    let filter = format!("{a}.status = '{}'", status.code());
    let part = plain(kind, source, filter, &id, &format!("{a}.project_id"), since, deadline);
    if status == ReportStatus::Returned { Part { reason: returned("comment"), ..part } } else { part }
}

/// The kinds `whose` reads.
fn kinds(whose: &Whose) -> Vec<TodoKind> {
    match whose {
        Whose::Actor(actor) => actor.todo_kinds(),
        Whose::Year(_) => TodoKind::ALL.to_vec(),
    }
}

/// The `UNION ALL` of every part `whose` reads, with or without the detail columns; `None` when
/// nothing can wait for them (admins, security auditors).
pub(super) fn waiting(sql: &mut Sql, whose: Whose, detail: bool, backend: DbBackend) -> Option<String> {
    let kinds = kinds(&whose);
    if kinds.is_empty() {
        return None;
    }
    // A department's own users see their department's; approvers every department's (none of
    // what waits for them is a draft); the bureau's figures a year of every department.
    let scope = match whose {
        Whose::Actor(actor) => actor.todo_department().map(|d| ("department", sql.bind(d))),
        Whose::Year(year) => Some(("year", sql.bind(year))),
    };
    let parts: Vec<String> = kinds
        .into_iter()
        .map(|kind| {
            let p = part(kind, backend);
            let (department, year) = (p.source.department, p.source.year);
            let scope = match &scope {
                Some(("department", n)) => format!(" AND {department} = {n}"),
                Some((_, n)) => format!(" AND {year} = {n}"),
                None => String::new(),
            };
            let detail = if detail {
                format!(
                    ", {} AS project_id, {} AS since, {} AS reason, {} AS open_remarks",
                    p.project, p.since, p.reason, p.remarks
                )
            } else {
                String::new()
            };
            format!(
                "SELECT '{}' AS kind, {} AS object_id, {department} AS department_id, {year} AS fiscal_year, \
                 {} AS deadline{detail} FROM {} WHERE {}{scope}",
                p.kind.code(),
                p.object,
                p.deadline,
                p.source.from,
                p.filter
            )
        })
        .collect();
    Some(parts.join(" UNION ALL "))
}
