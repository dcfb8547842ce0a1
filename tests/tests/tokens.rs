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
    forgeries.push(("not bearer", String::new()));
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
    assert_eq!(error_code(&submitter.gql("{ me { username } }", json!({})).await), "UNAUTHENTICATED");
    let login = "mutation($p: String!) { login(username: \"submitter\", password: $p) { token } }";
    assert_eq!(error_code(&world.anonymous().gql(login, json!({ "p": PASSWORD })).await), "UNAUTHENTICATED");
    jixiao(&world.db.url, &["user", "enable", "--username", "submitter"], None).await;
    assert!(world.anonymous().gql(login, json!({ "p": PASSWORD })).await.get("errors").is_none());
}

#[tokio::test]
async fn repeated_failed_logins_lock_the_username_known_or_not() {
    let world = World::with_fixture().await;
    let login = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }";
    for username in ["approver", "nobody-by-this-name"] {
        for attempt in 0..5 {
            let r = world.anonymous().gql(login, json!({ "u": username, "p": format!("guess {attempt}") })).await;
            assert_eq!(r["errors"][0]["message"], "wrong username or password", "{r}");
        }
        // Locked now: even the right password is refused, with the same answer for both names.
        let r = world.anonymous().gql(login, json!({ "u": username, "p": PASSWORD })).await;
        assert_eq!(error_code(&r), "UNAUTHENTICATED");
        assert!(r["errors"][0]["message"].as_str().unwrap().contains("too many failed logins"), "{username}: {r}");
    }
    // Other usernames are not affected.
    assert!(world.anonymous().gql(login, json!({ "u": "admin", "p": PASSWORD })).await.get("errors").is_none());
}

#[tokio::test]
async fn a_token_issued_by_one_instance_works_on_another() {
    let world = World::with_fixture().await;
    let second = jixiao_tests::Server::start(&world.db.url).await;
    let token = world.login("approver").await.token.unwrap();
    let r = jixiao_tests::Client::new(&second.base_url).with_token(&token).data("{ me { username } }", json!({})).await;
    assert_eq!(r["me"]["username"], "approver");
}
