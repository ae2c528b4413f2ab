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

    /// Whether this feature and `other` hold one list of names between them (not two equal
    /// ones): what a layer's features do when read by a format's reader.
    pub fn shares_keys_with(&self, other: &Attributes) -> bool {
        Arc::ptr_eq(&self.keys, &other.keys)
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

    /// Sets `key` to `value`, as a map's insert does, and gives back the value it had. A new
    /// key gives this feature a key list of its own.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match self.keys.binary_search_by(|k| k.as_str().cmp(&key)) {
            Ok(i) => Some(std::mem::replace(&mut self.values[i], value)),
            Err(i) => {
                let mut keys = self.keys.to_vec();
                keys.insert(i, key);
                let mut values = std::mem::take(&mut self.values).into_vec();
                values.insert(i, value);
                self.keys = keys.into();
                self.values = values.into_boxed_slice();
                None
            }
        }
    }

    /// The values, to change in place (the keys stay as they are).
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Value> + '_ {
        self.values.iter_mut()
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

/// The attributes of features that all have the same fields, built straight from each
/// feature's values in the file's order (a DBF's fields, a table's columns): no map per
/// feature on the way (a `serde_json::Map` of four fields is a B-tree node of about 600 bytes
/// and a copy of every name), and one key list for them all.
#[derive(Clone, Debug)]
pub struct FieldLayout {
    /// The names sorted and without duplicates, as [`Attributes`] keeps them.
    keys: Arc<[String]>,
    /// For each name in the file's order, the index of its key.
    slots: Vec<usize>,
}

impl FieldLayout {
    /// The layout of fields named `names`, in the file's order.
    pub fn new<S: AsRef<str>>(names: &[S]) -> Self {
        let mut keys: Vec<String> = names.iter().map(|n| n.as_ref().to_owned()).collect();
        keys.sort();
        keys.dedup();
        let slots = names
            .iter()
            .map(|n| {
                keys.binary_search_by(|k| k.as_str().cmp(n.as_ref()))
                    .unwrap_or_else(|i| i)
            })
            .collect();
        Self {
            keys: keys.into(),
            slots,
        }
    }

    /// One feature's attributes from its values, one per name in the file's order. A name
    /// given twice keeps its last value, as inserting into a map does; a name without a value
    /// is null.
    pub fn attributes(&self, values: impl IntoIterator<Item = Value>) -> Attributes {
        let mut sorted = vec![Value::Null; self.keys.len()];
        for (slot, value) in self.slots.iter().zip(values) {
            if let Some(place) = sorted.get_mut(*slot) {
                *place = value;
            }
        }
        Attributes {
            keys: Arc::clone(&self.keys),
            values: sorted.into_boxed_slice(),
        }
    }
}

impl<'a> IntoIterator for &'a Attributes {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Zip<std::slice::Iter<'a, String>, std::slice::Iter<'a, Value>>;

    fn into_iter(self) -> Self::IntoIter {
        self.keys.iter().zip(self.values.iter())
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

    #[test]
    fn a_field_layout_builds_what_a_map_of_the_same_values_gives() {
        let names = ["名称", "area", "b", "area"];
        let layout = FieldLayout::new(&names);
        let values = || vec![json!("园区"), json!(1.5), Value::Null, json!(2)];
        let built = layout.attributes(values());
        let mut map = Map::new();
        for (name, value) in names.iter().zip(values()) {
            map.insert((*name).to_owned(), value);
        }
        assert_eq!(built, Attributes::from(map.clone()));
        assert_eq!(built.to_map(), map);
        assert_eq!(built["area"], json!(2));
        let other = layout.attributes(values());
        assert!(Arc::ptr_eq(&built.keys, &other.keys));
        let mut changed = built.clone();
        assert_eq!(changed.insert("b".into(), json!(true)), Some(Value::Null));
        assert_eq!(changed.insert("a".into(), json!(0)), None);
        map.insert("b".into(), json!(true));
        map.insert("a".into(), json!(0));
        assert_eq!(changed, Attributes::from(map));
        let short = layout.attributes([json!("x")]);
        assert_eq!((short.len(), &short["b"]), (3, &Value::Null));
    }
}
