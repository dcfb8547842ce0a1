//! The command line's mistakes: each exits non-zero with a message that says what was wrong,
//! never a panic, never a secret, and leaves the database as it was. It speaks Chinese unless
//! its operator asks for English.

use std::process::Output;

use jixiao_tests::server::jixiao_with;
use jixiao_tests::{TestDatabase, World, fixture_path, jixiao};

fn refused(out: &Output, says: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "exits non-zero; it said: {stderr}");
    assert!(stderr.contains(says), "says {says:?}; it said: {stderr}");
    assert!(!stderr.contains("panicked"), "no panic: {stderr}");
}

async fn add(url: &str, username: &str, role: &str, department: Option<&str>, stdin: &str) -> Output {
    let mut args = vec!["user", "add", "--username", username, "--role", role, "--password-stdin"];
    if let Some(d) = department {
        args.extend(["--department", d]);
    }
    jixiao(url, &args, Some(stdin)).await
}

#[tokio::test]
async fn user_commands_refuse_what_they_cannot_do() {
    let world = World::with_fixture().await;
    let url = &world.db.url;
    refused(&add(url, "zhang", "ROOT", None, "long enough password\n").await, "ROOT");
    refused(&add(url, "zhang", "SUBMITTER", Some("NO-SUCH-DEPT"), "long enough password\n").await, "NO-SUCH-DEPT");
    refused(&add(url, "zhang", "SUBMITTER", None, "long enough password\n").await, "department");
    refused(&add(url, "zhang", "APPROVER", None, "").await, "密码至少 8 个字符");
    // `submitter` exists (World made it); the name is one user whatever its case.
    refused(&add(url, "Submitter", "APPROVER", None, "long enough password\n").await, "submitter");
    refused(&jixiao(url, &["user", "disable", "--username", "nobody"], None).await, "nobody");
    // None of these left a user behind.
    let out = add(url, "zhang", "APPROVER", None, "long enough password\n").await;
    assert!(out.status.success(), "the name is still free: {}", String::from_utf8_lossy(&out.stderr));
    let out = jixiao(url, &["user", "enable", "--username", "zhang"], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test]
async fn import_refuses_a_missing_or_broken_file_and_writes_nothing() {
    let db = TestDatabase::create().await;
    let url = &db.url;
    refused(&jixiao(url, &["import", "/no/such/declaration.json"], None).await, "/no/such/declaration.json");
    let dir = std::env::temp_dir().join(format!("jixiao-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "这不是 JSON").unwrap();
    refused(&jixiao(url, &["import", broken.to_str().unwrap()], None).await, "broken.json");
    // Valid JSON, but one project's amount cannot be stored (negative): refused whole, with
    // the project named.
    let mut doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(fixture_path()).unwrap()).unwrap();
    doc["projects"][3]["funds"]["fiscal"] = "-1.00".into();
    let bad = dir.join("bad-funds.json");
    std::fs::write(&bad, doc.to_string()).unwrap();
    refused(&jixiao(url, &["import", bad.to_str().unwrap()], None).await, "funds");
    let store = db.store().await;
    assert!(store.departments_page(None, 10).await.unwrap().is_empty(), "nothing was written");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn an_unreachable_database_is_reported_without_its_password() {
    let url = "postgres://jixiao:very-secret-pw@127.0.0.1:1/jixiao";
    let started = std::time::Instant::now();
    let out = jixiao(url, &["migrate"], None).await;
    refused(&out, "127.0.0.1:1");
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "gives up in bounded time");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!said.contains("very-secret-pw"), "{said}");
}

#[tokio::test]
async fn the_command_line_speaks_chinese_unless_english_is_asked_for() {
    let db = TestDatabase::create().await;
    let url = &db.url;
    let said = |out: &Output| String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    let english = [("JIXIAO_LANG", "en")];
    let english_locale = [("LANG", "en_US.UTF-8")];
    let chinese_locale = [("LANG", "zh_CN.UTF-8")];

    // What it did.
    for (env, says) in [
        (&[][..], "数据库已是最新"),
        (&chinese_locale[..], "数据库已是最新"),
        (&english[..], "database is up to date"),
        (&english_locale[..], "database is up to date"),
    ] {
        let out = jixiao_with(url, &["migrate"], None, env).await;
        assert!(out.status.success(), "{}", said(&out));
        assert!(said(&out).contains(says), "{env:?}: {}", said(&out));
    }
    // What went wrong.
    let out = jixiao(url, &["user", "disable", "--username", "nobody"], None).await;
    refused(&out, "没有名为 \"nobody\" 的用户");
    let out = jixiao_with(url, &["user", "disable", "--username", "nobody"], None, &english).await;
    refused(&out, "no user is named \"nobody\"");
    // Each problem of a refused file, at its field, in the operator's language.
    let mut doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(fixture_path()).unwrap()).unwrap();
    doc["projects"][3]["funds"]["fiscal"] = "-1.00".into();
    let bad = std::env::temp_dir().join(format!("jixiao-cli-lang-{}.json", std::process::id()));
    std::fs::write(&bad, doc.to_string()).unwrap();
    let out = jixiao(url, &["import", bad.to_str().unwrap()], None).await;
    refused(&out, "未写入任何内容");
    assert!(said(&out).contains("projects[3].funds.fiscal [INVALID_INPUT]: 金额 \"-1.00\" 为负数"), "{}", said(&out));
    let out = jixiao_with(url, &["import", bad.to_str().unwrap()], None, &english).await;
    refused(&out, "nothing was written");
    assert!(said(&out).contains("projects[3].funds.fiscal [INVALID_INPUT]: \"-1.00\" is negative"), "{}", said(&out));
    let _ = std::fs::remove_file(&bad);
}
