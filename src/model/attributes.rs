//! A data layer feature's attributes, kept compactly. A `serde_json::Map` per feature costs a
//! B-tree node (about 600 bytes even for three attributes) and a copy of every field name; a
//! large layer (50,000 parcels) spent more on that than on its coordinates. Here the field
//! names are one shared list for the features that have the same fields (a layer's features
//! all do, as a rule) and the values a boxed slice beside it.

use std::cell::RefCell;
use std::sync::Arc;

use serde_json::{Map, Value};

/// The attributes of one feature, in the order a `serde_json::Map` gives them (by key), so
/// that what is shown or written from them is what it was from the map.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attributes {
    /// Sorted, without duplicates; shared with other features that have the same keys.
    keys: Arc<[String]>,
    /// `values[i]` is the value of `keys[i]`.
    values: Box<[Value]>,
}

thread_local! {
    /// The key list made last on this thread: the next feature of a layer has the same keys,
    /// and shares the list instead of a copy.
    static LAST_KEYS: RefCell<Option<Arc<[String]>>> = const { RefCell::new(None) };
}

impl Attributes {
    /// The value of `key`, if the feature has that attribute.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.index(key).map(|i| &self.values[i])
    }

    fn index(&self, key: &str) -> Option<usize> {
        self.keys.binary_search_by(|k| k.as_str().cmp(key)).ok()
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.index(key).is_some()
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The attributes by key, as a map would give them.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> + '_ {
        self.keys.iter().zip(self.values.iter())
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> + '_ {
        self.keys.iter()
    }

    pub fn values(&self) -> impl Iterator<Item = &Value> + '_ {
        self.values.iter()
    }

    /// The attributes as a JSON object's map (for writers and for edits).
    pub fn to_map(&self) -> Map<String, Value> {
        self.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// Shares the key list of the feature made before on this thread when it is the same.
    fn shared_keys(keys: Vec<String>) -> Arc<[String]> {
        LAST_KEYS.with(|last| {
            let mut last = last.borrow_mut();
            match last.as_ref() {
                Some(shared) if shared[..] == keys[..] => Arc::clone(shared),
                _ => {
                    let shared: Arc<[String]> = keys.into();
                    *last = Some(Arc::clone(&shared));
                    shared
                }
            }
        })
    }
}

impl From<Map<String, Value>> for Attributes {
    fn from(map: Map<String, Value>) -> Self {
        // A map iterates by key: the keys come sorted and unique.
        let (keys, values): (Vec<String>, Vec<Value>) = map.into_iter().unzip();
        Self {
            keys: Self::shared_keys(keys),
            values: values.into_boxed_slice(),
        }
    }
}

impl From<Attributes> for Map<String, Value> {
    fn from(attributes: Attributes) -> Self {
        let keys = attributes.keys;
        keys.iter()
            .cloned()
            .zip(attributes.values.into_vec())
            .collect()
    }
}

/// `attributes["key"]`, as on a JSON value: `null` when the feature has no such attribute.
impl std::ops::Index<&str> for Attributes {
    type Output = Value;

    fn index(&self, key: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.get(key).unwrap_or(&NULL)
    }
}

impl FromIterator<(String, Value)> for Attributes {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        Map::from_iter(iter).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(m) => m,
            _ => unreachable!("an object"),
        }
    }

    #[test]
    fn reads_back_as_the_map_it_was_made_from() {
        let m = map(json!({"名称": "园区", "b": 2, "a": null, "c": [1, "x"], "d": {"e": 1.5}}));
        let attributes = Attributes::from(m.clone());
        assert_eq!(attributes.len(), 5);
        assert_eq!(attributes.get("名称"), Some(&json!("园区")));
        assert_eq!(attributes.get("a"), Some(&Value::Null));
        assert_eq!(attributes.get("z"), None);
        assert_eq!(attributes["b"], json!(2));
        assert_eq!(attributes["z"], Value::Null);
        assert!(attributes.contains_key("d") && !attributes.contains_key("e"));
        let in_order: Vec<&String> = attributes.keys().collect();
        let map_order: Vec<&String> = m.keys().collect();
        assert_eq!(in_order, map_order);
        assert_eq!(attributes.to_map(), m);
        assert_eq!(Map::from(attributes), m);
    }

    #[test]
    fn features_with_the_same_fields_share_one_key_list() {
        let a = Attributes::from(map(json!({"name": "a", "kind": "eco"})));
        let b = Attributes::from(map(json!({"name": "b", "kind": "built"})));
        let c = Attributes::from(map(json!({"name": "c"})));
        assert!(Arc::ptr_eq(&a.keys, &b.keys));
        assert!(!Arc::ptr_eq(&a.keys, &c.keys));
        assert_ne!(a, b);
        assert_eq!(c.get("name"), Some(&json!("c")));
        assert!(Attributes::default().is_empty());
    }
}
