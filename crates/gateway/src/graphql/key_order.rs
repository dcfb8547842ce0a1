//! An answer's keys in the order of the selection that asked for them, as the specification says
//! a response should keep them. async-graphql resolves an object's fields concurrently and
//! inserts each as it completes, so a field that runs a query of its own can come after one
//! asked below it, and two identical requests can answer in different orders; hand-written
//! clients and snapshot tests trip on that.
//!
//! So every answer is put in order once it is complete, whichever path built it (the resolvers,
//! the plain one-pass objects, a kept document): each object's keys in the order their response
//! keys first appear in its selection, fragments spread in place (their type conditions are not
//! needed: an object only has keys its own type selected). The walk is linear in the answer and
//! its selection, and an object already in order is left as it is.

use std::collections::HashMap;

use async_graphql::Name;
use async_graphql::Value;
use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

use crate::graphql::guard::operation;

/// Puts `data`, the answer to `operation_name` of `document`, in the selection's order.
pub fn order_answer(document: &ExecutableDocument, operation_name: Option<&str>, data: &mut Value) {
    let Some(operation) = operation(document, operation_name) else { return };
    order(data, &[&operation.node.selection_set.node], document);
}

/// The response keys of an object in the order its selection sets ask for them, each with the
/// selection sets of its own fields (one per place the key is asked).
struct Plan<'a> {
    keys: Vec<(&'a Name, Vec<&'a SelectionSet>)>,
    /// Where each key is in `keys` (a selection may be thousands of keys wide).
    places: HashMap<&'a Name, usize>,
}

impl<'a> Plan<'a> {
    fn of(sets: &[&'a SelectionSet], document: &'a ExecutableDocument) -> Plan<'a> {
        let mut plan = Plan { keys: Vec::new(), places: HashMap::new() };
        for set in sets {
            plan.collect(set, document);
        }
        plan
    }

    /// Adds the keys of `set`, fragments spread in place. Fragment spreads neither cycle nor
    /// chain deeper than the guard allows (`guard.rs`), so the recursion is bounded.
    fn collect(&mut self, set: &'a SelectionSet, document: &'a ExecutableDocument) {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let key = &field.node.response_key().node;
                    let sub = &field.node.selection_set.node;
                    match self.places.get(key) {
                        Some(&place) => self.keys[place].1.push(sub),
                        None => {
                            self.places.insert(key, self.keys.len());
                            self.keys.push((key, vec![sub]));
                        }
                    }
                }
                Selection::InlineFragment(fragment) => self.collect(&fragment.node.selection_set.node, document),
                Selection::FragmentSpread(spread) => {
                    if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node) {
                        self.collect(&fragment.node.selection_set.node, document);
                    }
                }
            }
        }
    }

    /// Puts `value` (an object, or lists of them) in this plan's order, and its fields in theirs.
    fn apply(&self, value: &mut Value, document: &ExecutableDocument) {
        match value {
            Value::List(items) => items.iter_mut().for_each(|item| self.apply(item, document)),
            Value::Object(map) => {
                if !self.is_in_order(map) {
                    let mut unordered = std::mem::take(map);
                    for (key, _) in &self.keys {
                        if let Some((key, field)) = unordered.swap_remove_entry(*key) {
                            map.insert(key, field);
                        }
                    }
                    // Keys the selection does not name (none are expected) keep their place after.
                    map.extend(unordered);
                }
                for (key, subs) in &self.keys {
                    if subs.iter().any(|s| !s.items.is_empty())
                        && let Some(field) = map.get_mut(*key)
                    {
                        order(field, subs, document);
                    }
                }
            }
            _ => {}
        }
    }

    /// Whether the object's keys already come in the plan's order (a subsequence of it).
    fn is_in_order(&self, map: &IndexMap<Name, Value>) -> bool {
        let mut planned = self.keys.iter();
        map.keys().all(|key| planned.any(|(k, _)| *k == key))
    }
}

fn order(value: &mut Value, sets: &[&SelectionSet], document: &ExecutableDocument) {
    if matches!(value, Value::Object(_) | Value::List(_)) {
        Plan::of(sets, document).apply(value, document);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(value: &Value) -> Vec<String> {
        match value {
            Value::Object(map) => map.keys().map(|k| k.to_string()).collect(),
            _ => vec![],
        }
    }

    fn object(pairs: Vec<(&str, Value)>) -> Value {
        Value::Object(pairs.into_iter().map(|(k, v)| (Name::new(k), v)).collect())
    }

    #[test]
    fn keys_follow_the_selection_through_lists_aliases_and_fragments() {
        let document = async_graphql::parser::parse_query(
            "query Q { b: me { ...F username } a { x ... on T { z y } } } fragment F on U { id role }",
        )
        .unwrap();
        let me = object(vec![("username", Value::Null), ("role", Value::Null), ("id", Value::Null)]);
        let row = object(vec![("y", Value::Null), ("x", Value::Null), ("z", Value::Null)]);
        let mut data = object(vec![("a", Value::List(vec![row.clone(), row])), ("b", me)]);
        order_answer(&document, Some("Q"), &mut data);
        assert_eq!(keys(&data), ["b", "a"]);
        let Value::Object(map) = &data else { unreachable!() };
        assert_eq!(keys(&map["b"]), ["id", "role", "username"]);
        let Value::List(rows) = &map["a"] else { unreachable!() };
        assert!(rows.iter().all(|r| keys(r) == ["x", "z", "y"]), "{rows:?}");
    }
}
