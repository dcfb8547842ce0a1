//! A GraphQL client over real HTTP.

use serde_json::{Value, json};

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    pub base_url: String,
    pub token: Option<String>,
    /// Sent as `Accept-Language` when set.
    pub language: Option<String>,
}

impl Client {
    pub fn new(base_url: &str) -> Client {
        Client { http: reqwest::Client::new(), base_url: base_url.to_string(), token: None, language: None }
    }

    /// The token this client signs in with (for requests made outside GraphQL, e.g. downloads).
    pub fn token(&self) -> &str {
        self.token.as_deref().unwrap_or("")
    }

    pub fn with_token(&self, token: &str) -> Client {
        Client { token: Some(token.to_string()), ..self.clone() }
    }

    /// The same client, asking for answers in `language` (an `Accept-Language` value).
    pub fn with_language(&self, language: &str) -> Client {
        Client { language: Some(language.to_string()), ..self.clone() }
    }

    pub async fn login(self, username: &str, password: &str) -> Client {
        let r = self
            .gql(
                "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token user { username } } }",
                json!({ "u": username, "p": password }),
            )
            .await;
        let token = r["data"]["login"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("login as {username} failed: {r}"))
            .to_string();
        self.with_token(&token)
    }

    /// POSTs a query with variables; returns the whole response body.
    pub async fn gql(&self, query: &str, variables: Value) -> Value {
        self.try_gql(query, variables).await.unwrap_or_else(|e| panic!("HTTP request: {e}"))
    }

    /// POSTs a query with variables; returns the response body exactly as sent.
    pub async fn raw(&self, query: &str, variables: Value) -> String {
        self.request(query, variables).send().await.expect("HTTP request").text().await.expect("a body")
    }

    /// POSTs `body` as it is, as JSON, with this client's token and language; the answer exactly
    /// as sent.
    pub async fn raw_body(&self, body: &str) -> String {
        let req = self.post().header("content-type", "application/json").body(body.to_string());
        req.send().await.expect("HTTP request").text().await.expect("a body")
    }

    /// A POST to `/graphql` with this client's token and language.
    fn post(&self) -> reqwest::RequestBuilder {
        let mut req = self.http.post(format!("{}/graphql", self.base_url));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        if let Some(l) = &self.language {
            req = req.header("accept-language", l);
        }
        req
    }

    /// The POST of a query with this client's token and language.
    fn request(&self, query: &str, variables: Value) -> reqwest::RequestBuilder {
        self.post().json(&json!({ "query": query, "variables": variables }))
    }

    /// Like `gql`, but a request that gets no answer (the connection closed) is an `Err`.
    pub async fn try_gql(&self, query: &str, variables: Value) -> Result<Value, String> {
        let resp = self.request(query, variables).send().await.map_err(|e| format!("{e:?}"))?;
        let status = resp.status();
        let text = resp.text().await.map_err(|e| format!("{e:?}"))?;
        Ok(serde_json::from_str(&text).unwrap_or_else(|_| panic!("non-JSON response ({status}): {text}")))
    }

    /// Like `gql`, but fails the test on any top-level error; returns `data`.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let r = self.gql(query, variables).await;
        assert!(r.get("errors").is_none(), "unexpected errors: {r}");
        r["data"].clone()
    }

    /// Sends `query` with one file as `$file`, the GraphQL multipart request convention
    /// (operations, map, the file), as Apollo's and urql's upload links do; the status and body.
    pub async fn upload(&self, query: &str, variables: Value, filename: &str, bytes: &[u8]) -> (u16, Value) {
        let boundary = "jixiao-test-boundary-7d1f";
        let mut variables = variables;
        variables["file"] = Value::Null;
        let operations = json!({ "query": query, "variables": variables }).to_string();
        let mut body = Vec::new();
        for (name, value) in [("operations", operations.as_str()), ("map", r#"{"0": ["variables.file"]}"#)] {
            body.extend(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
            );
        }
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"0\"; filename=\"{filename}\"\r\n\
                 Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
            )
            .bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(format!("\r\n--{boundary}--\r\n").bytes());
        let req = self.post().header("content-type", format!("multipart/form-data; boundary={boundary}")).body(body);
        let resp = req.send().await.expect("HTTP request");
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or_else(|_| panic!("non-JSON response ({status}): {text}")))
    }

    /// A GET of a file (a workbook, a public table) with this client's token: its status and bytes.
    pub async fn download(&self, path: &str) -> (u16, Vec<u8>) {
        let resp = self
            .http
            .get(format!("{}{path}", self.base_url))
            .bearer_auth(self.token())
            .send()
            .await
            .expect("HTTP request");
        (resp.status().as_u16(), resp.bytes().await.map(|b| b.to_vec()).unwrap_or_default())
    }

    /// A GET as a browser opening the address sends it (asking for `text/html`).
    pub async fn open_page(&self, path: &str) -> (u16, String) {
        let resp = self
            .http
            .get(format!("{}{path}", self.base_url))
            .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
            .send()
            .await
            .expect("HTTP request");
        (resp.status().as_u16(), resp.text().await.unwrap_or_default())
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let resp = self.http.get(format!("{}{path}", self.base_url)).send().await.expect("HTTP request");
        (resp.status().as_u16(), resp.text().await.unwrap_or_default())
    }
}

/// The `extensions.code` of the first error of a response.
pub fn error_code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error with a code: {response}"))
}

/// Builds a global ID the way the server does, for tests that need one of a row that does not exist.
pub fn encode_id(kind: &str, id: i64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

/// The row id inside a global ID (`Project:42` → 42), for tests that write rows straight into the
/// database beside the service.
pub fn decode_id(id: &str) -> i64 {
    use base64::Engine;
    let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(id).expect("a global ID");
    let text = String::from_utf8(text).expect("UTF-8");
    text.rsplit(':').next().and_then(|n| n.parse().ok()).expect("Kind:row")
}
