//! The indicator catalog (一级指标 → 二级指标), for front ends' pickers.

use async_graphql::SimpleObject;
use jixiao_domain::catalog::{Framework, framework_of};
use jixiao_domain::{Level1, Level2};

use crate::graphql::types::enums::{IndicatorLevel1, IndicatorLevel2};

#[derive(SimpleObject)]
pub struct CatalogLevel1 {
    pub code: IndicatorLevel1,
    /// e.g. 产出指标
    pub label: &'static str,
    pub children: Vec<CatalogLevel2>,
}

#[derive(SimpleObject)]
pub struct CatalogLevel2 {
    pub code: IndicatorLevel2,
    /// e.g. 数量指标
    pub label: &'static str,
    /// Set when only one framework has this pair: Shanghai's 2023 forms (COST under OUTPUT,
    /// SUSTAINABLE_IMPACT under BENEFIT) or the central 2021 guideline (COST as a level 1).
    /// A project should not mix the two.
    pub framework: Option<&'static str>,
}

pub fn catalog() -> Vec<CatalogLevel1> {
    Level1::ALL
        .iter()
        .map(|&l1| CatalogLevel1 {
            code: l1.into(),
            label: l1.label(),
            children: l1
                .children()
                .iter()
                .map(|&l2: &Level2| CatalogLevel2 {
                    code: l2.into(),
                    label: l2.label(),
                    framework: framework_of(l1, l2).map(Framework::label),
                })
                .collect(),
        })
        .collect()
}
