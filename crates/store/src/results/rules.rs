//! The year's rules per grade (结果应用规则): the defaults until an admin sets them.

use chrono::Utc;
use jixiao_domain::evaluation::Grade;
use jixiao_domain::monitoring::Percent;
use jixiao_domain::results::{BudgetAction, DEFAULT_RULES, ResultRule, check_rule};
use jixiao_domain::{Message, Role};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};

use super::Results;
use crate::entity::result_rule;
use crate::error::{StoreError, StoreResult};

/// The rules of `fiscal_year`, one per grade (优 first): those set, the defaults for the others.
pub(crate) async fn rules_in<C: ConnectionTrait>(conn: &C, fiscal_year: i32) -> StoreResult<Vec<ResultRule>> {
    let set = result_rule::Entity::find().filter(result_rule::Column::FiscalYear.eq(fiscal_year)).all(conn).await?;
    Ok(DEFAULT_RULES
        .iter()
        .map(|default| {
            set.iter()
                .find(|r| r.grade == default.grade.code())
                .and_then(|r| {
                    Some(ResultRule {
                        grade: default.grade,
                        action: BudgetAction::from_code(&r.action)?,
                        cut: Percent(r.cut),
                        hold: r.hold,
                    })
                })
                .unwrap_or(*default)
        })
        .collect())
}

impl Results<'_> {
    /// The rules of a year (every signed-in user: they are the bureau's published policy).
    pub async fn rules(&self, fiscal_year: i32) -> StoreResult<Vec<ResultRule>> {
        rules_in(self.db, fiscal_year).await
    }

    /// Sets some grades' rules of a year (admins); the others keep theirs.
    pub async fn set_rules(&self, fiscal_year: i32, rules: &[ResultRule]) -> StoreResult<Vec<ResultRule>> {
        if self.actor.role != Role::Admin {
            return Err(StoreError::Forbidden(Message::new(
                "只有管理员可以设置结果应用规则",
                "only admins set the rules results are applied by",
            )));
        }
        let problems: Vec<_> = rules.iter().filter_map(|r| check_rule(r).err()).collect();
        if !problems.is_empty() {
            return Err(StoreError::Rejected(problems));
        }
        let txn = self.db.begin().await?;
        for rule in rules {
            result_rule::Entity::insert(result_rule::ActiveModel {
                fiscal_year: Set(fiscal_year),
                grade: Set(rule.grade.code().to_string()),
                action: Set(rule.action.code().to_string()),
                cut: Set(rule.cut.0),
                hold: Set(rule.hold),
                set_by: Set(self.actor.user_id),
                set_at: Set(Utc::now()),
            })
            .on_conflict(
                OnConflict::columns([result_rule::Column::FiscalYear, result_rule::Column::Grade])
                    .update_columns([
                        result_rule::Column::Action,
                        result_rule::Column::Cut,
                        result_rule::Column::Hold,
                        result_rule::Column::SetBy,
                        result_rule::Column::SetAt,
                    ])
                    .to_owned(),
            )
            .exec(&txn)
            .await?;
        }
        let now = rules_in(&txn, fiscal_year).await?;
        self.commits.commit(txn).await?;
        Ok(now)
    }
}

/// A grade's code read back (rules and evaluations keep grades as codes).
pub(crate) fn grade(code: &str) -> Option<Grade> {
    Grade::from_code(code)
}
