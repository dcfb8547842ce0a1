//! The fields of every input object of the schema, to tell whether a variable's value names only
//! fields its type has. A document that passed async-graphql's full validation once is not
//! validated in full again (`schema.rs`): of what that validation checks, only the variables'
//! values change from one request to the next, and of those checks only one is not made again
//! when the arguments are read — a field the input type does not have is ignored by reading,
//! refused by validation. This is that check, over the schema's input types as async-graphql
//! registers them.

use std::collections::HashMap;

use async_graphql::registry::{MetaType, MetaTypeName, Registry};
use async_graphql::{OutputType, SubscriptionType, Value as ConstValue};

use crate::graphql::mutation::Mutation;
use crate::graphql::query::Query;
use crate::graphql::subscription::Subscription;

/// Each input object's fields, with what each field's value may hold.
pub struct InputShapes {
    index: HashMap<String, usize>,
    objects: Vec<Vec<(String, Shape)>>,
}

/// What a value of a type may hold, as far as fields go (whether it may be null is checked when
/// the argument is read).
#[derive(Debug)]
enum Shape {
    /// A scalar or an enum: no fields.
    Leaf,
    /// The input object of this index in [`InputShapes::objects`].
    Object(usize),
    List(Box<Shape>),
}

impl InputShapes {
    /// The input objects the operations' arguments can reach (a type it does not know would
    /// pass as having no fields, so every one is taken).
    pub fn of_schema() -> InputShapes {
        let mut registry = Registry::default();
        <Query as OutputType>::create_type_info(&mut registry);
        <Mutation as OutputType>::create_type_info(&mut registry);
        <Subscription as SubscriptionType>::create_type_info(&mut registry);
        let inputs: Vec<(String, Vec<(String, String)>)> = registry
            .types
            .into_iter()
            .filter_map(|(name, ty)| match ty {
                MetaType::InputObject { input_fields, .. } => {
                    Some((name, input_fields.into_values().map(|f| (f.name, f.ty)).collect()))
                }
                _ => None,
            })
            .collect();
        let mut shapes = InputShapes {
            index: inputs.iter().enumerate().map(|(i, (name, _))| (name.clone(), i)).collect(),
            objects: Vec::new(),
        };
        shapes.objects = inputs
            .iter()
            .map(|(_, fields)| fields.iter().map(|(name, ty)| (name.clone(), shapes.shape(ty))).collect())
            .collect();
        shapes
    }

    /// The shape of the type `ty`, as the schema writes it (`[IndicatorInput!]!`).
    fn shape(&self, ty: &str) -> Shape {
        match MetaTypeName::create(ty) {
            MetaTypeName::NonNull(inner) => self.shape(inner),
            MetaTypeName::List(inner) => Shape::List(Box::new(self.shape(inner))),
            MetaTypeName::Named(name) => self.index.get(name).map_or(Shape::Leaf, |i| Shape::Object(*i)),
        }
    }

    /// Whether `value`, given for the type `ty`, names only fields that its input objects, and
    /// theirs in turn, have. Everything else about the value is checked when the argument is read.
    pub fn fits(&self, ty: &str, value: &ConstValue) -> bool {
        self.fits_shape(&self.shape(ty), value)
    }

    fn fits_shape(&self, shape: &Shape, value: &ConstValue) -> bool {
        match (shape, value) {
            (Shape::Leaf, _) => true,
            (Shape::List(inner), ConstValue::List(items)) => items.iter().all(|item| self.fits_shape(inner, item)),
            // One value where a list is asked is read as a list of one.
            (Shape::List(inner), other) => self.fits_shape(inner, other),
            (Shape::Object(i), ConstValue::Object(given)) => given.iter().all(|(key, value)| {
                self.objects[*i]
                    .iter()
                    .find(|(field, _)| field == key.as_str())
                    .is_some_and(|(_, shape)| self.fits_shape(shape, value))
            }),
            (Shape::Object(_), _) => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(json: serde_json::Value) -> ConstValue {
        ConstValue::from_json(json).unwrap()
    }

    #[test]
    fn a_field_the_type_lacks_is_found_at_any_depth() {
        let shapes = InputShapes::of_schema();
        let row = serde_json::json!({ "level1": "OUTPUT", "level2": "QUANTITY", "name": "完成率", "target": ">=95%" });
        let form = |rows: serde_json::Value| value(serde_json::json!({ "name": "项目", "indicators": rows }));
        assert!(shapes.fits("CreateProjectInput!", &form(serde_json::json!([row.clone(), row.clone()]))));
        assert!(shapes.fits("CreateProjectInput!", &form(row.clone())), "one row where a list is asked");
        let mut extra = row.clone();
        extra["weight"] = serde_json::json!(3);
        assert!(!shapes.fits("CreateProjectInput!", &form(serde_json::json!([row.clone(), extra.clone()]))));
        assert!(!shapes.fits("CreateProjectInput!", &form(extra)), "in a row given alone");
        assert!(!shapes.fits("CreateProjectInput", &value(serde_json::json!({ "nmae": "项目" }))));
        assert!(shapes.fits("CreateProjectInput", &ConstValue::Null));
        // Scalars and enums are not this check's business: reading the argument checks them.
        assert!(shapes.fits("Int!", &value(serde_json::json!({ "any": 1 }))));
    }

    #[test]
    fn every_input_object_of_the_schema_is_known() {
        let shapes = InputShapes::of_schema();
        let sdl = crate::graphql::schema::sdl();
        let declared: Vec<&str> = sdl.lines().filter_map(|l| l.strip_prefix("input ")?.split(' ').next()).collect();
        assert!(declared.len() > 10, "{declared:?}");
        for name in declared {
            assert!(shapes.index.contains_key(name), "{name} is missing");
        }
    }
}
