//! The boxes of the declaration form as output types: funds, fund items, sections, indicators
//! and their target values. Amounts are decimal strings of yuan with two places ("214167.00").

use async_graphql::{Object, SimpleObject};
use jixiao_domain::TargetValue;

use super::enums::{Comparator, IndicatorLevel1, IndicatorLevel2, TargetKind};

/// 项目资金（元）.
pub struct Funds(pub jixiao_domain::Funds);

#[Object]
impl Funds {
    /// 项目资金总额 = fiscal + other; for a PHASED project the whole multi-year amount.
    async fn total(&self) -> String {
        self.0.total.to_string()
    }
    /// 其中：财政资金
    async fn fiscal(&self) -> String {
        self.0.fiscal.to_string()
    }
    /// 其他资金
    async fn other(&self) -> String {
        self.0.other.to_string()
    }
    /// 年度资金申请总额 = currentYearAppropriation + carryover + annualOther.
    async fn annual_request(&self) -> String {
        self.0.annual_request.to_string()
    }
    /// 当年财政拨款
    async fn current_year_appropriation(&self) -> String {
        self.0.current_year_appropriation.to_string()
    }
    /// 上年结转资金
    async fn carryover(&self) -> String {
        self.0.carryover.to_string()
    }
    /// 其他资金 (of the annual request)
    async fn annual_other(&self) -> String {
        self.0.annual_other.to_string()
    }
    /// The annual request in 万元, rounded half up to two places.
    async fn annual_request_wan_yuan(&self) -> String {
        self.0.annual_request.wan_yuan()
    }
}

/// 资金明细: a named part of the annual request.
#[derive(SimpleObject)]
pub struct FundItem {
    pub name: String,
    /// Yuan, two decimals.
    pub amount: String,
}

impl From<jixiao_domain::FundItem> for FundItem {
    fn from(i: jixiao_domain::FundItem) -> FundItem {
        FundItem { name: i.name, amount: i.amount.to_string() }
    }
}

/// The six description sections of the form.
#[derive(SimpleObject)]
pub struct Sections {
    /// 项目概述
    pub overview: String,
    /// 立项依据
    pub basis: String,
    /// 实施主体
    pub implementing_body: String,
    /// 实施方案
    pub plan: String,
    /// 实施周期
    pub cycle: String,
    /// 年度预算安排
    pub budget_arrangement: String,
}

impl From<jixiao_domain::Sections> for Sections {
    fn from(s: jixiao_domain::Sections) -> Sections {
        Sections {
            overview: s.overview,
            basis: s.basis,
            implementing_body: s.implementing_body,
            plan: s.plan,
            cycle: s.cycle,
            budget_arrangement: s.budget_arrangement,
        }
    }
}

/// 绩效指标: one row of the indicator table.
pub struct Indicator {
    pub position: usize,
    pub indicator: jixiao_domain::Indicator,
}

#[Object]
impl Indicator {
    /// The row's place in the table, from 0.
    async fn position(&self) -> i32 {
        self.position as i32
    }
    /// 一级指标
    async fn level1(&self) -> IndicatorLevel1 {
        self.indicator.level1.into()
    }
    /// The level 1's label, e.g. 产出指标.
    async fn level1_label(&self) -> &'static str {
        self.indicator.level1.label()
    }
    /// 二级指标
    async fn level2(&self) -> IndicatorLevel2 {
        self.indicator.level2.into()
    }
    /// The level 2's label, e.g. 数量指标.
    async fn level2_label(&self) -> &'static str {
        self.indicator.level2.label()
    }
    /// 三级指标: free text.
    async fn name(&self) -> &str {
        &self.indicator.name
    }
    /// 年度指标值
    async fn target(&self) -> Target<'_> {
        Target(&self.indicator.target)
    }
    /// A remark, e.g. where the source was unclear.
    async fn note(&self) -> Option<&str> {
        self.indicator.note.as_deref()
    }
}

/// 指标值: the text as entered, and what it means.
pub struct Target<'a>(&'a TargetValue);

#[Object]
impl Target<'_> {
    /// Exactly as entered, e.g. `>=85%` or `提高`.
    async fn text(&self) -> &str {
        self.0.text()
    }
    async fn kind(&self) -> TargetKind {
        self.0.kind().into()
    }
    /// For a quantitative target.
    async fn comparator(&self) -> Option<Comparator> {
        self.0.comparator().map(Into::into)
    }
    /// The number as an exact decimal string (the lower end of a range), e.g. `85`, `99.5`.
    async fn value(&self) -> Option<String> {
        self.0.value().map(|v| v.to_string())
    }
    /// The upper end of a RANGE.
    async fn upper_value(&self) -> Option<String> {
        self.0.upper().map(|v| v.to_string())
    }
    /// `%`, `天`, `次`, `万元` …; empty for a bare number; null for a qualitative target.
    async fn unit(&self) -> Option<&str> {
        self.0.unit()
    }
}
