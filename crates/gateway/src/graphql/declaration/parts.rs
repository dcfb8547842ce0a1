//! The boxes of the declaration form as output types: funds, fund items, sections, indicators
//! and their target values. Amounts are decimal strings of yuan with two places ("214167.00").

use async_graphql::parser::types::Field;
use async_graphql::resolver_utils::enum_value;
use async_graphql::{ID, Object, Value};
pub use jixiao_domain::Sections;
use jixiao_domain::TargetValue;
use jixiao_store::Row;

use crate::graphql::plain::{PlainFields, optional_text, plain_object, text};
use crate::ids::{Kind, encode};

use crate::graphql::types::enums::{Comparator, IndicatorLevel1, IndicatorLevel2, TargetKind};

/// Yuan with two places; `null` for an amount a draft does not know yet.
fn yuan(amount: Option<jixiao_domain::Money>) -> Option<String> {
    amount.map(|m| m.to_string())
}

/// 项目资金（元）. In a draft any amount may be `null` (not known yet); submitted projects have all.
pub struct Funds(pub jixiao_domain::Funds);

#[Object]
impl Funds {
    /// 项目资金总额 = fiscal + other; for a PHASED project the whole multi-year amount.
    async fn total(&self) -> Option<String> {
        yuan(self.0.total)
    }
    /// 其中：财政资金
    async fn fiscal(&self) -> Option<String> {
        yuan(self.0.fiscal)
    }
    /// 其他资金
    async fn other(&self) -> Option<String> {
        yuan(self.0.other)
    }
    /// 年度资金申请总额 = currentYearAppropriation + carryover + annualOther.
    async fn annual_request(&self) -> Option<String> {
        yuan(self.0.annual_request)
    }
    /// 当年财政拨款
    async fn current_year_appropriation(&self) -> Option<String> {
        yuan(self.0.current_year_appropriation)
    }
    /// 上年结转资金
    async fn carryover(&self) -> Option<String> {
        yuan(self.0.carryover)
    }
    /// 其他资金 (of the annual request)
    async fn annual_other(&self) -> Option<String> {
        yuan(self.0.annual_other)
    }
    /// The annual request in 万元, rounded half up to two places.
    async fn annual_request_wan_yuan(&self) -> Option<String> {
        self.0.annual_request.map(|m| m.wan_yuan())
    }
}

impl PlainFields for Funds {
    fn plain_field(&self, field: &Field) -> Option<Value> {
        let f = &self.0;
        let amount = match field.name.node.as_str() {
            "total" => f.total,
            "fiscal" => f.fiscal,
            "other" => f.other,
            "annualRequest" => f.annual_request,
            "currentYearAppropriation" => f.current_year_appropriation,
            "carryover" => f.carryover,
            "annualOther" => f.annual_other,
            "annualRequestWanYuan" => {
                return Some(f.annual_request.map_or(Value::Null, |m| Value::String(m.wan_yuan())));
            }
            _ => return None,
        };
        Some(yuan(amount).map_or(Value::Null, Value::String))
    }
}

/// 资金明细: a named part of the annual request.
pub struct FundItem {
    pub id: i64,
    pub position: usize,
    pub item: jixiao_domain::FundItem,
}

#[Object]
impl FundItem {
    /// For `updateFundItem`, `removeFundItem`, `moveFundItem`; it stays the same across edits.
    pub async fn id(&self) -> ID {
        encode(Kind::FundItem, self.id)
    }
    /// The item's place in the list, from 0.
    async fn position(&self) -> i32 {
        self.position as i32
    }
    async fn name(&self) -> &str {
        &self.item.name
    }
    /// Yuan, two decimals.
    async fn amount(&self) -> String {
        self.item.amount.to_string()
    }
}

impl FundItem {
    /// The rows of one project, each at its place.
    pub fn list(rows: Vec<Row<jixiao_domain::FundItem>>) -> Vec<FundItem> {
        rows.into_iter().enumerate().map(|(position, r)| FundItem { id: r.id, position, item: r.value }).collect()
    }
}

impl PlainFields for FundItem {
    fn plain_field(&self, field: &Field) -> Option<Value> {
        Some(match field.name.node.as_str() {
            "id" => Value::String(encode(Kind::FundItem, self.id).0),
            "position" => Value::from(self.position as i32),
            "name" => text(&self.item.name),
            "amount" => Value::String(self.item.amount.to_string()),
            _ => return None,
        })
    }
}

/// The domain's sections are the GraphQL object (its `graphql` feature); read plainly here.
impl PlainFields for Sections {
    fn plain_field(&self, field: &Field) -> Option<Value> {
        Some(text(match field.name.node.as_str() {
            "overview" => &self.overview,
            "basis" => &self.basis,
            "implementingBody" => &self.implementing_body,
            "plan" => &self.plan,
            "cycle" => &self.cycle,
            "budgetArrangement" => &self.budget_arrangement,
            _ => return None,
        }))
    }
}

/// 绩效指标: one row of the indicator table.
pub struct Indicator {
    pub id: i64,
    pub position: usize,
    pub indicator: jixiao_domain::Indicator,
}

impl Indicator {
    /// The rows of one project, each at its place.
    pub fn list(rows: Vec<Row<jixiao_domain::Indicator>>) -> Vec<Indicator> {
        rows.into_iter().enumerate().map(|(position, r)| Indicator { id: r.id, position, indicator: r.value }).collect()
    }
}

#[Object]
impl Indicator {
    /// For `updateIndicator`, `removeIndicator`, `moveIndicator`; it stays the same across edits.
    pub async fn id(&self) -> ID {
        encode(Kind::Indicator, self.id)
    }
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
    /// The indicator library's entry the row was picked from (`libraryEntry(id)` reads it);
    /// send it back with the row to keep the link.
    async fn library_entry_id(&self) -> Option<ID> {
        self.indicator.library_entry_id.map(|id| encode(Kind::LibraryEntry, id))
    }
}

impl PlainFields for Indicator {
    fn plain_field(&self, field: &Field) -> Option<Value> {
        let i = &self.indicator;
        Some(match field.name.node.as_str() {
            "id" => Value::String(encode(Kind::Indicator, self.id).0),
            "position" => Value::from(self.position as i32),
            "level1" => enum_value(IndicatorLevel1::from(i.level1)),
            "level1Label" => text(i.level1.label()),
            "level2" => enum_value(IndicatorLevel2::from(i.level2)),
            "level2Label" => text(i.level2.label()),
            "name" => text(&i.name),
            "target" => plain_object(&field.selection_set.node, &Target(&i.target))?,
            "note" => optional_text(i.note.as_deref()),
            "libraryEntryId" => {
                i.library_entry_id.map_or(Value::Null, |id| Value::String(encode(Kind::LibraryEntry, id).0))
            }
            _ => return None,
        })
    }
}

/// 指标值: the text as entered, and what it means.
pub struct Target<'a>(pub(crate) &'a TargetValue);

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

impl PlainFields for Target<'_> {
    fn plain_field(&self, field: &Field) -> Option<Value> {
        let decimal = |v: Option<_>| v.map_or(Value::Null, |v: jixiao_domain::Decimal| Value::String(v.to_string()));
        Some(match field.name.node.as_str() {
            "text" => text(self.0.text()),
            "kind" => enum_value(TargetKind::from(self.0.kind())),
            "comparator" => self.0.comparator().map_or(Value::Null, |c| enum_value(Comparator::from(c))),
            "value" => decimal(self.0.value()),
            "upperValue" => decimal(self.0.upper()),
            "unit" => optional_text(self.0.unit()),
            _ => return None,
        })
    }
}
