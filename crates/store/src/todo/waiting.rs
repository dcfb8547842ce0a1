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
use jixiao_domain::todo::{DeadlineStage, TodoKind};
use jixiao_domain::{Actor, Role, Status};
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
    object: &'static str,
    project: &'static str,
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

/// The statuses of a project in which an item of `kind` waits on it (none for the kinds of other forms).
fn project_statuses(kind: TodoKind) -> &'static [Status] {
    use TodoKind as K;
    match kind {
        K::FillDeclaration => &[Status::Draft],
        K::AnswerReturn => &[Status::Rejected],
        K::AnswerRemarks => &[Status::Draft, Status::Rejected],
        K::FillAdjustment => &[Status::Adjusting],
        K::DepartmentReview => &[Status::DepartmentReview],
        K::BureauReview => &[Status::Submitted, Status::AdjustmentSubmitted],
        _ => &[],
    }
}

/// The projects (of the table `projects`, as a list's query reads it) whose own item is past its
/// deadline on `today`: the declaration not submitted, the department's or the bureau's review not
/// done, by the same deadlines as the to-do list.
pub(crate) fn project_is_overdue(today: chrono::NaiveDate) -> sea_orm::Condition {
    let terms: Vec<String> = TodoKind::ALL
        .iter()
        .filter(|k| !project_statuses(**k).is_empty())
        .filter_map(|k| Some((project_statuses(*k), k.stage()?)))
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

fn part(kind: TodoKind, backend: DbBackend) -> Part {
    use TodoKind as K;
    let plain = |kind, source, filter: String, object, project, since: String, deadline: String| Part {
        kind,
        source,
        filter,
        object,
        project,
        since,
        deadline,
        reason: NO_TEXT.into(),
        remarks: "CAST(0 AS BIGINT)".into(),
    };
    let open_remarks = "FROM review_remarks rr WHERE rr.project_id = p.id AND rr.answer IS NULL";
    match kind {
        K::FillDeclaration => {
            let (source, deadline) = with_deadline(projects(), DeadlineStage::Declaration);
            plain(kind, source, project_status(project_statuses(kind)), "p.id", "p.id", "p.created_at".into(), deadline)
        }
        K::AnswerReturn => {
            let at = last_step("reviews", "project_id", "p.id", Status::Rejected.code(), "at");
            Part {
                reason: last_step("reviews", "project_id", "p.id", Status::Rejected.code(), "comment"),
                ..plain(
                    kind,
                    projects(),
                    project_status(project_statuses(kind)),
                    "p.id",
                    "p.id",
                    format!("COALESCE({at}, p.updated_at)"),
                    NO_DATE.into(),
                )
            }
        }
        K::AnswerRemarks => {
            let filter = format!("{} AND EXISTS (SELECT 1 {open_remarks})", project_status(project_statuses(kind)));
            let since = format!("(SELECT MIN(rr.created_at) {open_remarks})");
            Part {
                remarks: format!("(SELECT COUNT(*) {open_remarks})"),
                ..plain(kind, projects(), filter, "p.id", "p.id", since, NO_DATE.into())
            }
        }
        K::FillAdjustment => plain(
            kind,
            projects(),
            project_status(project_statuses(kind)),
            "p.id",
            "p.id",
            "p.updated_at".into(),
            NO_DATE.into(),
        ),
        K::DepartmentReview => {
            let (source, deadline) = with_deadline(projects(), DeadlineStage::DepartmentReview);
            let filter = project_status(project_statuses(kind));
            plain(kind, source, filter, "p.id", "p.id", "COALESCE(p.submitted_at, p.updated_at)".into(), deadline)
        }
        K::BureauReview => {
            let (source, deadline) = with_deadline(projects(), DeadlineStage::BureauReview);
            let filter = project_status(project_statuses(kind));
            plain(kind, source, filter, "p.id", "p.id", "COALESCE(p.submitted_at, p.updated_at)".into(), deadline)
        }
        K::FillMonitoringReport | K::AnswerMonitoringReport | K::ReviewMonitoringReport => {
            let (status, since, deadline) = match kind {
                K::FillMonitoringReport => (ReportStatus::Draft, "rd.created_at".to_string(), "rd.due_date"),
                K::AnswerMonitoringReport => {
                    let at = last_step(
                        "monitoring_report_reviews",
                        "report_id",
                        "m.id",
                        ReportStatus::Returned.code(),
                        "at",
                    );
                    (ReportStatus::Returned, format!("COALESCE({at}, m.updated_at)"), "rd.due_date")
                }
                _ => (ReportStatus::Submitted, "COALESCE(m.submitted_at, m.updated_at)".to_string(), NO_DATE),
            };
            let reason = if status == ReportStatus::Returned {
                last_step("monitoring_report_reviews", "report_id", "m.id", ReportStatus::Returned.code(), "comment")
            } else {
                NO_TEXT.into()
            };
            let filter = format!("m.status = '{}'", status.code());
            Part { reason, ..plain(kind, reports(), filter, "m.id", "m.project_id", since, deadline.into()) }
        }
        K::StartSelfEvaluation => {
            // Only once the bureau opened the year's self-evaluation by setting its deadline.
            let (source, deadline) = with_deadline(projects(), DeadlineStage::SelfEvaluation);
            let filter = format!(
                "{} AND {deadline} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM self_evaluations s WHERE s.project_id = p.id)",
                project_status(&[Status::Approved])
            );
            plain(kind, source, filter, "p.id", "p.id", "COALESCE(de.set_at, dg.set_at)".into(), deadline)
        }
        K::FillSelfEvaluation | K::AnswerSelfEvaluation | K::ReviewSelfEvaluation => {
            let (status, since) = match kind {
                K::FillSelfEvaluation => (ReportStatus::Draft, "s.created_at".to_string()),
                K::AnswerSelfEvaluation => {
                    let at = last_step(
                        "self_evaluation_reviews",
                        "evaluation_id",
                        "s.id",
                        ReportStatus::Returned.code(),
                        "at",
                    );
                    (ReportStatus::Returned, format!("COALESCE({at}, s.updated_at)"))
                }
                _ => (ReportStatus::Submitted, "COALESCE(s.submitted_at, s.updated_at)".to_string()),
            };
            let (source, deadline) = if status == ReportStatus::Submitted {
                (evaluations(), NO_DATE.to_string())
            } else {
                with_deadline(evaluations(), DeadlineStage::SelfEvaluation)
            };
            let reason = if status == ReportStatus::Returned {
                last_step("self_evaluation_reviews", "evaluation_id", "s.id", ReportStatus::Returned.code(), "comment")
            } else {
                NO_TEXT.into()
            };
            let filter = format!("s.status = '{}'", status.code());
            Part { reason, ..plain(kind, source, filter, "s.id", "s.project_id", since, deadline) }
        }
        K::Rectify => Part {
            reason: "NULLIF(ri.reason, '')".into(),
            ..plain(
                kind,
                items(),
                format!("ri.status = '{}'", RectificationStatus::Open.code()),
                "ri.id",
                "ri.project_id",
                "ri.updated_at".into(),
                "ri.due_on".into(),
            )
        },
        K::ReviewRectification => plain(
            kind,
            items(),
            format!("ri.status = '{}'", RectificationStatus::Answered.code()),
            "ri.id",
            "ri.project_id",
            "COALESCE(ri.submitted_at, ri.updated_at)".into(),
            NO_DATE.into(),
        ),
        K::Publish => {
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
        Whose::Actor(actor) if actor.role == Role::Approver => None,
        Whose::Actor(actor) => Some(("department", sql.bind(actor.department_id.unwrap_or(-1)))),
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
