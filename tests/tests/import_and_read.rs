//! The core promise: the seed declaration goes in with `jixiao import` and comes back out over
//! HTTP whole, exact to the fen, Chinese text unchanged, on PostgreSQL.

use jixiao_tests::{World, fixture, fixture_path, jixiao};
use serde_json::{Value, json};

const PROJECT_FIELDS: &str = "
    id name fiscalYear category status version plannedStart plannedEnd
    department { code name } implementingUnit { code name }
    sections { overview basis implementingBody plan cycle budgetArrangement }
    overallGoal annualGoal
    funds { total fiscal other annualRequest currentYearAppropriation carryover annualOther }
    fundItems { name amount }
    indicators { position level1 level2 name note target { text kind comparator value upperValue unit } }
";

#[tokio::test]
async fn imported_declaration_comes_back_whole_with_its_summary() {
    let world = World::with_fixture().await;
    let client = world.login("submitter").await;

    let summary = client
        .data("{ declarationSummary(fiscalYear: 2023) { fiscalYear budgetUnitCount projectCount totalFunds totalFundsWanYuan } }", json!({}))
        .await;
    assert_eq!(
        summary["declarationSummary"],
        json!({ "fiscalYear": 2023, "budgetUnitCount": 1, "projectCount": 5, "totalFunds": "2914171.00", "totalFundsWanYuan": "291.42" })
    );

    let data = client.data(&format!("{{ projects(filter: {{ fiscalYear: 2023 }}, first: 10) {{ totalCount nodes {{ {PROJECT_FIELDS} }} }} }}"), json!({})).await;
    let projects = data["projects"]["nodes"].as_array().unwrap();
    assert_eq!(data["projects"]["totalCount"], 5);
    let expected = fixture();
    let expected = expected["projects"].as_array().unwrap();
    assert_eq!(projects.len(), expected.len());

    let mut indicators = 0;
    let mut fund_items = 0;
    for (got, want) in projects.iter().zip(expected) {
        assert_eq!(got["name"], want["name"]);
        assert_eq!(got["fiscalYear"], 2023);
        assert_eq!(got["category"], want["category"]);
        assert_eq!(got["status"], "DRAFT", "imports are drafts");
        assert_eq!(got["department"]["name"], want["competentDepartment"]);
        assert_eq!(got["implementingUnit"]["name"], want["implementingUnit"]);
        assert_eq!(got["plannedStart"], want["plannedStart"]);
        assert_eq!(got["plannedEnd"], want["plannedEnd"]);
        assert_eq!(got["sections"], want["sections"], "the six sections round-trip byte for byte");
        assert_eq!(got["overallGoal"], want["overallGoal"]);
        assert_eq!(got["annualGoal"], want["annualGoal"]);
        assert_eq!(got["funds"], want["funds"], "amounts exact to the fen");
        assert_eq!(got["fundItems"], want["fundItems"]);
        let got_rows = got["indicators"].as_array().unwrap();
        let want_rows = want["indicators"].as_array().unwrap();
        assert_eq!(got_rows.len(), want_rows.len());
        for (i, (g, w)) in got_rows.iter().zip(want_rows).enumerate() {
            assert_eq!(g["position"], i);
            assert_eq!(g["level1"], w["level1"]);
            assert_eq!(g["level2"], w["level2"]);
            assert_eq!(g["name"], w["name"]);
            assert_eq!(g["target"]["text"], w["target"], "target text unchanged");
            assert_eq!(g["note"], w.get("note").cloned().unwrap_or(Value::Null));
        }
        indicators += got_rows.len();
        fund_items += got["fundItems"].as_array().unwrap().len();
    }
    assert_eq!(indicators, 60);
    assert_eq!(fund_items, 3);

    // A parsed target: project 1's second row is ">=85%".
    assert_eq!(
        projects[0]["indicators"][1]["target"],
        json!({ "text": ">=85%", "kind": "QUANTITATIVE", "comparator": "GE", "value": "85", "upperValue": null, "unit": "%" })
    );
    assert_eq!(projects[0]["indicators"][3]["target"]["kind"], "QUALITATIVE");
}

#[tokio::test]
async fn importing_the_same_declaration_twice_changes_nothing() {
    let world = World::with_fixture().await;
    let before = world
        .login("admin")
        .await
        .data("{ projects(first: 50) { totalCount nodes { id version updatedAt } } }", json!({}))
        .await;
    let again = jixiao(&world.db.url, &["import", fixture_path().to_str().unwrap()], None).await;
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(String::from_utf8_lossy(&again.stdout).contains("新建 0 个项目，5 个已存在"));
    let after = world
        .login("admin")
        .await
        .data("{ projects(first: 50) { totalCount nodes { id version updatedAt } } }", json!({}))
        .await;
    assert_eq!(before, after);
}

#[tokio::test]
async fn a_file_that_does_not_check_is_refused_whole() {
    let world = World::with_fixture().await;
    let mut doc = fixture();
    doc["department"] = json!({ "code": "OTHER", "name": "另一个部门" });
    doc["budgetUnits"] = json!([{ "code": "OTHER-U", "name": "另一个部门" }]);
    for p in doc["projects"].as_array_mut().unwrap() {
        p["competentDepartment"] = json!("另一个部门");
        p["implementingUnit"] = json!("另一个部门");
    }
    // A target being typed could be kept in a draft; one with a NUL no column can hold.
    doc["projects"][4]["indicators"][0]["target"] = json!(">=9\u{0}");
    let path = std::env::temp_dir().join(format!("jixiao-bad-{}.json", std::process::id()));
    std::fs::write(&path, serde_json::to_string(&doc).unwrap()).unwrap();
    let out = jixiao(&world.db.url, &["import", path.to_str().unwrap()], None).await;
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("projects[4].indicators[0].target"), "{stderr}");
    assert!(stderr.contains("未写入任何内容"), "{stderr}");
    let admin = world.login("admin").await;
    let r = admin.gql("{ department(code: \"OTHER\") { id } }", json!({})).await;
    assert_eq!(jixiao_tests::client::error_code(&r), "NOT_FOUND", "the department was not created: {r}");
}
