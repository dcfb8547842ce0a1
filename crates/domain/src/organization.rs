//! 主管部门 and 预算单位: who declares.

use crate::message::Message;
use crate::problem::{Problem, ProblemCode, Problems};

pub const MAX_CODE: usize = 50;
pub const MAX_ORG_NAME: usize = 200;
/// Budget units one department may have: a district department has tens, a large one a few
/// hundred; the bound lets a query's cost count `budgetUnits` by its real size.
pub const MAX_UNITS_PER_DEPARTMENT: usize = 500;
/// Departments one approver may be assigned to (对口科室): more is the same as none (an approver
/// with no assignment works on every department), and the bound lets a query's cost count
/// `assignedDepartments` by its real size.
pub const MAX_ASSIGNMENTS_PER_APPROVER: usize = 500;

/// Checks a department's or budget unit's code and name. Codes are ours (the form has none):
/// letters, digits, `-` and `_`, so that they can stand in URLs and file names.
pub fn check_code_and_name(code: &str, name: &str) -> Result<(), Vec<Problem>> {
    let mut problems = Problems::default();
    problems.check_text("code", ("代码", "the code"), code, MAX_CODE, true);
    if !code.trim().is_empty() && !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        problems.push(
            "code",
            ProblemCode::InvalidInput,
            Message::new(
                format!("代码 \"{code}\" 只能包含字母、数字、'-' 和 '_'"),
                format!("code \"{code}\" may hold only letters, digits, '-' and '_'"),
            ),
        );
    }
    problems.check_text("name", ("名称", "the name"), name, MAX_ORG_NAME, true);
    problems.into_result(())
}

pub const MAX_DISPLAY_NAME: usize = 100;

/// A display name: at most 100 characters, without NUL (empty means "the username").
pub fn check_display_name(display_name: &str) -> Result<(), Problem> {
    let mut problems = Problems::default();
    problems.check_text("displayName", ("显示名称", "the display name"), display_name, MAX_DISPLAY_NAME, false);
    problems.into_result(()).map_err(|mut p| p.remove(0))
}

/// Usernames are one user whatever their case (`SUB1` is `sub1`): stored and looked up in lower
/// case, without surrounding spaces.
pub fn normalise_username(username: &str) -> String {
    username.trim().to_ascii_lowercase()
}

/// A username: 1 to 64 letters, digits or `- _ . @` (so it can stand in logs and URLs as it is).
pub fn check_username(username: &str) -> Result<(), Problem> {
    let ok = (1..=64).contains(&username.len())
        && username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'));
    if ok {
        Ok(())
    } else {
        Err(Problem::new(
            "username",
            ProblemCode::InvalidInput,
            Message::new("用户名为 1 到 64 个字母、数字或 - _ . @", "a username is 1 to 64 letters, digits or - _ . @"),
        ))
    }
}

/// The service always keeps one enabled admin: only an admin can grant roles, so a change that
/// would leave none (the last admin demoting or disabling itself, two admins demoting each other
/// at once) is refused. Whether anyone else is left: `others` are the enabled admins besides the
/// one who would stop being one.
pub fn check_an_admin_remains(others: usize) -> Result<(), Problem> {
    if others > 0 {
        return Ok(());
    }
    Err(Problem::new(
        "role",
        ProblemCode::InvalidInput,
        Message::new(
            "这是最后一位启用的管理员：请先为另一位用户授予管理员角色，再撤销或停用此账号",
            "this is the last enabled admin: make another user an admin first, then change or disable this one",
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_plain() {
        assert!(check_code_and_name("SJQ-XFB", "上海市松江区人民政府信访办公室").is_ok());
        assert_eq!(check_code_and_name("a b", "x").unwrap_err()[0].field, "code");
        assert_eq!(check_code_and_name("A", " ").unwrap_err()[0].field, "name");
        assert!(check_username("wang.li@sj").is_ok());
        assert!(check_username("王力").is_err());
        assert!(check_username("").is_err());
        assert_eq!(normalise_username(" SUB1 "), "sub1");
        assert!(check_display_name("王力").is_ok());
        assert_eq!(check_display_name("王\0力").unwrap_err().field, "displayName");
        assert_eq!(check_code_and_name("A", "名\0称").unwrap_err()[0].field, "name");
        assert!(check_an_admin_remains(1).is_ok());
        assert_eq!(check_an_admin_remains(0).unwrap_err().field, "role");
    }
}
