//! What the command line tells its operator, in their language: Chinese, as every message of the
//! service, unless they ask for English, with `JIXIAO_LANG=en` or an English locale (the first
//! of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set, beginning with `en`): the command line's
//! `Accept-Language`. Logs stay English, like the server's, for grep and for log tooling.

use std::fmt::Display;
use std::sync::OnceLock;

use jixiao_domain::{Message, Problem};
use jixiao_store::StoreError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// The operator's language, read from the environment once.
    pub fn of_operator() -> Lang {
        static LANG: OnceLock<Lang> = OnceLock::new();
        *LANG.get_or_init(|| Lang::from_vars(|name| std::env::var(name).ok()))
    }

    /// `JIXIAO_LANG` if set, else the locale as POSIX reads it for messages.
    fn from_vars(var: impl Fn(&str) -> Option<String>) -> Lang {
        let english = |value: &str| value.trim().to_ascii_lowercase().starts_with("en");
        let set = |name: &str| var(name).filter(|value| !value.trim().is_empty());
        let chosen = set("JIXIAO_LANG").or_else(|| ["LC_ALL", "LC_MESSAGES", "LANG"].into_iter().find_map(set));
        match chosen {
            Some(value) if english(&value) => Lang::En,
            _ => Lang::Zh,
        }
    }

    pub fn text(self, message: &Message) -> &str {
        match self {
            Lang::Zh => message.zh(),
            Lang::En => message.en(),
        }
    }
}

/// Prints `message` on standard output, in the operator's language.
pub fn tell(message: Message) {
    println!("{}", Lang::of_operator().text(&message));
}

/// One problem on a line of its own: where, its code, what to do.
pub fn problem_line(problem: &Problem) -> String {
    line(problem, Lang::of_operator().text(&problem.message))
}

/// `field [CODE]: text`.
fn line(problem: &Problem, text: &str) -> String {
    format!("{} [{}]: {text}", problem.field, problem.code)
}

/// `zh：cause` / `en: cause`, for a cause that is not a message of ours (an I/O or parse error,
/// whose text is the system's).
pub fn failed(zh: &str, en: &str, cause: impl Display) -> Message {
    Message::new(format!("{zh}：{cause}"), format!("{en}: {cause}"))
}

/// `zh：cause` / `en: cause`, for a cause that is a message of ours.
pub fn because(zh: &str, en: &str, cause: &Message) -> Message {
    Message::new(format!("{zh}：{}", cause.zh()), format!("{en}: {}", cause.en()))
}

/// What went wrong in the store, in both languages.
pub fn store_error(error: &StoreError) -> Message {
    match error {
        StoreError::NotFound => Message::new("未找到", "not found"),
        StoreError::Forbidden(message) | StoreError::RateLimited(message) => message.clone(),
        StoreError::Rejected(problems) => Message::new(
            format!("输入有误：{}", problems.iter().map(|p| line(p, p.message.zh())).collect::<Vec<_>>().join("；")),
            format!("rejected: {}", problems.iter().map(|p| line(p, p.message.en())).collect::<Vec<_>>().join("; ")),
        ),
        StoreError::Database(e) => failed("数据库出错", "database error", e),
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    fn lang_of(vars: &[(&str, &str)]) -> Lang {
        Lang::from_vars(|name| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn chinese_unless_english_is_asked_for() {
        assert_eq!(lang_of(&[]), Lang::Zh);
        assert_eq!(lang_of(&[("LANG", "C.UTF-8")]), Lang::Zh);
        assert_eq!(lang_of(&[("LANG", "zh_CN.UTF-8")]), Lang::Zh);
        assert_eq!(lang_of(&[("LANG", "en_US.UTF-8")]), Lang::En);
        assert_eq!(lang_of(&[("JIXIAO_LANG", "en")]), Lang::En);
        assert_eq!(lang_of(&[("JIXIAO_LANG", "EN")]), Lang::En);
        // JIXIAO_LANG first, then LC_ALL, LC_MESSAGES, LANG; an empty one is not set.
        assert_eq!(lang_of(&[("JIXIAO_LANG", "zh"), ("LANG", "en_US.UTF-8")]), Lang::Zh);
        assert_eq!(lang_of(&[("LC_ALL", "zh_CN.UTF-8"), ("LANG", "en_US.UTF-8")]), Lang::Zh);
        assert_eq!(lang_of(&[("LC_MESSAGES", "en_GB.UTF-8"), ("LANG", "zh_CN.UTF-8")]), Lang::En);
        assert_eq!(lang_of(&[("LC_ALL", ""), ("LANG", "en_US.UTF-8")]), Lang::En);
    }
}
