//! The order of a GeoJSON file's property names, as written. The reader keeps properties in a
//! map sorted by name (serde_json's), which is all a feature needs; an attribute table should
//! show the fields as the file has them, as a DBF or a GeoPackage table does. So this reads
//! the names again, from the first features only: the values and geometries are skipped, and
//! the reading stops once enough features have been seen, however large the file.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// How many features are looked at for the order of their properties.
const FEATURES_LOOKED_AT: usize = 200;

/// The property names of the first features, in the order first written; `None` when the
/// text is not a FeatureCollection that can be read that far.
pub fn property_order(reader: impl std::io::Read) -> Option<Vec<String>> {
    let mut names = Names::default();
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    match Collection(&mut names).deserialize(&mut de) {
        Ok(()) => Some(names.order),
        Err(e) if e.to_string().starts_with(ENOUGH) => Some(names.order),
        Err(_) => None,
    }
}

/// The error that stops the reading early once enough features have been seen.
const ENOUGH: &str = "onemap: enough features seen";

#[derive(Default)]
struct Names {
    order: Vec<String>,
    seen: std::collections::HashSet<String>,
    features: usize,
}

impl Names {
    fn add(&mut self, name: String) {
        if self.seen.insert(name.clone()) {
            self.order.push(name);
        }
    }
}

/// The top-level object: only its `features` member is read.
struct Collection<'n>(&'n mut Names);

impl<'de> DeserializeSeed<'de> for Collection<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Collection<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON FeatureCollection")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "features" {
                map.next_value_seed(Features(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct Features<'n>(&'n mut Names);

impl<'de> DeserializeSeed<'de> for Features<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Features<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of features")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Feature(&mut *self.0))?.is_some() {
            self.0.features += 1;
            if self.0.features >= FEATURES_LOOKED_AT {
                return Err(de::Error::custom(ENOUGH));
            }
        }
        Ok(())
    }
}

/// A feature: only the names of its `properties` are kept.
struct Feature<'n>(&'n mut Names);

impl<'de> DeserializeSeed<'de> for Feature<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Feature<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a feature")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "properties" {
                map.next_value_seed(Properties(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
    // Anything else in the list (a lenient reader skips it) has no properties.
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
}

struct Properties<'n>(&'n mut Names);

impl<'de> DeserializeSeed<'de> for Properties<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Properties<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the properties of a feature")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<IgnoredAny>()?;
            self.0.add(key);
        }
        Ok(())
    }
    // `null` properties: none.
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_in_the_order_written_across_features() {
        let text = r#"{"type": "FeatureCollection", "name": "x", "features": [
            {"type": "Feature", "properties": {"名称": "甲", "b": 1, "a": [1, {"z": 2}]},
             "geometry": {"type": "Point", "coordinates": [121, 31]}},
            {"type": "Feature", "geometry": null, "properties": null},
            {"type": "Feature", "properties": {"c": null, "b": 2}, "geometry": null}
        ]}"#;
        assert_eq!(
            property_order(text.as_bytes()).unwrap(),
            ["名称", "b", "a", "c"]
        );
    }

    #[test]
    fn a_large_file_is_read_only_as_far_as_it_needs_and_a_broken_one_gives_none() {
        let feature = r#"{"type": "Feature", "properties": {"k": 1}, "geometry": null}"#;
        let mut text = String::from(r#"{"type": "FeatureCollection", "features": ["#);
        for _ in 0..FEATURES_LOOKED_AT + 5 {
            text.push_str(feature);
            text.push(',');
        }
        // Broken after the features looked at: never reached.
        text.push_str("this is not JSON");
        assert_eq!(property_order(text.as_bytes()).unwrap(), ["k"]);
        assert_eq!(property_order(&b"{\"features\": [oops"[..]), None);
    }
}
