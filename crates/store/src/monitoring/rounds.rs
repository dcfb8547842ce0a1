//! Rounds of a year: opened by admins, each giving the projects with targets in force a report.

use std::collections::HashMap;

use chrono::{Datelike, Utc};
use jixiao_domain::{Message, Problem, ProblemCode, Status};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait};

use super::Monitoring;
use super::enrolment::{Budget, in_force, insert_report};
use super::records::{NewRound, RoundRecord};
use crate::entity::{monitoring_round, project};
use crate::error::{StoreError, StoreResult, UniqueKey, allow};
use crate::record::ProjectRecord;

impl Monitoring<'_> {
    /// in it (projects approved later get theirs when approved). Admins only.
    pub async fn open_round(&self, new: &NewRound) -> StoreResult<RoundRecord> {
        allow(self.actor.may_open_monitoring_round())?;
        let name = new.name.trim();
        let mut problems = Vec::new();
        if name.is_empty() || name.chars().count() > 100 || name.contains('\0') {
            problems.push(Problem::new(
                "name",
                ProblemCode::InvalidInput,
                Message::new(
                    "请填写轮次名称（100 字以内），如“2023年1-7月”",
                    "name the round (at most 100 characters), e.g. “2023年1-7月”",
                ),
            ));
        }
        if !jixiao_domain::declaration::FISCAL_YEARS.contains(&new.fiscal_year) {
            problems.push(Problem::new(
                "fiscalYear",
                ProblemCode::InvalidInput,
                Message::new(
                    format!("预算年度 {} 不在 2000–2100 之内", new.fiscal_year),
                    format!("fiscal year {} is outside 2000–2100", new.fiscal_year),
                ),
            ));
        } else if new.as_of.year() != new.fiscal_year {
            problems.push(Problem::new(
                "asOf",
                ProblemCode::InvalidInput,
                Message::new(
                    format!("监控时点 {} 不在预算年度 {} 年内", new.as_of, new.fiscal_year),
                    format!("the date monitored, {}, is not in the fiscal year {}", new.as_of, new.fiscal_year),
                ),
            ));
        }
        if new.due_date < new.as_of {
            problems.push(Problem::new(
                "dueDate",
                ProblemCode::InvalidInput,
                Message::new(
                    format!("填报截止日期 {} 早于监控时点 {}", new.due_date, new.as_of),
                    format!("the due date {} is before the date monitored {}", new.due_date, new.as_of),
                ),
            ));
        }
        if let Err(p) = new.budget_rule.check() {
            problems.push(p);
        }
        if !problems.is_empty() {
            return Err(StoreError::Rejected(problems));
        }
        let txn = self.db.begin().await?;
        // The year's rounds are counted, the new one inserted and what is in force enrolled in it
        // under the year's lock (which enrolments on approval take too: `rounds_of_year`).
        crate::row_lock::lock_key(&txn, super::enrolment::YEAR_ROUNDS, i64::from(new.fiscal_year)).await?;
        let rounds = monitoring_round::Entity::find()
            .filter(monitoring_round::Column::FiscalYear.eq(new.fiscal_year))
            .count(&txn)
            .await?;
        if rounds >= jixiao_domain::monitoring::MAX_ROUNDS_PER_YEAR {
            return Err(StoreError::Rejected(vec![jixiao_domain::monitoring::too_many_rounds(new.fiscal_year)]));
        }
        let round = monitoring_round::Entity::insert(monitoring_round::ActiveModel {
            id: NotSet,
            fiscal_year: Set(new.fiscal_year),
            name: Set(name.to_string()),
            as_of: Set(new.as_of),
            due_date: Set(new.due_date),
            created_by: Set(self.actor.user_id),
            created_at: Set(Utc::now()),
            budget_comparison: Set(new.budget_rule.comparison.code().to_string()),
            time_basis: Set(new.budget_rule.time.code().to_string()),
            // Checked above: thresholds from 0 to 100 000 hundredths.
            lower_threshold: Set(new.budget_rule.lower.0 as i32),
            upper_threshold: Set(new.budget_rule.upper.0 as i32),
            progress_lights: Set(true),
        })
        .exec_with_returning(&txn)
        .await
        .map_err(StoreError::unique_as(
            UniqueKey::MonitoringRoundName,
            Message::new(
                format!("{} 年已有名为“{name}”的监控轮次", new.fiscal_year),
                format!("{} already has a monitoring round named “{name}”", new.fiscal_year),
            ),
        ))?;
        let projects = project::Entity::find()
            .filter(project::Column::FiscalYear.eq(new.fiscal_year))
            .filter(project::Column::DeletedAt.is_null())
            // In force: approved, or being adjusted (the domain's rule).
            .filter(project::Column::Status.is_in(Status::codes_where(Status::was_approved)))
            .order_by_asc(project::Column::Id)
            .all(&txn)
            .await?;
        for p in projects {
            let record = ProjectRecord::try_from(p)?;
            // An approved project's declaration is frozen: its own annual request is the one in force.
            let budget = if record.status == Status::Approved {
                Budget::of(&record, record.funds.annual_request.unwrap_or_default())
            } else {
                in_force(&txn, &record).await?.0
            };
            insert_report(&txn, round.id, &record, budget).await?;
        }
        // Departments' overall goals in force are monitored in the same rounds.
        crate::department_goals::enroll_round(&txn, &round).await?;
        self.commits.commit(txn).await?;
        Ok(round.into())
    }

    /// The rounds of a year, in the order they were opened (every signed-in user).
    pub async fn rounds(&self, fiscal_year: i32) -> StoreResult<Vec<RoundRecord>> {
        let rows = monitoring_round::Entity::find()
            .filter(monitoring_round::Column::FiscalYear.eq(fiscal_year))
            .order_by_asc(monitoring_round::Column::Id)
            .all(self.db)
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    pub async fn rounds_by_ids(&self, ids: &[i64]) -> StoreResult<HashMap<i64, RoundRecord>> {
        let rows = monitoring_round::Entity::find()
            .filter(monitoring_round::Column::Id.is_in(ids.iter().copied()))
            .all(self.db)
            .await?;
        Ok(rows.into_iter().map(|r| (r.id, r.into())).collect())
    }
}
