//! When two indicator names are the same indicator written twice.

/// The length of the longest common prefix and of the longest common suffix of `a` and `b`
/// (each at most the shorter length).
fn common_ends(a: &[char], b: &[char]) -> (usize, usize) {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    (prefix, suffix)
}

/// A name read once into its characters (and those sorted), for comparing with every other
/// name of the form: collecting the characters again for each of the 1,770 pairs of a
/// 60-indicator form was most of what its near-duplicate rule cost (BENCHMARKS.md, step 19).
pub(super) struct Spelled<'a> {
    text: &'a str,
    chars: Vec<char>,
    sorted: Vec<char>,
}

impl<'a> Spelled<'a> {
    pub(super) fn of(text: &'a str) -> Spelled<'a> {
        let chars: Vec<char> = text.chars().collect();
        let mut sorted = chars.clone();
        sorted.sort_unstable();
        Spelled { text, chars, sorted }
    }
}

/// Whether `a` and `b` are one edit apart (one character changed, added or dropped), in time
/// linear in their length: names are compared pairwise, so a quadratic comparison per pair
/// would make a long table of long names cost minutes.
fn one_edit_apart(a: &[char], b: &[char]) -> bool {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    let k = long.len() - short.len();
    if k > 1 || a == b {
        return false;
    }
    let (prefix, suffix) = common_ends(long, short);
    // Changed (k = 0) or dropped (k = 1): everything but one character of the longer is shared.
    prefix + suffix + 1 >= long.len()
}

/// The same characters in another order (for names of two characters or more).
fn reordered(a: &Spelled, b: &Spelled) -> bool {
    a.chars.len() >= 2 && a.chars != b.chars && a.sorted == b.sorted
}

/// Whether `short` is `long` without one block of one or two characters in a row (a qualifier
/// added or dropped: 信访课题研究成果 / 课题研究成果), in linear time.
fn block_inserted(long: &[char], short: &[char]) -> bool {
    let k = long.len().wrapping_sub(short.len());
    let (prefix, suffix) = common_ends(long, short);
    (1..=2).contains(&k) && prefix + suffix >= short.len()
}

/// Whether `a` and `b`, of the same length, differ in one word of two characters in a row
/// (受益群众满意度 / 受益对象满意度), in linear time.
fn word_changed(a: &[char], b: &[char]) -> bool {
    if a.len() != b.len() || a == b {
        return false;
    }
    let (prefix, suffix) = common_ends(a, b);
    prefix + suffix + 2 >= a.len()
}

/// Names that are the same indicator written twice, near enough: one character changed, added
/// or dropped (names of four or more); a word of two characters changed, added or dropped
/// (names of six or more); or the same characters in another order. Unless the change is one
/// of the [`DISTINCT_MEASURES`](super::lexicon::DISTINCT_MEASURES): 维稳工作开展及时性 and
/// 维稳工作开展有效性, 信访事项办理率 and 信访事项办理效率 are different indicators. Longer
/// changes are not near: 信访总量 and 信访积案总量 (too short), 参与人群满意度 and 受益对象满意度
/// (four characters) are different indicators.
///
/// Every pair of a form's indicators is asked (1,770 pairs for 60), so the cheap tests come first
/// and the measure pairs are looked up only for the few pairs that are near.
pub(super) fn near_duplicates(a: &Spelled, b: &Spelled) -> bool {
    if a.text == b.text {
        return false;
    }
    let (a_count, b_count) = (a.chars.len(), b.chars.len());
    let (long, short) = if a_count >= b_count { (a, b) } else { (b, a) };
    let shorter = a_count.min(b_count);
    // No rule below lets names differ in length by more than two characters.
    if a_count.abs_diff(b_count) > 2 {
        return false;
    }
    let near = (shorter >= 4 && one_edit_apart(&a.chars, &b.chars))
        || (shorter >= 6 && (block_inserted(&long.chars, &short.chars) || word_changed(&a.chars, &b.chars)))
        || reordered(a, b);
    near && !super::lexicon::distinct_measures(a.text, b.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near_duplicates(a: &str, b: &str) -> bool {
        super::near_duplicates(&Spelled::of(a), &Spelled::of(b))
    }

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn one_edit_apart(a: &str, b: &str) -> bool {
        super::one_edit_apart(&chars(a), &chars(b))
    }

    fn block_inserted(long: &str, short: &str) -> bool {
        super::block_inserted(&chars(long), &chars(short))
    }

    fn word_changed(a: &str, b: &str) -> bool {
        super::word_changed(&chars(a), &chars(b))
    }

    #[test]
    fn near_duplicates_of_the_seed() {
        assert!(near_duplicates("信访课题研究成果", "课题研究成果"));
        assert!(near_duplicates("提高群众信访满意度", "群众信访满意度"));
        assert!(near_duplicates("社会面防控影响力", "社会防控面影响力"));
        assert!(near_duplicates("来访来电登记单印刷率", "来访登记单印刷率"));
        assert!(!near_duplicates("信访总量", "信访积案总量"), "two different indicators");
        assert!(!near_duplicates("维稳工作开展及时性", "维稳工作开展有效性"), "a different measure");
        assert!(!near_duplicates("信访事项办理率", "信访事项办理效率"), "efficiency is not a rate of handling");
        assert!(near_duplicates("受益群众满意度", "受益对象满意度"), "the same people in other words");
        assert!(near_duplicates("信访接待群众满意度", "信访接待对象满意度"));
        assert!(!near_duplicates("参与人群满意度", "受益对象满意度"), "four characters: other people");
        assert!(!near_duplicates("群众满意度", "对象满意度"), "five characters: too short to tell");
        assert!(!near_duplicates("受益群众满意度", "受益对象知晓度"), "two changes apart");
        assert!(word_changed("abXYcd", "abZWcd") && !word_changed("aXcdYf", "aZcdWf") && !word_changed("abc", "abcd"));
        assert!(!near_duplicates("信访课题研究成果", "信访课题研究完成率"));
        assert!(near_duplicates("维稳工作开展及时率", "维稳工作开展及时性"));
        assert!(!near_duplicates("投入使用率", "群众满意度"));
        assert!(!near_duplicates("成本控制", "成本控制"), "the same name is a duplicate, not a near one");
        assert!(one_edit_apart("abc", "abd") && one_edit_apart("abc", "abcd") && one_edit_apart("abcd", "acd"));
        assert!(!one_edit_apart("abc", "abc") && !one_edit_apart("abc", "cab") && !one_edit_apart("abc", "abcde"));
        assert!(!one_edit_apart("abcd", "bacd"), "a swap is two edits");
        assert!(block_inserted("信访课题研究成果", "课题研究成果") && block_inserted("abXYcd", "abcd"));
        assert!(!block_inserted("abXYZcd", "abcd") && !block_inserted("aXbYcd", "abcd"));
    }

    /// The edges of each rule: one edit apart counts from four characters, a word of two
    /// changed only when everything else is shared, and repeated characters are not mistaken
    /// for shared ends.
    #[test]
    fn each_rule_at_its_edges() {
        assert!(near_duplicates("调解成功率", "调节成功率"), "five characters, one changed");
        assert!(!one_edit_apart("aaaaaa", "aaaa"), "two dropped, however the ends overlap");
        assert!(!word_changed("abcdeXYZfghi", "abcdeUVWfghi"), "three changed in a row");
        assert!(word_changed("abcdeXYfghij", "abcdeUVfghij"));
    }
}
