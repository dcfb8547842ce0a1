//! The reviewer's assistant, second edition, through the API on PostgreSQL: findings that point
//! at their row (by id and by a 1-based row in the message), indicators copied between a
//! department's projects (and only those the reader may see), and the indicator framework a
//! project says it is declared under: shown, filterable, and held to.

use jixiao_tests::{CREATE_PROJECT, World, complete_declaration, unit_of};
use serde_json::{Value, json};

const PROJECTS: &str = "query($f: ProjectFilterInput) { projects(filter: $f, first: 10) { nodes {
    id name indicatorFramework indicatorFrameworkInferred
    indicators { id }
    findings { code severity field message indicatorId fundItemId }
    findingCounts { errors warnings infos } } } }";

fn projects(data: &Value) -> Vec<Value> {
    data["projects"]["nodes"].as_array().unwrap().clone()
}

fn named<'a>(list: &'a [Value], name: &str) -> &'a Value {
    list.iter().find(|p| p["name"] == name).unwrap_or_else(|| panic!("no project {name}"))
}

fn codes(project: &Value) -> Vec<String> {
    project["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn every_finding_on_a_row_names_it_by_id_and_by_its_row_on_paper() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let list = projects(&submitter.data(PROJECTS, json!({ "f": { "fiscalYear": 2023 } })).await);
    assert_eq!(list.len(), 5);
    let mut on_rows = 0;
    for p in &list {
        assert_eq!(p["indicatorFramework"], "SHANGHAI_2023", "the seed's framework, from its indicators");
        assert_eq!(p["indicatorFrameworkInferred"], true);
        let ids = p["indicators"].as_array().unwrap();
        let findings = p["findings"].as_array().unwrap();
        for f in findings {
            let field = f["field"].as_str().unwrap();
            let message = f["message"].as_str().unwrap();
            match field
                .strip_prefix("indicators[")
                .and_then(|r| r.split(']').next())
                .and_then(|n| n.parse::<usize>().ok())
            {
                Some(n) => {
                    on_rows += 1;
                    assert_eq!(f["indicatorId"], ids[n]["id"], "{field} points at its row's id");
                    assert!(message.starts_with(&format!("绩效指标第 {} 行：", n + 1)), "{field}: {message}");
                }
                None => assert_eq!(f["indicatorId"], Value::Null, "{field} is not on a row"),
            }
            assert_eq!(f["fundItemId"], Value::Null, "the seed has no fund items");
        }
        let count = |s: &str| findings.iter().filter(|f| f["severity"] == s).count();
        let counts = &p["findingCounts"];
        assert_eq!(
            (counts["errors"].as_u64(), counts["warnings"].as_u64(), counts["infos"].as_u64()),
            (Some(count("ERROR") as u64), Some(count("WARNING") as u64), Some(count("INFO") as u64)),
            "the counts are of the same findings, copies included"
        );
        assert_eq!(count("ERROR"), 0, "the seed can be submitted");
    }
    assert!(on_rows > 30, "the seed has many findings on rows: {on_rows}");

    let build = named(&list, "网络信息系统开发、升级、建设");
    let copied: Vec<&Value> =
        build["findings"].as_array().unwrap().iter().filter(|f| f["code"] == "COPIED_INDICATORS").collect();
    assert_eq!(copied.len(), 2, "six shared indicators, and an upkeep indicator in a one-off build: {copied:?}");
    assert!(
        copied
            .iter()
            .all(|f| f["severity"] == "INFO" && f["message"].as_str().unwrap().contains("网络信息系统运行与维护"))
    );
    let misfiled = build["findings"].as_array().unwrap().iter().find(|f| f["code"] == "INDICATOR_MISFILED").unwrap();
    assert_eq!(misfiled["indicatorId"], build["indicators"][4]["id"], "信息化专业人员业务提升度 is row 5");
    for (project, code) in [
        ("网络信息系统开发、升级、建设", "AMOUNT_TRUNCATED"),
        ("网络信息系统开发、升级、建设", "EXACT_RATE_BELOW_100"),
        ("网络信息系统运行与维护", "STALE_YEAR"),
        ("网络信息系统运行与维护", "COST_INDICATOR_MISSING"),
        ("维稳工作", "QUANTITY_NOT_COUNTED"),
        ("宣传与推广", "NEAR_DUPLICATE_INDICATOR"),
    ] {
        assert!(codes(named(&list, project)).iter().any(|c| c == code), "{project}: {code}");
    }

    let english = world.login("submitter").await.with_language("en");
    let list = projects(&english.data(PROJECTS, json!({ "f": { "fiscalYear": 2023 } })).await);
    let row = named(&list, "维稳工作")["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "indicators[2].level2")
        .cloned();
    let message = row.unwrap()["message"].as_str().unwrap().to_string();
    assert!(message.starts_with("Indicator row 3: "), "{message}");
}

#[tokio::test]
async fn copies_are_found_only_among_the_projects_the_reader_may_see() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let approver = world.login("approver").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    // 宣传与推广 goes to the approvers; its department keeps a draft …
    let seed = projects(&submitter.data(PROJECTS, json!({ "f": { "fiscalYear": 2023 } })).await);
    let id = named(&seed, "宣传与推广")["id"].clone();
    let r = submitter
        .data("mutation($id: ID!) { submitProject(id: $id) { userErrors { code } } }", json!({ "id": id }))
        .await;
    assert_eq!(r["submitProject"]["userErrors"], json!([]), "{r}");
    // … that takes five indicators of 宣传与推广 word for word.
    let mut draft = complete_declaration(&unit, "信访宣传（草稿）");
    draft["indicators"] = json!([
        { "level1": "OUTPUT", "level2": "QUANTITY", "name": "信访宣传工作计划完成率", "target": "=100%" },
        { "level1": "OUTPUT", "level2": "QUALITY", "name": "信访相关事项宣传率", "target": "=100%" },
        { "level1": "OUTPUT", "level2": "TIMELINESS", "name": "宣传活动开展及时率", "target": ">=95%" },
        { "level1": "BENEFIT", "level2": "SOCIAL_BENEFIT", "name": "信访制度知晓率", "target": ">=90%" },
        { "level1": "SATISFACTION", "level2": "SERVICE_SATISFACTION", "name": "受益群众满意度", "target": ">=85%" }
    ]);
    let r = submitter.data(CREATE_PROJECT, json!({ "input": draft })).await;
    assert_eq!(r["createProject"]["userErrors"], json!([]), "{r}");

    let mentions_draft =
        |list: &[Value]| {
            named(list, "宣传与推广")["findings"].as_array().unwrap().iter().any(|f| {
                f["code"] == "COPIED_INDICATORS" && f["message"].as_str().unwrap().contains("信访宣传（草稿）")
            })
        };
    let theirs = projects(&submitter.data(PROJECTS, json!({ "f": { "fiscalYear": 2023 } })).await);
    assert!(mentions_draft(&theirs), "the department sees its draft copied 宣传与推广");
    assert!(codes(named(&theirs, "信访宣传（草稿）")).iter().any(|c| c == "COPIED_INDICATORS"));
    let approvers = projects(&approver.data(PROJECTS, json!({ "f": { "fiscalYear": 2023 } })).await);
    assert!(approvers.iter().all(|p| p["name"] != "信访宣传（草稿）"), "approvers do not see drafts");
    assert!(!mentions_draft(&approvers), "nor their names through another project's findings");
}

#[tokio::test]
async fn a_project_says_its_framework_and_is_held_to_it() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    let unit = unit_of(&submitter, "SJQ-XFB").await;
    let mut central = complete_declaration(&unit, "按101号指引申报");
    central["indicatorFramework"] = json!("CENTRAL_2021");
    central["indicators"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "level1": "OUTPUT", "level2": "COST", "name": "调解成本", "target": "≤1.5万元" }));
    let r = submitter.data(CREATE_PROJECT, json!({ "input": central })).await;
    let id = r["createProject"]["project"]["id"].as_str().unwrap().to_string();

    const ONE: &str = "query($id: ID!) { project(id: $id) { version indicatorFramework indicatorFrameworkInferred
        indicators { id } findings { code severity field indicatorId } } }";
    let p = submitter.data(ONE, json!({ "id": id })).await["project"].clone();
    assert_eq!(
        (p["indicatorFramework"].as_str(), p["indicatorFrameworkInferred"].as_bool()),
        (Some("CENTRAL_2021"), Some(false))
    );
    let errors: Vec<(String, Value)> = p["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "ERROR")
        .map(|f| (f["code"].as_str().unwrap().to_string(), f["indicatorId"].clone()))
        .collect();
    assert_eq!(
        errors,
        [
            ("FRAMEWORK_MISMATCH".to_string(), p["indicators"][3]["id"].clone()),
            ("MISSING_LEVEL1".to_string(), Value::Null)
        ],
        "cost under output is Shanghai's, and the 2021 guideline requires a cost level 1"
    );
    let submit = submitter
        .data("mutation($id: ID!) { submitProject(id: $id) { userErrors { code } } }", json!({ "id": id }))
        .await;
    assert_ne!(submit["submitProject"]["userErrors"], json!([]), "ERROR findings block submission: {submit}");

    let filtered = |framework: &'static str| {
        let submitter = &submitter;
        async move {
            let list = projects(&submitter.data(PROJECTS, json!({ "f": { "indicatorFramework": framework } })).await);
            let mut names: Vec<String> = list.iter().map(|p| p["name"].as_str().unwrap().to_string()).collect();
            names.sort();
            names
        }
    };
    assert_eq!(filtered("CENTRAL_2021").await, ["按101号指引申报"]);
    assert_eq!(filtered("SHANGHAI_2023").await.len(), 5, "the seed's five, inferred");

    // Saying nothing again: the indicators say SHANGHAI_2023, and they hold to it.
    let update = "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { project { indicatorFramework
        indicatorFrameworkInferred findings { code severity } } userErrors { code } } }";
    let r = submitter
        .data(update, json!({ "i": { "id": id, "expectedVersion": p["version"], "indicatorFramework": null } }))
        .await;
    let after = &r["updateProject"]["project"];
    assert_eq!(
        (after["indicatorFramework"].as_str(), after["indicatorFrameworkInferred"].as_bool()),
        (Some("SHANGHAI_2023"), Some(true))
    );
    assert!(after["findings"].as_array().unwrap().iter().all(|f| f["severity"] != "ERROR"), "{r}");
    assert_eq!(filtered("CENTRAL_2021").await, Vec::<String>::new());

    // A COST level 1 makes a project CENTRAL_2021 without its saying so, in the filter too.
    let mut implied = complete_declaration(&unit, "成本为一级指标");
    implied["indicators"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "level1": "COST", "level2": "ECONOMIC_COST", "name": "调解成本", "target": "≤1.5万元" }));
    submitter.data(CREATE_PROJECT, json!({ "input": implied })).await;
    assert_eq!(filtered("CENTRAL_2021").await, ["成本为一级指标"]);
}
