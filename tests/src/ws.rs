//! A graphql-transport-ws client over a real WebSocket, as Apollo and urql speak it.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub struct Subscriber {
    socket: Socket,
}

/// How a connection ended: its close code and reason.
#[derive(Debug, PartialEq, Eq)]
pub struct Closed {
    pub code: u16,
    pub reason: String,
}

impl Subscriber {
    /// Opens `/graphql` of `base_url` as a WebSocket and sends `connection_init` with `payload`;
    /// the server's first answer (`connection_ack`, or how it closed).
    pub async fn connect(base_url: &str, payload: Value) -> (Subscriber, Result<Value, Closed>) {
        Subscriber::connect_in(base_url, payload, None).await
    }

    /// [`Subscriber::connect`] asking for `language` (`Accept-Language` on the upgrade request).
    pub async fn connect_in(
        base_url: &str,
        payload: Value,
        language: Option<&str>,
    ) -> (Subscriber, Result<Value, Closed>) {
        let url = format!("{}/graphql", base_url.replacen("http", "ws", 1));
        let mut request = url.into_client_request().unwrap();
        request.headers_mut().insert("sec-websocket-protocol", "graphql-transport-ws".parse().unwrap());
        if let Some(language) = language {
            request.headers_mut().insert("accept-language", language.parse().unwrap());
        }
        let (socket, response) = tokio_tungstenite::connect_async(request).await.expect("the WebSocket opens");
        assert_eq!(
            response.headers().get("sec-websocket-protocol").and_then(|v| v.to_str().ok()),
            Some("graphql-transport-ws"),
            "the server speaks graphql-transport-ws"
        );
        let mut s = Subscriber { socket };
        s.send(json!({ "type": "connection_init", "payload": payload })).await;
        let first = s.next(Duration::from_secs(5)).await.expect("an answer to connection_init");
        (s, first)
    }

    /// [`Subscriber::subscribe`], returning once the server has registered the subscription (its
    /// `jixiao_subscriptions_open` counts it, and a counted subscription already receives every
    /// event): the barrier between subscribing and acting, instead of a sleep.
    pub async fn subscribed(base_url: &str, token: &str, id: &str, query: &str) -> Subscriber {
        let before = subscriptions_open(base_url).await;
        let s = Subscriber::subscribe(base_url, token, id, query).await;
        until_subscriptions(base_url, before + 1).await;
        s
    }

    /// Signs in with `token` and subscribes `query` as subscription `id`.
    pub async fn subscribe(base_url: &str, token: &str, id: &str, query: &str) -> Subscriber {
        Subscriber::subscribe_in(base_url, token, id, query, None).await
    }

    /// [`Subscriber::subscribe`] asking for `language` (what its errors and close reasons read).
    pub async fn subscribe_in(
        base_url: &str,
        token: &str,
        id: &str,
        query: &str,
        language: Option<&str>,
    ) -> Subscriber {
        let (mut s, ack) = Subscriber::connect_in(base_url, json!({ "token": token }), language).await;
        assert_eq!(ack.expect("accepted")["type"], "connection_ack");
        s.send(json!({ "id": id, "type": "subscribe", "payload": { "query": query } })).await;
        s
    }

    pub async fn send(&mut self, message: Value) {
        self.socket.send(Message::Text(message.to_string().into())).await.expect("sent");
    }

    /// The next message within `within` (`None`: nothing came), or how the connection closed.
    pub async fn next(&mut self, within: Duration) -> Option<Result<Value, Closed>> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let message = tokio::time::timeout_at(deadline, self.socket.next()).await.ok()?;
            match message {
                Some(Ok(Message::Text(text))) => {
                    let value: Value = serde_json::from_str(&text).expect("JSON");
                    if value["type"] == "ping" {
                        self.send(json!({ "type": "pong" })).await;
                        continue;
                    }
                    return Some(Ok(value));
                }
                Some(Ok(Message::Close(frame))) => {
                    let (code, reason) =
                        frame.map(|f| (u16::from(f.code), f.reason.to_string())).unwrap_or((1005, String::new()));
                    return Some(Err(Closed { code, reason }));
                }
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return Some(Err(Closed { code: 1006, reason: String::new() })),
            }
        }
    }

    /// The data of the next `next` message within `within`; panics on anything else (an error
    /// in it included).
    pub async fn event(&mut self, within: Duration) -> Option<Value> {
        match self.next(within).await? {
            Ok(m) if m["type"] == "next" && m["payload"].get("errors").is_none() => Some(m["payload"]["data"].clone()),
            other => panic!("expected an event, got {other:?}"),
        }
    }
}

/// The subscriptions the instance at `base_url` has open (`/metrics`).
pub async fn subscriptions_open(base_url: &str) -> u64 {
    crate::metric(&crate::client::Client::new(base_url), "jixiao_subscriptions_open").await
}

/// Waits (up to 10 s, then fails) until the instance at `base_url` has exactly `n` subscriptions
/// open: after subscribing, every event from then on reaches them; after closing, they are gone.
pub async fn until_subscriptions(base_url: &str, n: u64) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let open = subscriptions_open(base_url).await;
        if open == n {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "{open} subscriptions open after 10 s, not {n}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
