//! The indicator catalog: level 1 (一级指标) → its level 2 (二级指标).
//!
//! Two frameworks are in use and both are valid, but one project should not mix them:
//! - Shanghai's 2023 forms (as in the seed) put COST (成本指标) under OUTPUT and have
//!   SUSTAINABLE_IMPACT (可持续影响指标) under BENEFIT;
//! - the central 2021 guideline (财预〔2021〕101号) has COST as a level 1 of its own, with
//!   economic, social and ecological cost under it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A coded enum: its variants with their wire codes and labels. With the `graphql` feature it is
/// also the GraphQL enum named `$graphql`; its doc comments (the enum's and each variant's) are
/// the descriptions the schema publishes, so notes for Rust readers are `//` comments.
macro_rules! coded_enum {
    ($(#[$m:meta])* $name:ident as $graphql:literal {
        $($(#[$vm:meta])* $variant:ident => ($code:literal, $label:literal)),+ $(,)?
    }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "graphql", derive(async_graphql::Enum), graphql(name = $graphql))]
        pub enum $name { $($(#[$vm])* #[serde(rename = $code)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code used on the wire and in the database, e.g. `"OUTPUT"`.
            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The label the form prints, e.g. `"产出指标"`.
            pub const fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

/// Shared with the other coded enums of the domain (monitoring's, for one).
pub(crate) use coded_enum;

// 一级指标.
coded_enum!(
    Level1 as "IndicatorLevel1" {
        Output => ("OUTPUT", "产出指标"),
        Cost => ("COST", "成本指标"),
        Benefit => ("BENEFIT", "效益指标"),
        Satisfaction => ("SATISFACTION", "满意度指标"),
    }
);

// 二级指标, from the standard catalog.
coded_enum!(
    Level2 as "IndicatorLevel2" {
        Quantity => ("QUANTITY", "数量指标"),
        Quality => ("QUALITY", "质量指标"),
        Timeliness => ("TIMELINESS", "时效指标"),
        Cost => ("COST", "成本指标"),
        EconomicCost => ("ECONOMIC_COST", "经济成本指标"),
        SocialCost => ("SOCIAL_COST", "社会成本指标"),
        EcologicalCost => ("ECOLOGICAL_COST", "生态环境成本指标"),
        EconomicBenefit => ("ECONOMIC_BENEFIT", "经济效益指标"),
        SocialBenefit => ("SOCIAL_BENEFIT", "社会效益指标"),
        EcologicalBenefit => ("ECOLOGICAL_BENEFIT", "生态效益指标"),
        SustainableImpact => ("SUSTAINABLE_IMPACT", "可持续影响指标"),
        ServiceSatisfaction => ("SERVICE_SATISFACTION", "服务对象满意度指标"),
    }
);

// The framework a project's indicators are declared under. A project may say which
// (`FormText::indicator_framework`); otherwise its indicators say it ([`Framework::inferred`]).
/// 指标体系: which catalog of levels a project's indicators follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum), graphql(name = "IndicatorFramework"))]
pub enum Framework {
    // OUTPUT → COST, BENEFIT → SUSTAINABLE_IMPACT.
    /// 上海 2023 年表式: 成本指标 under 产出指标, 可持续影响指标 under 效益指标 (the seed's).
    #[serde(rename = "SHANGHAI_2023")]
    #[cfg_attr(feature = "graphql", graphql(name = "SHANGHAI_2023"))]
    Shanghai2023,
    // No SUSTAINABLE_IMPACT.
    /// 财预〔2021〕101号: 成本指标 as a level 1 of its own, and required.
    #[serde(rename = "CENTRAL_2021")]
    #[cfg_attr(feature = "graphql", graphql(name = "CENTRAL_2021"))]
    Central2021,
}

impl Framework {
    pub const ALL: &'static [Framework] = &[Framework::Shanghai2023, Framework::Central2021];

    pub const fn code(self) -> &'static str {
        match self {
            Framework::Shanghai2023 => "SHANGHAI_2023",
            Framework::Central2021 => "CENTRAL_2021",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Framework::Shanghai2023 => "上海 2023 年表式（成本指标在产出指标下）",
            Framework::Central2021 => "财预〔2021〕101号（成本指标为一级指标）",
        }
    }

    pub fn from_code(code: &str) -> Option<Framework> {
        Framework::ALL.iter().copied().find(|f| f.code() == code)
    }

    /// Whether the framework has this (level 1, level 2) pair: the catalog's pairs less those
    /// only the other framework has.
    pub fn allows(self, level1: Level1, level2: Level2) -> bool {
        level1.allows(level2) && framework_of(level1, level2).is_none_or(|f| f == self)
    }

    /// The framework a project's indicators are under when it does not say: the 2021 guideline
    /// as soon as one indicator has COST as its level 1, else Shanghai's 2023 forms (the seed's).
    /// The store filters by the same rule in SQL (`ProjectFilter::indicator_framework`).
    pub fn inferred(level1s: impl IntoIterator<Item = Level1>) -> Framework {
        if level1s.into_iter().any(|l1| l1 == Level1::Cost) { Framework::Central2021 } else { Framework::Shanghai2023 }
    }

    /// Where a level 2 goes in this framework: its first level 1 that the framework has, or
    /// `None` for a level 2 the framework lacks (SUSTAINABLE_IMPACT in the 2021 guideline).
    pub fn parent_of(self, level2: Level2) -> Option<Level1> {
        parents_of(level2).into_iter().find(|l1| self.allows(*l1, level2))
    }
}

impl fmt::Display for Framework {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Level1 {
    /// The level 2 indicators the catalog allows under this level 1.
    pub const fn children(self) -> &'static [Level2] {
        use Level2::*;
        match self {
            Level1::Output => &[Quantity, Quality, Timeliness, Cost],
            Level1::Cost => &[EconomicCost, SocialCost, EcologicalCost],
            Level1::Benefit => &[EconomicBenefit, SocialBenefit, EcologicalBenefit, SustainableImpact],
            Level1::Satisfaction => &[ServiceSatisfaction],
        }
    }

    pub fn allows(self, level2: Level2) -> bool {
        self.children().contains(&level2)
    }
}

/// The framework that a pair commits a project to, or `None` for pairs both frameworks share.
pub fn framework_of(level1: Level1, level2: Level2) -> Option<Framework> {
    match (level1, level2) {
        (Level1::Output, Level2::Cost) | (Level1::Benefit, Level2::SustainableImpact) => Some(Framework::Shanghai2023),
        (Level1::Cost, _) => Some(Framework::Central2021),
        _ => None,
    }
}

/// The level 1 a level 2 belongs under (for error messages that say where it should go).
pub fn parents_of(level2: Level2) -> Vec<Level1> {
    Level1::ALL.iter().copied().filter(|l1| l1.allows(level2)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level2_has_a_parent_and_codes_round_trip() {
        for l2 in Level2::ALL {
            assert!(!parents_of(*l2).is_empty(), "{l2} has no level 1");
            assert_eq!(Level2::from_code(l2.code()), Some(*l2));
        }
        for l1 in Level1::ALL {
            assert_eq!(Level1::from_code(l1.code()), Some(*l1));
        }
        assert_eq!(Level1::from_code("output"), None);
    }

    #[test]
    fn the_catalog_matches_the_design() {
        assert!(Level1::Output.allows(Level2::Cost));
        assert!(!Level1::Output.allows(Level2::SocialBenefit));
        assert!(Level1::Satisfaction.allows(Level2::ServiceSatisfaction));
        assert!(!Level1::Cost.allows(Level2::Cost));
        assert_eq!(Level2::ServiceSatisfaction.label(), "服务对象满意度指标");
        assert_eq!(framework_of(Level1::Output, Level2::Cost), Some(Framework::Shanghai2023));
        assert_eq!(framework_of(Level1::Cost, Level2::SocialCost), Some(Framework::Central2021));
        assert_eq!(framework_of(Level1::Output, Level2::Quantity), None);
    }

    #[test]
    fn frameworks_say_what_they_allow_and_are_inferred_from_level_1() {
        use Framework::*;
        assert!(Shanghai2023.allows(Level1::Output, Level2::Cost) && !Central2021.allows(Level1::Output, Level2::Cost));
        assert!(Central2021.allows(Level1::Cost, Level2::EconomicCost));
        assert!(!Shanghai2023.allows(Level1::Cost, Level2::EconomicCost));
        assert!(!Central2021.allows(Level1::Benefit, Level2::SustainableImpact));
        assert!(
            Central2021.allows(Level1::Output, Level2::Quality) && Shanghai2023.allows(Level1::Output, Level2::Quality)
        );
        assert!(!Shanghai2023.allows(Level1::Benefit, Level2::Quality), "and never what the catalog lacks");
        assert_eq!(Central2021.parent_of(Level2::SustainableImpact), None);
        assert_eq!(Shanghai2023.parent_of(Level2::Cost), Some(Level1::Output));
        assert_eq!(Framework::inferred([Level1::Output, Level1::Benefit]), Shanghai2023);
        assert_eq!(Framework::inferred([Level1::Output, Level1::Cost]), Central2021);
        assert_eq!(Framework::inferred([]), Shanghai2023);
        for f in Framework::ALL {
            assert_eq!(Framework::from_code(f.code()), Some(*f));
        }
    }
}
