//! A realistic declaration set of a chosen size, for benchmarks: departments, each with a budget
//! unit and its projects, each project with funds, fund items and indicators. Deterministic from
//! a seed, and written in bulk (a few statements per batch of projects).

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use jixiao_domain::{Category, Level1, Level2, Status};
use sea_orm::{ActiveValue::NotSet, ActiveValue::Set, EntityTrait, TransactionTrait};

use crate::Store;
use crate::entity::{fund_item, indicator, project, project_finding};
use crate::error::StoreResult;
use crate::organization::{insert_budget_unit, insert_department};

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

const PAIRS: [(Level1, Level2, &str, &[&str]); 8] = [
    (Level1::Output, Level2::Quantity, "任务完成率", &["=100%", ">=95%", ">=90%"]),
    (Level1::Output, Level2::Quality, "验收合格率", &[">=98%", "=100%"]),
    (Level1::Output, Level2::Timeliness, "按时完成率", &[">=95%", "<=30天"]),
    (Level1::Output, Level2::Cost, "成本控制", &["良好", "<=100万元"]),
    (Level1::Benefit, Level2::SocialBenefit, "社会效益", &["提高", "显著"]),
    (Level1::Benefit, Level2::EconomicBenefit, "经济效益", &["提高"]),
    (Level1::Benefit, Level2::SustainableImpact, "长效机制", &["有效", "建立"]),
    (Level1::Satisfaction, Level2::ServiceSatisfaction, "服务对象满意度", &[">=85%", ">=90%"]),
];

const BATCH: u32 = 500;

impl Store {
    /// Writes the data set; returns how many projects were written. Departments are coded
    /// `GEN-D0001` …, so a second run with the same spec is refused by the unique codes.
    pub async fn generate(&self, spec: GenerateSpec, mut progress: impl FnMut(u32, u32)) -> StoreResult<u32> {
        let mut rng = Rng(spec.seed.max(1));
        let statuses = [Status::Draft, Status::Submitted, Status::Approved, Status::Rejected];
        let categories = [Category::Recurring, Category::OneOff, Category::Phased];
        let mut written = 0;
        let epoch = Utc.with_ymd_and_hms(spec.fiscal_year - 1, 10, 1, 0, 0, 0).single().unwrap_or_else(Utc::now);
        for d in 1..=spec.departments {
            let txn = self.db.begin().await?;
            let dept = insert_department(&txn, &format!("GEN-D{d:04}"), &format!("生成部门 {d:04}")).await?;
            let unit =
                insert_budget_unit(&txn, dept.id, &format!("GEN-D{d:04}-U1"), &format!("生成部门 {d:04} 本级")).await?;
            let mut p = 0;
            while p < spec.projects_per_department {
                let n = BATCH.min(spec.projects_per_department - p);
                let mut rows = Vec::with_capacity(n as usize);
                for i in 0..n {
                    let status = statuses[rng.below(4) as usize];
                    let category = categories[rng.below(3) as usize];
                    let annual = 10_000_00 + rng.below(5_000_000_00) as i64;
                    let total = if category == Category::Phased { annual * 3 } else { annual };
                    let created = epoch + Duration::minutes((p + i) as i64 * 7 + rng.below(5) as i64);
                    let start = NaiveDate::from_ymd_opt(spec.fiscal_year, 1 + rng.below(6) as u32, 1);
                    rows.push(project::ActiveModel {
                        id: NotSet,
                        department_id: Set(dept.id),
                        implementing_unit_id: Set(unit.id),
                        fiscal_year: Set(spec.fiscal_year),
                        name: Set(format!("生成项目 D{d:04}-P{:05}", p + i + 1)),
                        category: Set(category.code().to_string()),
                        status: Set(status.code().to_string()),
                        version: Set(1),
                        planned_start: Set(start),
                        planned_end: Set(NaiveDate::from_ymd_opt(spec.fiscal_year, 12, 31)),
                        overview: Set("为提升公共服务水平而设立的项目，概述其背景、内容与范围。".into()),
                        basis: Set("依据相关文件规定立项。".into()),
                        implementing_body: Set(unit.name.clone()),
                        plan: Set("一是明确任务；二是加强管理；三是注重成效。".into()),
                        cycle: Set(format!("{0} 年 1 月 1 日—{0} 年 12 月 31 日", spec.fiscal_year)),
                        budget_arrangement: Set(format!("年度预算 {} 元。", jixiao_domain::Money::from_fen(annual))),
                        overall_goal: Set("提升服务质量，增强群众获得感。".into()),
                        annual_goal: Set("完成年度任务，群众满意度稳步提高。".into()),
                        total_fen: Set(total),
                        fiscal_fen: Set(total),
                        other_fen: Set(0),
                        annual_request_fen: Set(annual),
                        current_year_appropriation_fen: Set(annual),
                        carryover_fen: Set(0),
                        annual_other_fen: Set(0),
                        created_by: Set(None),
                        created_at: Set(created),
                        updated_at: Set(created),
                        submitted_at: Set((status != Status::Draft).then_some(created + Duration::hours(1))),
                        deleted_at: Set(None),
                    });
                }
                let inserted = project::Entity::insert_many(rows).exec_with_returning(&txn).await?;
                let mut items = Vec::new();
                let mut indicators = Vec::new();
                let mut findings = Vec::new();
                for pr in &inserted {
                    let (mut parts, mut rows) = (Vec::new(), Vec::new());
                    let half = pr.annual_request_fen / 2;
                    for (pos, (name, amount)) in
                        [("人员经费", half), ("业务经费", pr.annual_request_fen - half)].into_iter().enumerate()
                    {
                        parts.push(jixiao_domain::FundItem {
                            name: name.into(),
                            amount: jixiao_domain::Money::from_fen(amount),
                        });
                        items.push(fund_item::ActiveModel {
                            id: NotSet,
                            project_id: Set(pr.id),
                            position: Set(pos as i32),
                            name: Set(name.into()),
                            amount_fen: Set(amount),
                        });
                    }
                    for k in 0..spec.indicators_per_project {
                        let (l1, l2, name, targets) = PAIRS[(k as usize) % PAIRS.len()];
                        let name = format!("{name}{}", k / PAIRS.len() as u32 + 1);
                        let target = targets[rng.below(targets.len() as u64) as usize];
                        rows.push(jixiao_domain::Indicator {
                            level1: l1,
                            level2: l2,
                            name: name.clone(),
                            target: jixiao_domain::TargetValue::parse(target).expect("generated targets parse"),
                            note: None,
                        });
                        indicators.push(indicator::ActiveModel {
                            id: NotSet,
                            project_id: Set(pr.id),
                            position: Set(k as i32),
                            level1: Set(l1.code().into()),
                            level2: Set(l2.code().into()),
                            name: Set(name),
                            target_text: Set(target.into()),
                            note: Set(None),
                        });
                    }
                    // Findings as every written project has them (see `findings::store_findings`).
                    let record = crate::ProjectRecord::try_from(pr.clone())?;
                    for f in jixiao_domain::findings::review(&record.declaration(parts, rows)) {
                        findings.push(project_finding::ActiveModel {
                            id: NotSet,
                            project_id: Set(pr.id),
                            code: Set(f.code.code().into()),
                            severity: Set(f.severity().code().into()),
                        });
                    }
                }
                fund_item::Entity::insert_many(items).exec(&txn).await?;
                for chunk in indicators.chunks(5000) {
                    indicator::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
                }
                for chunk in findings.chunks(5000) {
                    project_finding::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
                }
                p += n;
                written += n;
            }
            txn.commit().await?;
            progress(d, written);
        }
        Ok(written)
    }
}
