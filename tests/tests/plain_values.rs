//! The boxes and rows of the form (funds, sections, fund items, indicators, targets) are
//! answered in one pass over the selection (`gateway/src/graphql/plain.rs`) when the selection is
//! plain, and by their resolvers otherwise. The same fields inside an inline fragment on the box's
//! own type send the box to its resolvers without changing what is asked: every plain query is compared, byte for byte,
//! with its twin that goes the resolvers' way, over the seed's real targets (ranges, percentages,
//! qualitative ones, notes, drafts without amounts) and a generated year. Findings (a saved
//! project's, with the rows they concern, and an unsaved form's) are compared the same way.

use jixiao_tests::{World, fixture, jixiao, unit_of};
use serde_json::json;

const FUNDS: &str =
    "total fiscal other annualRequest currentYearAppropriation carryover annualOther annualRequestWanYuan";
const SECTIONS: &str = "overview basis implementingBody plan cycle budgetArrangement";
const ITEM: &str = "id position name amount";
const INDICATOR: &str = "id position level1 level1Label level2 level2Label name note target { TARGET }";
const TARGET: &str = "text kind comparator value upperValue unit";

/// The list query over `fields` of each box; `generic` puts each box's fields in an inline
/// fragment on its own type, which sends the box to its resolvers.
fn query(funds: &str, sections: &str, item: &str, indicator: &str, target: &str, generic: bool) -> String {
    let mark =
        |ty: &str, fields: &str| if generic { format!("... on {ty} {{ {fields} }}") } else { fields.to_string() };
    let indicator = mark("Indicator", indicator).replace("TARGET", &mark("Target", target));
    format!(
        "{{ projects(first: 100) {{ nodes {{ id funds {{ {} }} sections {{ {} }} fundItems {{ {} }} indicators {{ {indicator} }} }} }} }}",
        mark("Funds", funds),
        mark("Sections", sections),
        mark("FundItem", item),
    )
}

/// Panics with the place where `plain` and `generic` first differ.
fn assert_same(what: &str, plain: &str, generic: &str) {
    assert!(!plain.contains("\"errors\":["), "{plain}");
    if plain != generic {
        let at = plain.bytes().zip(generic.bytes()).take_while(|(a, b)| a == b).count();
        let around = |s: &str| s.get(at.saturating_sub(200)..(at + 200).min(s.len())).unwrap_or("").to_string();
        panic!("{what}: differ at byte {at}\none pass: …{}…\nresolvers: …{}…", around(plain), around(generic));
    }
}

#[tokio::test]
async fn the_forms_boxes_answered_in_one_pass_are_byte_for_byte_what_their_resolvers_answer() {
    let lifted = [("JIXIAO_MAX_COMPLEXITY", "1000000000"), ("JIXIAO_MAX_RESPONSE_BYTES", "268435456")];
    let world = World::with_fixture_and(&lifted).await;
    let out = jixiao(&world.db.url, &["generate", "--departments", "1", "--projects-per-department", "20"], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // A draft that does not know its amounts yet.
    let store = world.db.store().await;
    let unknown = "UPDATE projects SET total_fen = NULL, other_fen = NULL, carryover_fen = NULL
        WHERE id = (SELECT MIN(id) FROM projects WHERE status = 'DRAFT')";
    sea_orm::ConnectionTrait::execute_unprepared(store.connection(), unknown).await.unwrap();
    let admin = world.login("admin").await;
    // Every field of every box; some of them, aliased; selections the one pass leaves to the
    // resolvers (a type name, a field asked twice, a fragment); and a field left out by
    // `@include(if: false)` (async-graphql removes it before any resolver runs).
    let selections = [
        (FUNDS, SECTIONS, ITEM, INDICATOR, TARGET),
        ("annualRequest total", "plan", "amount name", "name level2 target { TARGET }", "unit value text"),
        ("sum: total t2: fiscal", "a: overview", "yuan: amount", "n: name t: target { TARGET } level1Label", "x: text"),
        (
            "total __typename",
            "__typename plan",
            "name __typename",
            "name __typename target { TARGET }",
            "__typename text",
        ),
        ("total total", "plan plan", "name name", "name name target { TARGET }", "text text"),
        (
            "total ... on Funds { fiscal }",
            "plan",
            "name ... on FundItem { amount }",
            "name ... on Indicator { note }",
            "text",
        ),
        (
            "total fiscal @include(if: false)",
            "plan @skip(if: true) cycle",
            "name",
            "name note @skip(if: false)",
            "text",
        ),
    ];
    let mut bytes = 0;
    for (funds, sections, item, indicator, target) in selections {
        let plain = admin.raw(&query(funds, sections, item, indicator, target, false), json!({})).await;
        let generic = admin.raw(&query(funds, sections, item, indicator, target, true), json!({})).await;
        assert_same(&format!("{funds} / {indicator}"), &plain, &generic);
        bytes += plain.len();
    }
    // What was compared: the seed's real targets and the generated ones, with their kinds.
    let all = admin.raw(&query(FUNDS, SECTIONS, ITEM, INDICATOR, TARGET, false), json!({})).await;
    for expected in [
        "\"kind\":\"QUANTITATIVE\"",
        "\"kind\":\"QUALITATIVE\"",
        "\"upperValue\":null",
        "\"comparator\":\"GE\"",
        "\"total\":null",
        "元",
    ] {
        assert!(all.contains(expected), "the compared answer has {expected}");
    }
    assert!(bytes > 200_000, "{bytes} bytes compared");
}

const FINDING: &str = "code severity message field basis indicatorId fundItemId";

/// Findings in one pass, in both languages: a saved project's (some name the indicator or fund
/// item row they concern, some nothing) and an unsaved form's (no row ids yet).
#[tokio::test]
async fn findings_answered_in_one_pass_are_byte_for_byte_what_their_resolvers_answer() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let mut form = fixture()["projects"][0].clone();
    let fields = form.as_object_mut().unwrap();
    fields.remove("competentDepartment");
    fields.remove("implementingUnit");
    fields.insert("fiscalYear".into(), json!(2023));
    fields.insert("implementingUnitId".into(), json!(unit));
    fields.insert("name".into(), json!("尚未保存的项目"));
    form["indicators"][1]["target"] = json!("提高");
    let selections = [FINDING, "m: message code c: code", "code __typename", "code severity @include(if: false) field"];
    let mut compared = String::new();
    for client in [submitter.clone(), submitter.with_language("en")] {
        for fields in selections {
            let generic = format!("... on Finding {{ {fields} }}");
            let saved = |f: &str| format!("{{ projects(first: 10) {{ nodes {{ id findings {{ {f} }} }} }} }}");
            let plain = client.raw(&saved(fields), json!({})).await;
            assert_same(fields, &plain, &client.raw(&saved(&generic), json!({})).await);
            compared.push_str(&plain);
            let check = |f: &str| {
                format!(
                    "query($input: CreateProjectInput!) {{ checkDeclaration(input: $input) {{ findings {{ {f} }} }} }}"
                )
            };
            let plain = client.raw(&check(fields), json!({ "input": form })).await;
            assert_same(fields, &plain, &client.raw(&check(&generic), json!({ "input": form })).await);
            compared.push_str(&plain);
        }
    }
    // What was compared: findings on rows and on none, both severities below ERROR, both languages.
    for expected in [
        "\"indicatorId\":\"",
        "\"indicatorId\":null",
        "\"fundItemId\":null",
        "\"severity\":\"WARNING\"",
        "\"severity\":\"INFO\"",
        "绩效指标第",
        "Indicator row",
    ] {
        assert!(compared.contains(expected), "the compared answers have {expected}");
    }
}
