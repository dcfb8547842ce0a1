//! When two indicator names are the same indicator written twice.

/// Edit distance in characters (insertions, deletions, substitutions).
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The same characters in another order (for names of two characters or more).
pub(super) fn reordered(a: &str, b: &str) -> bool {
    let mut x: Vec<char> = a.chars().collect();
    let mut y: Vec<char> = b.chars().collect();
    if x.len() < 2 || x == y {
        return false;
    }
    x.sort_unstable();
    y.sort_unstable();
    x == y
}

/// Whether `short` is `long` without one block of one or two characters in a row (a qualifier
/// added or dropped: 信访课题研究成果 / 课题研究成果).
fn block_inserted(long: &str, short: &str) -> bool {
    let l: Vec<char> = long.chars().collect();
    let s: Vec<char> = short.chars().collect();
    let k = l.len().wrapping_sub(s.len());
    (1..=2).contains(&k) && (0..=s.len()).any(|i| l[..i] == s[..i] && l[i + k..] == s[i..])
}

/// Names that are the same indicator written twice, near enough: one character changed, added
/// or dropped (names of four or more); a block of two characters added or dropped (names of
/// six or more); or the same characters in another order. Two changed characters are not
/// enough: 维稳工作开展及时性 and 维稳工作开展有效性 are different indicators, and so are
/// 信访总量 and 信访积案总量 (too short).
pub(super) fn near_duplicates(a: &str, b: &str) -> bool {
    if a == b {
        return false;
    }
    let (long, short) = if a.chars().count() >= b.chars().count() { (a, b) } else { (b, a) };
    let shorter = short.chars().count();
    (shorter >= 4 && edit_distance(a, b) == 1) || (shorter >= 6 && block_inserted(long, short)) || reordered(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_duplicates_of_the_seed() {
        assert!(near_duplicates("信访课题研究成果", "课题研究成果"));
        assert!(near_duplicates("提高群众信访满意度", "群众信访满意度"));
        assert!(near_duplicates("社会面防控影响力", "社会防控面影响力"));
        assert!(near_duplicates("来访来电登记单印刷率", "来访登记单印刷率"));
        assert!(!near_duplicates("信访总量", "信访积案总量"), "two different indicators");
        assert!(
            !near_duplicates("维稳工作开展及时性", "维稳工作开展有效性"),
            "two changed characters: another indicator"
        );
        assert!(!near_duplicates("信访课题研究成果", "信访课题研究完成率"));
        assert!(near_duplicates("维稳工作开展及时率", "维稳工作开展及时性"));
        assert!(!near_duplicates("投入使用率", "群众满意度"));
        assert!(!near_duplicates("成本控制", "成本控制"), "the same name is a duplicate, not a near one");
        assert_eq!(edit_distance("abc", "abd"), 1);
    }
}
