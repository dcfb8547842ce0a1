//! Forged, expired and orphaned tokens are all UNAUTHENTICATED; guessing passwords is slowed.

use jixiao_tests::client::error_code;
use jixiao_tests::server::TEST_JWT_SECRET;
use jixiao_tests::{PASSWORD, World, jixiao};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn sign(alg: Algorithm, secret: &str, claims: &Value) -> String {
    encode(&Header::new(alg), claims, &EncodingKey::from_secret(secret.as_bytes())).unwrap()
}

fn b64(v: &Value) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

#[tokio::test]
async fn forged_and_expired_tokens_are_refused() {
    let world = World::with_fixture().await;
    let admin = world.login("admin").await;
    let admin_id = {
        let me = admin.data("{ me { id } }", json!({})).await;
        let id: String = me["me"]["id"].as_str().unwrap().to_string();
        use base64::Engine;
        let raw = String::from_utf8(base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(id).unwrap()).unwrap();
        raw.split(':').nth(1).unwrap().to_string()
    };
    let good = json!({ "sub": admin_id, "iss": "jixiao", "iat": now(), "exp": now() + 600 });
    // The control: a token we sign ourselves the way the server does is accepted.
    let control = world.anonymous().with_token(&sign(Algorithm::HS256, TEST_JWT_SECRET, &good));
    assert!(control.gql("{ me { username } }", json!({})).await.get("errors").is_none());

    let real = admin.token.clone().unwrap();
    let parts: Vec<&str> = real.split('.').collect();
    let mut forgeries: Vec<(&str, String)> = vec![
        ("alg none", format!("{}.{}.", b64(&json!({ "alg": "none", "typ": "JWT" })), b64(&good))),
        ("wrong key", sign(Algorithm::HS256, "not-the-server-secret-but-long-enough!!", &good)),
        ("other algorithm", sign(Algorithm::HS512, TEST_JWT_SECRET, &good)),
        (
            "tampered payload",
            format!(
                "{}.{}.{}",
                parts[0],
                b64(&json!({ "sub": "1", "iss": "jixiao", "iat": now(), "exp": now() + 99999 })),
                parts[2]
            ),
        ),
        (
            "expired",
            sign(
                Algorithm::HS256,
                TEST_JWT_SECRET,
                &json!({ "sub": admin_id, "iss": "jixiao", "iat": now() - 7200, "exp": now() - 3600 }),
            ),
        ),
        ("no exp", sign(Algorithm::HS256, TEST_JWT_SECRET, &json!({ "sub": admin_id, "iss": "jixiao", "iat": now() }))),
        (
            "no iat",
            sign(Algorithm::HS256, TEST_JWT_SECRET, &json!({ "sub": admin_id, "iss": "jixiao", "exp": now() + 600 })),
        ),
        (
            "wrong issuer",
            sign(
                Algorithm::HS256,
                TEST_JWT_SECRET,
                &json!({ "sub": admin_id, "iss": "someone", "iat": now(), "exp": now() + 600 }),
            ),
        ),
        (
            "no subject",
            sign(Algorithm::HS256, TEST_JWT_SECRET, &json!({ "iss": "jixiao", "iat": now(), "exp": now() + 600 })),
        ),
        (
            "deleted user",
            sign(
                Algorithm::HS256,
                TEST_JWT_SECRET,
                &json!({ "sub": "999999", "iss": "jixiao", "iat": now(), "exp": now() + 600 }),
            ),
        ),
        ("garbage", "a.b.c".to_string()),
    ];
    forgeries.push(("empty bearer", String::new()));
    // A valid token under another scheme is not a bearer token.
    let valid = world.login("admin").await.token.unwrap();
    for header in [format!("Basic {valid}"), format!("bearer{valid}"), valid.clone(), format!("Token {valid}")] {
        let r: Value = reqwest::Client::new()
            .post(format!("{}/graphql", world.server.base_url))
            .header("authorization", &header)
            .json(&json!({ "query": "{ me { username } }" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(error_code(&r), "UNAUTHENTICATED", "{header}: {r}");
    }
    for (what, token) in forgeries {
        let client = world.anonymous().with_token(&token);
        let r = client.gql("{ me { username } }", json!({})).await;
        assert_eq!(error_code(&r), "UNAUTHENTICATED", "{what}: {r}");
        assert!(r["data"].is_null(), "{what} leaked data: {r}");
    }
}

#[tokio::test]
async fn disabling_a_user_ends_their_tokens_at_once() {
    let world = World::with_fixture().await;
    let submitter = world.login("submitter").await;
    assert!(submitter.gql("{ me { username } }", json!({})).await.get("errors").is_none());
    let out = jixiao(&world.db.url, &["user", "disable", "--username", "submitter"], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The server forgets the user when PostgreSQL's notification of the change reaches it
    // (`store/src/user_cache.rs`): milliseconds after the command commits, within
    // `NOTIFIED_WITHIN` on a busy machine. A request sent in between may still be answered; none after.
    let disabled = std::time::Instant::now();
    loop {
        let r = submitter.gql("{ me { username } }", json!({})).await;
        if r.get("errors").is_some() {
            assert_eq!(error_code(&r), "UNAUTHENTICATED", "{r}");
            break;
        }
        assert!(disabled.elapsed() < jixiao_tests::NOTIFIED_WITHIN, "still served {:?} after: {r}", disabled.elapsed());
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    eprintln!("locked out after {:?}", disabled.elapsed());
    let login = "mutation($p: String!) { login(username: \"submitter\", password: $p) { token } }";
    assert_eq!(error_code(&world.anonymous().gql(login, json!({ "p": PASSWORD })).await), "UNAUTHENTICATED");
    let out = jixiao(&world.db.url, &["user", "enable", "--username", "submitter"], None).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(world.anonymous().gql(login, json!({ "p": PASSWORD })).await.get("errors").is_none());
    // Enabling again does not revive the tokens issued before the disable.
    assert_eq!(error_code(&submitter.gql("{ me { username } }", json!({})).await), "UNAUTHENTICATED");
}

/// Logs in as `username` through a server that trusts `X-Forwarded-For`, as if from `address`.
async fn login_from(base: &str, address: &str, username: &str, password: &str) -> serde_json::Value {
    let body = json!({
        "query": "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
        "variables": { "u": username, "p": password },
    });
    let r = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .header("x-forwarded-for", format!("203.0.113.9, {address}"))
        .json(&body)
        .send()
        .await
        .unwrap();
    r.json().await.unwrap()
}

#[tokio::test]
async fn failed_logins_slow_down_that_username_from_that_address_only_known_or_not() {
    let world = World::with_fixture().await;
    let proxied = jixiao_tests::Server::start_with(&world.db.url, &[("JIXIAO_TRUST_PROXY", "true")]).await;
    let base = &proxied.base_url;
    for username in ["approver", "nobody-by-this-name"] {
        for attempt in 0..5 {
            let r = login_from(base, "198.51.100.7", username, &format!("guess {attempt}")).await;
            assert_eq!(r["errors"][0]["message"], "用户名或密码不正确", "{r}");
        }
        // That address now waits before trying that username again, even with the right
        // password, and the answer is the same whether the username exists or not.
        let r = login_from(base, "198.51.100.7", username, PASSWORD).await;
        assert_eq!(error_code(&r), "RATE_LIMITED", "{username}: {r}");
        assert!(r["errors"][0]["message"].as_str().unwrap().contains("等待 1 秒"), "{username}: {r}");
    }
    // The guesser cannot lock the real user out: from anywhere else the right password works.
    let r = login_from(base, "192.0.2.44", "approver", PASSWORD).await;
    assert!(r["data"]["login"]["token"].is_string(), "{r}");
    // And the wait is short: after it, the right password works from the guesser's address too.
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let r = login_from(base, "198.51.100.7", "approver", PASSWORD).await;
    assert!(r["data"]["login"]["token"].is_string(), "{r}");
    // Other usernames from that address are not affected.
    let r = login_from(base, "198.51.100.7", "admin", PASSWORD).await;
    assert!(r["data"]["login"]["token"].is_string(), "{r}");
    // Without JIXIAO_TRUST_PROXY a forged X-Forwarded-For changes nothing: the peer is the address.
    for attempt in 0..5 {
        let r = login_from(&world.server.base_url, &format!("10.9.9.{attempt}"), "submitter", "wrong").await;
        assert_eq!(error_code(&r), "UNAUTHENTICATED", "{r}");
    }
    let r = login_from(&world.server.base_url, "10.9.9.99", "submitter", PASSWORD).await;
    assert_eq!(error_code(&r), "RATE_LIMITED", "{r}");
}

#[tokio::test]
async fn spraying_many_usernames_from_one_address_slows_that_address_down() {
    let world = World::with_fixture().await;
    let proxied = jixiao_tests::Server::start_with(&world.db.url, &[("JIXIAO_TRUST_PROXY", "true")]).await;
    let base = &proxied.base_url;
    for i in 0..50 {
        let r = login_from(base, "198.51.100.8", &format!("user{i}"), "Password1").await;
        assert_eq!(error_code(&r), "UNAUTHENTICATED", "attempt {i}: {r}");
    }
    let r = login_from(base, "198.51.100.8", "admin", PASSWORD).await;
    assert_eq!(error_code(&r), "RATE_LIMITED", "{r}");
    let r = login_from(base, "198.51.100.9", "admin", PASSWORD).await;
    assert!(r["data"]["login"]["token"].is_string(), "{r}");
}

#[tokio::test]
async fn a_token_issued_by_one_instance_works_on_another() {
    let world = World::with_fixture().await;
    let second = jixiao_tests::Server::start(&world.db.url).await;
    let token = world.login("approver").await.token.unwrap();
    let r = jixiao_tests::Client::new(&second.base_url).with_token(&token).data("{ me { username } }", json!({})).await;
    assert_eq!(r["me"]["username"], "approver");
}

/// The user id inside a global id (`User:7` in base64).
fn row_id(global: &str) -> String {
    use base64::Engine;
    let raw = String::from_utf8(base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(global).unwrap()).unwrap();
    raw.split(':').nth(1).unwrap().to_string()
}

/// The claims of a token, unverified.
fn claims(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

#[tokio::test]
async fn clock_leeway_future_tokens_lifetime_and_audience_follow_the_settings() {
    let world = World::with_fixture().await;
    let admin = world.login("admin").await;
    let sub = row_id(admin.data("{ me { id } }", json!({})).await["me"]["id"].as_str().unwrap());
    let accepted = |base: String, claims: Value| async move {
        let token = sign(Algorithm::HS256, TEST_JWT_SECRET, &claims);
        let r = jixiao_tests::Client::new(&base).with_token(&token).gql("{ me { username } }", json!({})).await;
        r.get("errors").is_none()
    };
    let base = world.server.base_url.clone();
    let t = now();
    // 30 s of leeway either way for clocks that differ a little, and no more.
    let cases = [
        ("expired 10 s ago", json!({ "sub": sub, "iss": "jixiao", "iat": t - 600, "exp": t - 10 }), true),
        ("expired 120 s ago", json!({ "sub": sub, "iss": "jixiao", "iat": t - 600, "exp": t - 120 }), false),
        ("issued 10 s ahead", json!({ "sub": sub, "iss": "jixiao", "iat": t + 10, "exp": t + 600 }), true),
        ("issued an hour ahead", json!({ "sub": sub, "iss": "jixiao", "iat": t + 3600, "exp": t + 7200 }), false),
    ];
    for (what, claims, ok) in cases {
        assert_eq!(accepted(base.clone(), claims).await, ok, "{what}");
    }

    // JIXIAO_TOKEN_TTL_MINUTES sets the lifetime of the tokens login issues.
    let short = jixiao_tests::Server::start_with(&world.db.url, &[("JIXIAO_TOKEN_TTL_MINUTES", "2")]).await;
    let token = jixiao_tests::Client::new(&short.base_url).login("admin", PASSWORD).await.token.unwrap();
    let c = claims(&token);
    assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 120, "{c}");
    let c = claims(&world.login("admin").await.token.unwrap());
    assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 480 * 60, "the default: 8 hours");

    // JIXIAO_JWT_AUDIENCE: tokens carry it, and a token for no or another audience is refused.
    let scoped = jixiao_tests::Server::start_with(&world.db.url, &[("JIXIAO_JWT_AUDIENCE", "jixiao-web")]).await;
    let token = jixiao_tests::Client::new(&scoped.base_url).login("admin", PASSWORD).await.token.unwrap();
    assert_eq!(claims(&token)["aud"], "jixiao-web");
    let b = scoped.base_url.clone();
    let with = |aud: Value| json!({ "sub": sub, "iss": "jixiao", "iat": t, "exp": t + 600, "aud": aud });
    assert!(accepted(b.clone(), with(json!("jixiao-web"))).await);
    assert!(!accepted(b.clone(), with(json!("jixiao-mobile"))).await, "another audience");
    assert!(
        !accepted(b.clone(), json!({ "sub": sub, "iss": "jixiao", "iat": t, "exp": t + 600 })).await,
        "no audience"
    );
    let r = jixiao_tests::Client::new(&b)
        .with_token(&world.login("admin").await.token.unwrap())
        .gql("{ me { id } }", json!({}))
        .await;
    assert_eq!(error_code(&r), "UNAUTHENTICATED", "a token of the server without an audience: {r}");
}

#[tokio::test]
async fn a_success_resets_the_count_and_old_failures_are_forgotten_after_an_hour() {
    let world = World::with_fixture().await;
    let proxied = jixiao_tests::Server::start_with(&world.db.url, &[("JIXIAO_TRUST_PROXY", "true")]).await;
    let base = &proxied.base_url;
    let from = "198.51.100.20";
    let fail = |n: usize| async move {
        for i in 0..n {
            let r = login_from(base, from, "approver", &format!("guess {i}")).await;
            assert_eq!(error_code(&r), "UNAUTHENTICATED", "guess {i}: {r}");
        }
    };
    // Four failures, a success, four more: the success started the count afresh, so the right
    // password still works at once (eight in a row would have to wait).
    fail(4).await;
    assert!(login_from(base, from, "approver", PASSWORD).await["data"]["login"]["token"].is_string());
    fail(4).await;
    let r = login_from(base, from, "approver", PASSWORD).await;
    assert!(r["data"]["login"]["token"].is_string(), "{r}");

    // Five failures make the next attempt wait; the same five an hour old are forgotten.
    fail(5).await;
    assert_eq!(error_code(&login_from(base, from, "approver", PASSWORD).await), "RATE_LIMITED");
    let db = sea_orm::Database::connect(&world.db.url).await.unwrap();
    sea_orm::ConnectionTrait::execute_unprepared(
        &db,
        "UPDATE login_throttles SET last_failure_at = now() - interval '61 minutes', blocked_until = NULL",
    )
    .await
    .unwrap();
    fail(1).await;
    let r = login_from(base, from, "approver", PASSWORD).await;
    assert!(r["data"]["login"]["token"].is_string(), "one fresh failure does not block: {r}");
}
