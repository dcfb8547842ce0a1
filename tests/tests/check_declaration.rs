//! `checkDeclaration`: the reviewer's assistant on a form that is not saved. For a form that may
//! be saved it answers exactly the findings the saved project has; for one that may not, what
//! saving would refuse and what the rules find; and it never writes.

use jixiao_tests::{World, fixture, seed_form, unit_of};
use serde_json::{Value, json};

const CHECK: &str = "query($input: CreateProjectInput!) { checkDeclaration(input: $input) {
    userErrors { field code message } findings { code severity field message } findingCounts { errors warnings infos } } }";

async fn project_count(world: &World) -> i64 {
    let admin = world.login("admin").await;
    admin.data("{ projects { totalCount } }", json!({})).await["projects"]["totalCount"].as_i64().unwrap()
}

#[tokio::test]
async fn the_seed_checks_as_it_was_saved_and_nothing_is_written() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let before = project_count(&world).await;
    let saved = submitter
        .data("{ projects(first: 10) { nodes { name findings { code severity field message } findingCounts { errors warnings infos } } } }", json!({}))
        .await;
    let saved = saved["projects"]["nodes"].as_array().unwrap().clone();
    let seed = fixture();
    let projects = seed["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 5);
    for p in projects {
        let r = submitter.data(CHECK, json!({ "input": seed_form(p, &unit) })).await;
        let check = &r["checkDeclaration"];
        let same = saved.iter().find(|s| s["name"] == p["name"]).expect("the seed project is saved");
        assert_eq!(check["userErrors"], json!([]), "{}", p["name"]);
        assert_eq!(check["findings"], same["findings"], "{}", p["name"]);
        assert_eq!(check["findingCounts"], same["findingCounts"], "{}", p["name"]);
    }
    assert_eq!(project_count(&world).await, before, "checking writes nothing");
}

#[tokio::test]
async fn a_form_that_cannot_be_saved_gets_its_refusals_and_its_findings() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let before = project_count(&world).await;
    let mut input = seed_form(&fixture()["projects"][0], &unit);
    input["name"] = json!("尚未保存的项目");
    input["funds"]["fiscal"] = json!("90000.00"); // total 100000.00 ≠ fiscal + other
    input["indicators"][1]["target"] = json!("≥"); // being typed
    input["overallGoal"] = json!("目".repeat(10_001)); // over the box's limit: refused
    let r = submitter.data(CHECK, json!({ "input": input })).await;
    let check = &r["checkDeclaration"];
    let refusals: Vec<(&str, &str)> = check["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(refusals, [("overallGoal", "INVALID_INPUT")], "only what cannot be stored is refused: {r}");
    let codes: Vec<&str> = check["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    // What a draft may hold is found, not refused; the rules read the rest of the form.
    assert!(codes.contains(&"FUNDS_TOTAL_MISMATCH"), "{codes:?}");
    assert!(codes.contains(&"TARGET_INVALID"), "{codes:?}");
    // Every row keeps its place: the row after the one being typed is still row 3 (成本控制).
    let cost = check["findings"].as_array().unwrap().iter().find(|f| f["code"] == "COST_NOT_QUANTIFIED").unwrap();
    assert_eq!(cost["field"], "indicators[3].target", "{cost}");
    assert!(cost["message"].as_str().unwrap().contains("成本控制"), "{cost}");
    assert!(check["findingCounts"]["errors"].as_i64().unwrap() >= 1);
    // A unit that does not exist is said as createProject says it.
    let mut elsewhere = seed_form(&fixture()["projects"][1], &unit);
    elsewhere["implementingUnitId"] = json!(jixiao_tests::client::encode_id("BudgetUnit", 999_999));
    let r = submitter.data(CHECK, json!({ "input": elsewhere })).await;
    assert_eq!(r["checkDeclaration"]["userErrors"][0]["field"], "implementingUnitId", "{r}");
    assert_eq!(project_count(&world).await, before, "checking writes nothing");
}

/// The copies an unsaved form is checked against are the projects of its unit's department and
/// year that the caller may see: a department's draft is named to the department, never to an
/// approver, and another year's projects are not compared.
#[tokio::test]
async fn an_unsaved_form_is_compared_only_with_the_projects_its_checker_may_see() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let mut draft = jixiao_tests::complete_declaration(&unit, "草稿中的宣传项目");
    draft["fiscalYear"] = json!(2023);
    draft["indicators"] = json!([
        { "level1": "OUTPUT", "level2": "QUANTITY", "name": "走访宣传覆盖户数", "target": ">=500户" },
        { "level1": "OUTPUT", "level2": "QUALITY", "name": "宣传资料发放准确率", "target": "=100%" },
        { "level1": "OUTPUT", "level2": "TIMELINESS", "name": "宣传资料按月发放率", "target": ">=95%" },
        { "level1": "BENEFIT", "level2": "SOCIAL_BENEFIT", "name": "居民政策知晓率", "target": ">=90%" },
        { "level1": "SATISFACTION", "level2": "SERVICE_SATISFACTION", "name": "走访对象满意度", "target": ">=85%" }
    ]);
    let r = submitter.data(jixiao_tests::CREATE_PROJECT, json!({ "input": draft.clone() })).await;
    assert_eq!(r["createProject"]["userErrors"], json!([]), "{r}");

    let mut form = draft.clone();
    form["name"] = json!("另一个宣传项目");
    let names_the_draft =
        |r: &Value| {
            r["checkDeclaration"]["findings"].as_array().unwrap().iter().any(|f| {
                f["code"] == "COPIED_INDICATORS" && f["message"].as_str().unwrap().contains("草稿中的宣传项目")
            })
        };
    assert!(
        names_the_draft(&submitter.data(CHECK, json!({ "input": form.clone() })).await),
        "the department sees its draft"
    );
    assert!(
        !names_the_draft(&approver.data(CHECK, json!({ "input": form.clone() })).await),
        "approvers never see drafts"
    );
    form["fiscalYear"] = json!(2024);
    assert!(!names_the_draft(&submitter.data(CHECK, json!({ "input": form })).await), "another year is not compared");
}
