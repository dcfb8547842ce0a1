//! Opaque global IDs: `base64url("Project:42")`. Clients must not parse them; `node(id:)`
//! resolves any of them.

use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::{ApiError, ApiResult};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Department,
    BudgetUnit,
    Project,
    User,
    /// A row of a project's indicator table.
    Indicator,
    /// A row of a project's fund items.
    FundItem,
    MonitoringRound,
    MonitoringReport,
    SelfEvaluation,
    /// A reviewer's remark on a line of a project's form.
    ReviewRemark,
    /// 整改事项.
    RectificationItem,
    /// An entry of the indicator library (指标库).
    LibraryEntry,
    /// 部门整体绩效目标: a department's form of a year.
    DepartmentGoals,
    /// 部门整体绩效监控表: a department's overall goals in one monitoring round.
    DepartmentGoalsReport,
    /// 部门整体绩效自评.
    DepartmentGoalsEvaluation,
}

impl Kind {
    const ALL: [Kind; 15] = [
        Kind::Department,
        Kind::BudgetUnit,
        Kind::Project,
        Kind::User,
        Kind::Indicator,
        Kind::FundItem,
        Kind::MonitoringRound,
        Kind::MonitoringReport,
        Kind::SelfEvaluation,
        Kind::ReviewRemark,
        Kind::RectificationItem,
        Kind::LibraryEntry,
        Kind::DepartmentGoals,
        Kind::DepartmentGoalsReport,
        Kind::DepartmentGoalsEvaluation,
    ];

    /// What the thing is called on the screens.
    fn label(self) -> &'static str {
        match self {
            Kind::Department => "主管部门",
            Kind::BudgetUnit => "预算单位",
            Kind::Project => "项目",
            Kind::User => "用户",
            Kind::Indicator => "绩效指标",
            Kind::FundItem => "资金明细",
            Kind::MonitoringRound => "监控轮次",
            Kind::MonitoringReport => "监控表",
            Kind::SelfEvaluation => "绩效自评",
            Kind::ReviewRemark => "审核意见",
            Kind::RectificationItem => "整改事项",
            Kind::LibraryEntry => "指标库条目",
            Kind::DepartmentGoals => "部门整体绩效目标",
            Kind::DepartmentGoalsReport => "部门整体绩效监控表",
            Kind::DepartmentGoalsEvaluation => "部门整体绩效自评",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Department => "Department",
            Kind::BudgetUnit => "BudgetUnit",
            Kind::Project => "Project",
            Kind::User => "User",
            Kind::Indicator => "Indicator",
            Kind::FundItem => "FundItem",
            Kind::MonitoringRound => "MonitoringRound",
            Kind::MonitoringReport => "MonitoringReport",
            Kind::SelfEvaluation => "SelfEvaluation",
            Kind::ReviewRemark => "ReviewRemark",
            Kind::RectificationItem => "RectificationItem",
            Kind::LibraryEntry => "LibraryEntry",
            Kind::DepartmentGoals => "DepartmentGoals",
            Kind::DepartmentGoalsReport => "DepartmentGoalsReport",
            Kind::DepartmentGoalsEvaluation => "DepartmentGoalsEvaluation",
        }
    }
}

pub fn encode(kind: Kind, id: i64) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", kind.name())))
}

/// Decodes any global ID into its kind and row id.
pub fn decode_any(id: &ID) -> ApiResult<(Kind, i64)> {
    let malformed = || {
        ApiError::bad_input(
            format!("“{}”不是有效的 ID：请原样使用接口返回的 id", truncate(&id.0)),
            format!("\"{}\" is not a valid ID: use an id exactly as the API returned it", truncate(&id.0)),
        )
    };
    let bytes = URL_SAFE_NO_PAD.decode(id.0.as_bytes()).map_err(|_| malformed())?;
    let text = String::from_utf8(bytes).map_err(|_| malformed())?;
    let (name, num) = text.split_once(':').ok_or_else(malformed)?;
    let kind = Kind::ALL.into_iter().find(|k| k.name() == name).ok_or_else(malformed)?;
    let num: i64 = num.parse().map_err(|_| malformed())?;
    // One object, one id: `Project:03`, `Project:+3` or other spellings of the same row (and
    // base64 with stray bits) are refused, so ids can be compared and cached as strings.
    if num <= 0 || encode(kind, num).0 != id.0 {
        return Err(malformed());
    }
    Ok((kind, num))
}

/// A valid global ID as a person reads it (`Project:42`), for the audit trail.
pub fn readable(id: &str) -> Option<String> {
    let (kind, row) = decode_any(&ID(id.to_string())).ok()?;
    Some(format!("{}:{row}", kind.name()))
}

/// The global ID of a readable one (`Project:42`), if it names a kind.
pub fn from_readable(text: &str) -> Option<ID> {
    let (name, row) = text.split_once(':')?;
    let kind = Kind::ALL.into_iter().find(|k| k.name() == name)?;
    Some(encode(kind, row.parse().ok()?))
}

/// Decodes a global ID that must be of `kind`.
pub fn decode(id: &ID, kind: Kind) -> ApiResult<i64> {
    let (got, num) = decode_any(id)?;
    if got != kind {
        return Err(ApiError::bad_input(
            format!("“{}”是{}的 ID，此处需要{}的 ID", truncate(&id.0), got.label(), kind.label()),
            format!("\"{}\" is the ID of a {}, but a {} ID is expected here", truncate(&id.0), got.name(), kind.name()),
        ));
    }
    Ok(num)
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 40 { s.chars().take(40).collect::<String>() + "…" } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_malformed_or_mistyped_ids() {
        let id = encode(Kind::Project, 42);
        assert_eq!(decode(&id, Kind::Project), Ok(42));
        assert!(matches!(decode(&id, Kind::Department), Err(ApiError::BadUserInput(_))));
        for bad in [
            "",
            "42",
            "!!!",
            &URL_SAFE_NO_PAD.encode("Project:x"),
            &URL_SAFE_NO_PAD.encode("Nope:1"),
            &URL_SAFE_NO_PAD.encode("Project:-1"),
            &URL_SAFE_NO_PAD.encode("Project:042"),
            &URL_SAFE_NO_PAD.encode("Project:+42"),
            &URL_SAFE_NO_PAD.encode("Project:42 "),
        ] {
            assert!(matches!(decode_any(&ID(bad.to_string())), Err(ApiError::BadUserInput(_))), "{bad}");
        }
    }
}
