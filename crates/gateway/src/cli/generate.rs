//! `jixiao generate`: a realistic declaration set of a chosen size, for benchmarks;
//! deterministic from a seed. It writes the way everyone writes: each department's declaration
//! is a document imported as `jixiao import` imports one (every project checked, its findings
//! stored), and each project is then moved to its status by the workflow (submitted by the
//! department's submitter, approved or sent back by an approver, each step a review row).

use jixiao_domain::document::{OrgRef, StatedSummary};
use jixiao_domain::{
    Actor, Category, DeclarationDocument, FormText, FundItemInput, FundsInput, IndicatorInput, Level1, Level2, Message,
    Money, ReviewAction, Role, Sections,
};
use jixiao_store::{NewUser, ProjectFilter, ProjectOrder, Store, StoreError};

use super::Cli;
use super::say::{failed, tell};
use crate::auth::password;

#[derive(Clone, Copy, Debug)]
pub struct GenerateSpec {
    pub departments: u32,
    pub projects_per_department: u32,
    pub indicators_per_project: u32,
    pub fiscal_year: i32,
    pub seed: u64,
}

/// A small, fast, deterministic generator (xorshift64*): the same seed gives the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Indicators in the order they are handed out: the first eight cover every level 1 and every
/// kind of output, so a project with eight or more may be submitted.
const PAIRS: [(Level1, Level2, &str, &[&str]); 8] = [
    (Level1::Output, Level2::Quantity, "任务完成率", &["=100%", ">=95%", ">=90%"]),
    (Level1::Output, Level2::Quality, "验收合格率", &[">=98%", "=100%"]),
    (Level1::Output, Level2::Timeliness, "按时完成率", &[">=95%", "<=30天"]),
    (Level1::Benefit, Level2::SocialBenefit, "社会效益", &["提高", "显著"]),
    (Level1::Satisfaction, Level2::ServiceSatisfaction, "服务对象满意度", &[">=85%", ">=90%"]),
    (Level1::Output, Level2::Cost, "成本控制", &["良好", "<=100万元"]),
    (Level1::Benefit, Level2::EconomicBenefit, "经济效益", &["提高"]),
    (Level1::Benefit, Level2::SustainableImpact, "长效机制", &["有效", "建立"]),
];

/// Where a generated project ends up: a quarter each.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Draft,
    Submitted,
    Approved,
    Rejected,
}

/// Department `d`'s declaration, and the status each of its projects is to reach.
fn document(spec: &GenerateSpec, d: u32, rng: &mut Rng) -> (DeclarationDocument, Vec<Outcome>) {
    let department = OrgRef { code: format!("GEN-D{d:04}"), name: format!("生成部门 {d:04}") };
    let unit = OrgRef { code: format!("GEN-D{d:04}-U1"), name: format!("生成部门 {d:04} 本级") };
    let categories = [Category::Recurring, Category::OneOff, Category::Phased];
    let outcomes = [Outcome::Draft, Outcome::Submitted, Outcome::Approved, Outcome::Rejected];
    let year = spec.fiscal_year;
    let mut projects = Vec::new();
    let mut statuses = Vec::new();
    for p in 1..=spec.projects_per_department {
        statuses.push(outcomes[rng.below(4) as usize]);
        let category = categories[rng.below(3) as usize];
        let annual = Money::from_fen(10_000_00 + rng.below(5_000_000_00) as i64);
        let total = if category == Category::Phased { Money::from_fen(annual.fen() * 3) } else { annual };
        let half = Money::from_fen(annual.fen() / 2);
        let indicators = (0..spec.indicators_per_project)
            .map(|k| {
                let (level1, level2, name, targets) = PAIRS[k as usize % PAIRS.len()];
                IndicatorInput {
                    level1,
                    level2,
                    name: format!("{name}{}", k / PAIRS.len() as u32 + 1),
                    target: targets[rng.below(targets.len() as u64) as usize].to_string(),
                    note: None,
                    library_entry_id: None,
                }
            })
            .collect();
        projects.push(jixiao_domain::document::DocumentProject {
            text: FormText {
                name: format!("生成项目 D{d:04}-P{p:05}"),
                category: Some(category),
                planned_start: chrono::NaiveDate::from_ymd_opt(year, 1 + rng.below(6) as u32, 1),
                planned_end: chrono::NaiveDate::from_ymd_opt(year, 12, 31),
                sections: Sections {
                    overview: "为提升公共服务水平而设立的项目，概述其背景、内容与范围。".into(),
                    basis: "依据相关文件规定立项。".into(),
                    implementing_body: unit.name.clone(),
                    plan: "一是明确任务；二是加强管理；三是注重成效。".into(),
                    cycle: format!("{year} 年 1 月 1 日—{year} 年 12 月 31 日"),
                    budget_arrangement: format!("年度预算 {annual} 元。"),
                },
                overall_goal: "提升服务质量，增强群众获得感。".into(),
                annual_goal: "完成年度任务，群众满意度稳步提高。".into(),
                indicator_framework: None,
            },
            competent_department: department.name.clone(),
            implementing_unit: unit.name.clone(),
            funds: FundsInput {
                total: Some(total.to_string()),
                fiscal: Some(total.to_string()),
                other: Some("0.00".into()),
                annual_request: Some(annual.to_string()),
                current_year_appropriation: Some(annual.to_string()),
                carryover: Some("0.00".into()),
                annual_other: Some("0.00".into()),
            },
            fund_items: vec![
                FundItemInput { name: "人员经费".into(), amount: half.to_string() },
                FundItemInput {
                    name: "业务经费".into(),
                    amount: Money::from_fen(annual.fen() - half.fen()).to_string(),
                },
            ],
            indicators,
        });
    }
    let doc = DeclarationDocument {
        title: None,
        fiscal_year: year,
        department,
        budget_units: vec![unit],
        stated_summary: None::<StatedSummary>,
        computed_total_funds: None,
        projects,
    };
    (doc, statuses)
}

/// The user `username`, made with `role` (and department) when it does not exist yet.
async fn user(
    store: &Store,
    username: &str,
    role: Role,
    department_id: Option<i64>,
    hash: &str,
) -> Result<Actor, String> {
    let existing = store.user_by_username(username).await.map_err(|e| e.to_string())?;
    let user = match existing {
        Some(u) => u,
        None => store
            .operator()
            .create_user(NewUser { username, display_name: username, role, department_id, password_hash: hash })
            .await
            .map_err(|e| e.to_string())?,
    };
    Ok(Actor { user_id: user.id, role, department_id })
}

/// Departments written at once (each in its own transactions).
const AT_ONCE: u32 = 4;

pub async fn run(cli: &Cli, spec: GenerateSpec) -> Result<(), Message> {
    let (store, _) = super::open(cli, AT_ONCE * 2).await?;
    let started = std::time::Instant::now();
    let written = write_all(&store, &spec).await.map_err(|e| failed("生成数据失败", "generating failed", e))?;
    let (departments, seconds) = (spec.departments, started.elapsed().as_secs_f64());
    tell(Message::new(
        format!("已生成 {written} 个项目，分属 {departments} 个部门，用时 {seconds:.1} 秒"),
        format!("generated {written} projects in {departments} departments in {seconds:.1} s"),
    ));
    Ok(())
}

/// Writes every department of `spec`; returns how many projects were new.
async fn write_all(store: &Store, spec: &GenerateSpec) -> Result<usize, String> {
    // The generator's users sign in with a password nobody knows.
    let hash = password::hash(&hex(&password::random_bytes::<24>()))?;
    let approver = user(store, "gen-approver", Role::Approver, None, &hash).await?;
    let mut rng = Rng(spec.seed.max(1));
    let mut written = 0;
    let mut d = 1;
    while d <= spec.departments {
        // The documents are made one after another, so the data depends on the seed alone.
        let mut batch = tokio::task::JoinSet::new();
        for d in d..=(d + AT_ONCE - 1).min(spec.departments) {
            let (doc, outcomes) = document(spec, d, &mut rng);
            let (store, hash) = (store.clone(), hash.clone());
            batch.spawn(async move { write_department(&store, d, &doc, &outcomes, approver, &hash).await });
        }
        while let Some(done) = batch.join_next().await {
            written += done.map_err(|e| e.to_string())??;
        }
        d += AT_ONCE;
        tracing::info!(departments = (d - 1).min(spec.departments), projects = written, "generating");
    }
    Ok(written)
}

/// Imports department `d`'s document, then takes each new project to its status through the
/// workflow; returns how many projects were new.
async fn write_department(
    store: &Store,
    d: u32,
    doc: &DeclarationDocument,
    outcomes: &[Outcome],
    approver: Actor,
    hash: &str,
) -> Result<usize, String> {
    let report = store.operator().import(doc).await.map_err(|e| format!("department {d}: {e}"))?;
    let submitter = user(store, &format!("gen-d{d:04}"), Role::Submitter, Some(report.department.id), hash).await?;
    let operator = Actor { user_id: 0, role: Role::Admin, department_id: None };
    let filter = ProjectFilter {
        department_id: Some(report.department.id),
        fiscal_year: Some(doc.fiscal_year),
        ..Default::default()
    };
    let rows = store
        .projects(operator)
        .list(&jixiao_store::PageOf {
            filter: &filter,
            order: ProjectOrder::default(),
            from: None,
            backward: false,
            limit: outcomes.len() as u64 + 1,
        })
        .await
        .map_err(|e| e.to_string())?;
    // Imported in the document's order, so in creation order the rows meet their outcomes.
    for (record, outcome) in rows.iter().zip(outcomes) {
        if !report.created.contains(&record.text.name) {
            continue;
        }
        let steps: &[(Actor, ReviewAction, &str)] = match outcome {
            Outcome::Draft => &[],
            Outcome::Submitted => &[(submitter, ReviewAction::Submit, "")],
            Outcome::Approved => &[(submitter, ReviewAction::Submit, ""), (approver, ReviewAction::Approve, "同意")],
            Outcome::Rejected => {
                &[(submitter, ReviewAction::Submit, ""), (approver, ReviewAction::Reject, "请补充测算依据")]
            }
        };
        for (actor, action, comment) in steps {
            store.projects(*actor).transition(record.id, *action, comment).await.map_err(|e| match e {
                StoreError::Rejected(problems) => format!("{}: {problems:?}", record.text.name),
                other => other.to_string(),
            })?;
        }
    }
    Ok(report.created.len())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
