//! 绩效公开: a department publishes its budget with its targets within twenty days of the
//! approval being issued (预算法 第十四条), in the words of the seed's first paragraph. Who may
//! read the public table before and after it is published, and who publishes it.

use chrono::NaiveDate;

use crate::permissions::{Actor, Decision, Role, auditor_reads_only};
use crate::{Message, Problem, ProblemCode, Total};

/// Days a department has to publish, from its first issuing act of the year.
pub const DAYS_TO_PUBLISH: u64 = 20;

/// The longest address of a publication kept.
pub const MAX_URL: usize = 2_000;

/// The last day to publish, counted from the first act's date.
pub fn due_on(first_issued_on: NaiveDate) -> NaiveDate {
    first_issued_on + chrono::Days::new(DAYS_TO_PUBLISH)
}

/// Not published by its due date: published after it, or not yet and the day (China's) is past it.
pub fn overdue(due_on: NaiveDate, published_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    published_on.map_or(today > due_on, |published| published > due_on)
}

/// The public table's first paragraph, in the seed's words: the units that declared, the
/// projects, and their approved amounts in 万元 rounded half up to two places.
pub fn opening_paragraph(fiscal_year: i32, units: usize, projects: usize, approved: Total) -> String {
    format!(
        "按照本市预算绩效管理工作的总体要求，本部门 {units} 个预算单位开展了 {fiscal_year} 年项目预算绩效目标编报工作，\
         编报绩效目标的项目 {projects} 个，涉及项目预算资金 {} 万元。",
        approved.wan_yuan()
    )
}

/// The address a publication is found at: an http(s) URL without spaces, bounded.
pub fn check_url(url: &str) -> Result<String, Problem> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let shaped = (lower.starts_with("https://") || lower.starts_with("http://"))
        && url.len() > "https://".len()
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if !shaped {
        return Err(Problem::new(
            "url",
            ProblemCode::InvalidInput,
            Message::new(
                "公开网址应以 http:// 或 https:// 开头，且不含空格",
                "the address must start with http:// or https:// and hold no spaces",
            ),
        ));
    }
    if url.chars().count() > MAX_URL {
        return Err(Problem::new(
            "url",
            ProblemCode::InvalidInput,
            Message::new(
                format!("公开网址最长 {MAX_URL} 个字符"),
                format!("the address has at most {MAX_URL} characters"),
            ),
        ));
    }
    Ok(url.to_string())
}

impl Actor {
    /// Issuing approvals (批复下达) is the bureau's: approvers and admins.
    pub fn may_issue_approvals(&self) -> Decision {
        match self.role {
            Role::Approver | Role::Admin => Decision::Allow,
            Role::SecurityAuditor => Decision::Forbidden(auditor_reads_only()),
            Role::Submitter | Role::DepartmentReviewer => Decision::Forbidden(Message::new(
                "批复由财政部门下达：只有审核人员和管理员可以下达批复",
                "approvals are issued by the bureau: only approvers and admins issue them",
            )),
        }
    }

    /// Publishing is the department's own act: its submitters record it.
    pub fn may_mark_published(&self, department_id: i64) -> Decision {
        match self.role {
            Role::Submitter if self.department_id == Some(department_id) => Decision::Allow,
            Role::Submitter => Decision::Forbidden(Message::new(
                "申报人员只能登记本部门的公开",
                "submitters record their own department's publication only",
            )),
            Role::SecurityAuditor => Decision::Forbidden(auditor_reads_only()),
            Role::Approver | Role::Admin | Role::DepartmentReviewer => Decision::Forbidden(Message::new(
                "绩效目标由部门自行公开：只有本部门的申报人员可以登记公开",
                "a department publishes its own targets: only its submitters record the publication",
            )),
        }
    }

    /// The public table of a department's year: the department and the bureau before it is
    /// published, anyone signed in once it is (it is public then).
    pub fn may_read_public_table(&self, department_id: i64, published: bool) -> Decision {
        if published {
            return Decision::Allow;
        }
        match self.role {
            Role::Approver | Role::Admin => Decision::Allow,
            Role::Submitter | Role::DepartmentReviewer if self.department_id == Some(department_id) => Decision::Allow,
            Role::SecurityAuditor => Decision::Forbidden(auditor_reads_only()),
            Role::Submitter | Role::DepartmentReviewer => Decision::Forbidden(Message::new(
                "该部门尚未公开绩效目标：公开前只有本部门和财政部门可以查看",
                "that department has not published its targets yet: until it does, only it and the bureau may read them",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Money;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_department_has_twenty_days_from_its_first_act() {
        assert_eq!(due_on(day(2023, 1, 20)), day(2023, 2, 9));
        assert_eq!(due_on(day(2023, 12, 20)), day(2024, 1, 9));
        assert_eq!(due_on(day(2024, 2, 20)), day(2024, 3, 11), "a leap year's February has 29 days");
    }

    #[test]
    fn overdue_means_not_published_by_the_due_date() {
        let due = day(2023, 2, 9);
        assert!(!overdue(due, None, due), "the due day itself is still in time");
        assert!(overdue(due, None, day(2023, 2, 10)));
        assert!(!overdue(due, Some(due), day(2023, 3, 1)), "published on the due day");
        assert!(overdue(due, Some(day(2023, 2, 10)), day(2023, 3, 1)), "published a day late");
        assert!(!overdue(due, Some(day(2023, 1, 25)), day(2023, 3, 1)));
    }

    #[test]
    fn the_opening_paragraph_is_the_seeds_sentence() {
        let total = Total::from(Money::parse_yuan("2914171.00").unwrap());
        assert_eq!(
            opening_paragraph(2023, 1, 5, total),
            "按照本市预算绩效管理工作的总体要求，本部门 1 个预算单位开展了 2023 年项目预算绩效目标编报工作，编报绩效目标的项目 5 个，涉及项目预算资金 291.42 万元。"
        );
        let cut = Total::from(Money::parse_yuan("2842671.00").unwrap());
        assert!(opening_paragraph(2023, 1, 5, cut).ends_with("涉及项目预算资金 284.27 万元。"));
        // Half up at the hundredth of a 万元 (100 yuan).
        let half = Total::from(Money::parse_yuan("150.00").unwrap());
        assert!(opening_paragraph(2024, 2, 1, half).ends_with("0.02 万元。"));
        let below = Total::from(Money::parse_yuan("149.99").unwrap());
        assert!(opening_paragraph(2024, 2, 1, below).ends_with("0.01 万元。"));
    }

    #[test]
    fn addresses_are_http_without_spaces() {
        assert_eq!(
            check_url(" https://www.songjiang.gov.cn/xf/2023 ").as_deref(),
            Ok("https://www.songjiang.gov.cn/xf/2023")
        );
        assert!(check_url("http://a.cn").is_ok());
        for bad in ["", "ftp://a.cn", "javascript:alert(1)", "https://", "https://a b.cn", "www.a.cn"] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
        let at_most = format!("https://a.cn/{}", "x".repeat(MAX_URL - "https://a.cn/".len()));
        assert_eq!(at_most.chars().count(), MAX_URL);
        assert!(check_url(&at_most).is_ok(), "exactly the longest");
        assert!(check_url(&format!("{at_most}x")).is_err(), "one more");
    }

    #[test]
    fn the_bureau_issues_and_the_department_publishes() {
        let actor = |role, department_id| Actor { user_id: 1, role, department_id };
        let allowed = |d: Decision| d == Decision::Allow;
        assert!(allowed(actor(Role::Approver, None).may_issue_approvals()));
        assert!(allowed(actor(Role::Admin, None).may_issue_approvals()));
        for role in [Role::Submitter, Role::DepartmentReviewer, Role::SecurityAuditor] {
            assert!(!allowed(actor(role, Some(1)).may_issue_approvals()), "{role:?}");
        }
        assert!(allowed(actor(Role::Submitter, Some(1)).may_mark_published(1)));
        assert!(!allowed(actor(Role::Submitter, Some(2)).may_mark_published(1)));
        for role in [Role::Approver, Role::Admin, Role::DepartmentReviewer, Role::SecurityAuditor] {
            assert!(!allowed(actor(role, Some(1)).may_mark_published(1)), "{role:?}");
        }
    }

    #[test]
    fn the_public_table_is_the_departments_and_the_bureaus_until_published() {
        let actor = |role, department_id| Actor { user_id: 1, role, department_id };
        let reads = |a: Actor, published| a.may_read_public_table(1, published) == Decision::Allow;
        for (who, before) in [
            (actor(Role::Submitter, Some(1)), true),
            (actor(Role::DepartmentReviewer, Some(1)), true),
            (actor(Role::Approver, None), true),
            (actor(Role::Admin, None), true),
            (actor(Role::Submitter, Some(2)), false),
            (actor(Role::DepartmentReviewer, Some(2)), false),
            (actor(Role::SecurityAuditor, None), false),
        ] {
            assert_eq!(reads(who, false), before, "{who:?} before publication");
            assert!(reads(who, true), "{who:?} after publication");
        }
    }
}
