//! Messages a person reads, in the users' language (Chinese) and in English.
//!
//! Every message the service shows (a userError, a top-level error, a finding) is built as a
//! [`Message`] holding both texts; the gateway picks one per request ([`Lang`], from
//! `Accept-Language`). Chinese is the default: a request that asks for nothing, or for a
//! language we do not speak, reads Chinese.

use std::fmt;

/// The language a request reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The language an `Accept-Language` header asks for: English when the preferred language
    /// we speak is English (`en`, `en-US`, `en;q=0.9, zh;q=0.8`), Chinese otherwise.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(u32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let quality = pieces.find_map(|p| p.trim().strip_prefix("q=")).map_or(1000, |q| parse_quality(q.trim()));
            let lang = match tag.split('-').next().unwrap_or("") {
                "en" => Lang::En,
                "zh" => Lang::Zh,
                _ => continue,
            };
            if quality > 0 && best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, lang));
            }
        }
        best.map_or(Lang::Zh, |(_, lang)| lang)
    }
}

/// `q=0.8` as thousandths (800); anything unreadable counts as 0 (not wanted).
fn parse_quality(q: &str) -> u32 {
    let (whole, frac) = q.split_once('.').unwrap_or((q, ""));
    let frac: String = frac.chars().chain(std::iter::repeat('0')).take(3).collect();
    match (whole.parse::<u32>(), frac.parse::<u32>()) {
        (Ok(w), Ok(f)) if w <= 1 => (w * 1000 + f).min(1000),
        _ => 0,
    }
}

/// A message in Chinese and English.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Message {
    zh: String,
    en: String,
}

impl Message {
    /// Both texts; the Chinese one must be Chinese (checked in debug builds, so that every test
    /// that reaches a message also checks it is written for the users).
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Message {
        let (zh, en) = (zh.into(), en.into());
        debug_assert!(has_chinese(&zh), "a message without Chinese: {zh:?}");
        Message { zh, en }
    }

    pub fn zh(&self) -> &str {
        &self.zh
    }

    pub fn en(&self) -> &str {
        &self.en
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// Both texts with `prefix` before them (e.g. the row a message is about).
    pub fn prefixed(&self, zh: &str, en: &str) -> Message {
        self.clone().into_prefixed(zh, en)
    }

    /// The same, taking the message (its texts are moved along, not formatted again).
    pub fn into_prefixed(mut self, zh: &str, en: &str) -> Message {
        self.zh.insert_str(0, zh);
        self.en.insert_str(0, en);
        self
    }
}

/// Chinese by default, as everywhere.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.zh)
    }
}

/// Whether a text has a Chinese character (CJK Unified Ideographs and the full-width
/// punctuation of Chinese text).
pub fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_english_only_when_english_is_preferred() {
        for (header, lang) in [
            ("", Lang::Zh),
            ("en", Lang::En),
            ("en-US,en;q=0.9", Lang::En),
            ("zh-CN,zh;q=0.9,en;q=0.8", Lang::Zh),
            ("en;q=0.5, zh;q=0.8", Lang::Zh),
            ("fr, en;q=0.7", Lang::En),
            ("fr", Lang::Zh),
            ("EN-gb", Lang::En),
            ("en;q=0", Lang::Zh),
            ("en;q=garbage", Lang::Zh),
        ] {
            assert_eq!(Lang::from_accept_language(header), lang, "{header:?}");
        }
    }

    #[test]
    fn a_message_is_chinese_by_default() {
        let m = Message::new("年度资金申请总额为零", "The annual request is zero");
        assert_eq!(m.to_string(), "年度资金申请总额为零");
        assert_eq!(m.get(Lang::En), "The annual request is zero");
        assert_eq!(m.prefixed("第 2 行：", "Row 2: ").get(Lang::En), "Row 2: The annual request is zero");
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "a message without Chinese")]
    fn a_message_without_chinese_is_a_bug() {
        Message::new("the annual request is zero", "the annual request is zero");
    }
}
