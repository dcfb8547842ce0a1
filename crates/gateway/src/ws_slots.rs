//! How many subscriptions a connection and a user may hold open at once.
//!
//! Each event wakes every subscription of a connection, and async-graphql's WebSocket polls all
//! of a connection's streams whenever one of them is woken: an event costs the square of the
//! subscriptions on a connection (5,000 on one socket took 2 s an event, and two sockets of 12,000
//! held `/healthz` for 8.3 s). A cap per connection keeps that square small and constant, so an
//! event costs at most [`PER_CONNECTION`] times the subscriptions open, linear in them; a cap per
//! user keeps one account from opening connections by the hundred to get around it. A screen
//! needs a handful.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use jixiao_domain::Message;

use crate::error::ApiError;

/// Subscriptions open at once on one connection.
pub const PER_CONNECTION: usize = 32;
/// Subscriptions open at once by one user, over all their connections to this instance.
pub const PER_USER: usize = 128;

/// Open subscriptions per user, shared by every connection of the instance.
#[derive(Clone, Default)]
pub struct UserSlots(Arc<Mutex<HashMap<i64, usize>>>);

/// One connection's open subscriptions (by the client's ids), counted against its user's slots;
/// what it still holds is given back when it is dropped.
pub struct ConnectionSlots {
    users: UserSlots,
    open: Mutex<(Option<i64>, HashSet<String>)>,
}

fn too_many(limit: usize, zh_whose: &str, en_whose: &str) -> ApiError {
    ApiError::RateLimited(Message::new(
        format!("{zh_whose}同时打开的订阅已达上限 {limit} 个：请先结束不用的订阅"),
        format!("{en_whose} already {limit} subscriptions open, the most allowed: complete those no longer used"),
    ))
}

impl ConnectionSlots {
    pub fn new(users: UserSlots) -> Self {
        ConnectionSlots { users, open: Mutex::new((None, HashSet::new())) }
    }

    /// Takes a slot for subscription `id` of `user` (a repeated id replaces its subscription and
    /// keeps its slot), or says why not.
    pub fn take(&self, user: i64, id: &str) -> Result<(), ApiError> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if open.1.contains(id) {
            return Ok(());
        }
        if open.1.len() >= PER_CONNECTION {
            return Err(too_many(PER_CONNECTION, "此连接", "this connection has"));
        }
        let mut users = self.users.0.lock().unwrap_or_else(|e| e.into_inner());
        let count = users.entry(user).or_default();
        if *count >= PER_USER {
            return Err(too_many(PER_USER, "您的账号", "your account has"));
        }
        *count += 1;
        open.0 = Some(user);
        open.1.insert(id.to_string());
        Ok(())
    }

    /// Gives back the slot of subscription `id` (stopped by the client, or ended by the server).
    pub fn give_back(&self, id: &str) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if open.1.remove(id) {
            if let Some(user) = open.0 {
                self.users.release(user, 1);
            }
        }
    }
}

impl UserSlots {
    fn release(&self, user: i64, n: usize) {
        let mut users = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = users.get_mut(&user) {
            *count = count.saturating_sub(n);
            if *count == 0 {
                users.remove(&user);
            }
        }
    }
}

impl Drop for ConnectionSlots {
    fn drop(&mut self) {
        let open = self.open.get_mut().unwrap_or_else(|e| e.into_inner());
        if let Some(user) = open.0 {
            self.users.release(user, open.1.len());
        }
    }
}

/// The subscription id a server message ends (`complete`, or `error` for one that never
/// started), read without parsing the `next` messages that carry data.
pub fn ended_id(text: &str) -> Option<String> {
    let head = text.get(..24).unwrap_or(text);
    if !head.contains("\"complete\"") && !head.contains("\"error\"") {
        return None;
    }
    let message: serde_json::Value = serde_json::from_str(text).ok()?;
    matches!(message.get("type")?.as_str()?, "complete" | "error")
        .then(|| message.get("id")?.as_str().map(str::to_string))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_and_a_user_hold_at_most_their_slots() {
        let users = UserSlots::default();
        let one = ConnectionSlots::new(users.clone());
        for i in 0..PER_CONNECTION {
            one.take(7, &i.to_string()).unwrap();
        }
        assert!(one.take(7, "0").is_ok(), "a repeated id keeps its slot");
        assert!(one.take(7, "new").is_err(), "the connection is full");
        one.give_back("3");
        assert!(one.take(7, "new").is_ok(), "a slot given back is free again");
        // Other connections of the same user fill the user's slots.
        let others: Vec<ConnectionSlots> = (0..4).map(|_| ConnectionSlots::new(users.clone())).collect();
        let mut refused = 0;
        for (c, slots) in others.iter().enumerate() {
            for i in 0..PER_CONNECTION {
                if slots.take(7, &format!("{c}-{i}")).is_err() {
                    refused += 1;
                }
            }
        }
        assert_eq!(refused, 4 * PER_CONNECTION - (PER_USER - PER_CONNECTION));
        assert!(ConnectionSlots::new(users.clone()).take(8, "x").is_ok(), "another user has slots of their own");
        drop(one);
        drop(others);
        assert!(users.0.lock().unwrap().is_empty(), "closed connections give back every slot");
    }

    #[test]
    fn the_end_of_a_subscription_is_read_from_its_message() {
        assert_eq!(ended_id(r#"{"type":"complete","id":"7"}"#).as_deref(), Some("7"));
        assert_eq!(ended_id(r#"{"type":"error","id":"a","payload":[]}"#).as_deref(), Some("a"));
        assert_eq!(ended_id(r#"{"type":"next","id":"7","payload":{"data":{"x":"complete"}}}"#), None);
        assert_eq!(ended_id(r#"{"type":"connection_ack"}"#), None);
    }
}
