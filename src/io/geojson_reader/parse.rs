//! The serde side of the reader: typed, lenient visitors that parse a GeoJSON document in one
//! pass and hand each entry of `features` to a [`Sink`] as soon as it is read, so that only one
//! feature's raw coordinates exist at a time.
//!
//! "Lenient" means that a member of the wrong JSON type (a position of strings, a `properties`
//! that is a number, an entry that is not an object) is kept as a marker for the validation to
//! name, instead of failing the whole file: only broken JSON stops the parse, with its line and
//! column.

use std::fmt;

use geo::Coord;
use serde::Deserialize;
use serde::de::{
    DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor, value::MapAccessDeserializer,
};
use serde_json::{Map, Value};

/// A JSON string, or `None` when the member held something else.
#[derive(Debug, Default)]
pub(super) struct Text(pub Option<String>);

/// Nested coordinate arrays of any depth; an array of numbers is a position (any third
/// number, an altitude, is dropped), read without an allocation of its own.
#[derive(Debug)]
pub(super) enum Coords {
    Number(f64),
    Position(Coord<f64>),
    /// An array that starts with a number but has fewer than two: its length.
    ShortPosition(usize),
    /// A string, `true`, `null` or an object where a number or an array was expected.
    NotANumber,
    List(Vec<Coords>),
    /// A non-empty array of positions only (a line or a ring, the bulk of a file): kept as
    /// coordinates, without a `Coords` around each. Checked as the `List` of them would be.
    Positions(Vec<Coord<f64>>),
}

/// A geometry object as written, before any check.
#[derive(Debug, Default)]
pub(super) struct RawGeometry {
    pub kind: Text,
    pub coordinates: Option<Coords>,
    /// `Some(None)`: a `geometries` member that is not an array.
    pub geometries: Option<Option<Vec<RawGeometry>>>,
    /// The member was not a JSON object at all.
    pub not_an_object: bool,
}

/// A feature's `properties`, kept (`Value`) or only looked at ([`Shape`]).
pub(crate) trait Properties: for<'de> Deserialize<'de> + Default + Send {
    /// The properties as a map (empty for `null` or absent), or `Err` when they are neither
    /// an object nor `null`.
    fn into_map(self) -> Result<Map<String, Value>, ()>;
    /// The `id` property, when it is a string.
    fn id(&self) -> Option<String>;
}

impl Properties for Value {
    fn into_map(self) -> Result<Map<String, Value>, ()> {
        match self {
            Value::Object(m) => Ok(m),
            Value::Null => Ok(Map::new()),
            _ => Err(()),
        }
    }
    fn id(&self) -> Option<String> {
        self.get("id").and_then(Value::as_str).map(str::to_owned)
    }
}

/// Properties skipped unread: only whether they are an object (or `null`) and their `id` are
/// kept, so that a problem names its feature as when the properties are read.
#[derive(Debug, Default)]
pub(crate) struct Shape {
    not_an_object: bool,
    id: Option<String>,
}

impl Properties for Shape {
    fn into_map(self) -> Result<Map<String, Value>, ()> {
        if self.not_an_object {
            Err(())
        } else {
            Ok(Map::new())
        }
    }
    fn id(&self) -> Option<String> {
        self.id.clone()
    }
}

/// A member name that is only compared with `id`, without being copied.
struct IsId(bool);

impl<'de> Deserialize<'de> for IsId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = IsId;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E>(self, v: &str) -> Result<IsId, E> {
                Ok(IsId(v == "id"))
            }
        }
        d.deserialize_identifier(V)
    }
}

/// One entry of the `features` array as written.
#[derive(Debug)]
pub(super) enum Entry<P> {
    Object(RawFeature<P>),
    NotAnObject,
}

#[derive(Debug, Default, Deserialize)]
#[serde(bound = "P: Properties")]
pub(super) struct RawFeature<P> {
    #[serde(rename = "type", default)]
    pub kind: Text,
    #[serde(default)]
    pub id: Option<Value>,
    #[serde(default)]
    pub properties: P,
    #[serde(default)]
    pub geometry: Option<RawGeometry>,
}

/// Where the entries of `features` go, in file order. `Err` stops the parse (the sink knows why).
pub(super) trait Sink<P> {
    fn entry(&mut self, entry: Entry<P>) -> Result<(), ()>;
}

/// The `features` member of the top-level object.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) enum FeaturesMember {
    #[default]
    Absent,
    Array,
    NotAnArray,
}

/// The top-level object: every member that a FeatureCollection, a Feature or a geometry has,
/// in any order; the entries of `features` have gone to the sink. Other members (`name`,
/// `bbox`, `note`, …) are kept as they are.
#[derive(Debug, Default)]
pub(super) struct Root<P> {
    pub kind: Text,
    pub features: FeaturesMember,
    pub feature: RawFeature<P>,
    pub coordinates: Option<Coords>,
    pub geometries: Option<Option<Vec<RawGeometry>>>,
    pub members: Map<String, Value>,
    /// The document was not a JSON object.
    pub not_an_object: bool,
}

/// Drains whatever is left of a map or sequence that is not wanted.
fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<Skim, Skim>()?.is_some() {}
    Ok(())
}

fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<Skim>()?.is_some() {}
    Ok(())
}

/// Implements the visits of anything that is not what a lenient visitor wants: each gives
/// `$other` after draining the value.
macro_rules! otherwise {
    ($t:ty, $other:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<$t, E> {
            Ok($other)
        }
        fn visit_str<E>(self, _: &str) -> Result<$t, E> {
            Ok($other)
        }
        fn visit_unit<E>(self) -> Result<$t, E> {
            Ok($other)
        }
        fn visit_none<E>(self) -> Result<$t, E> {
            Ok($other)
        }
    };
}

macro_rules! otherwise_numbers {
    ($t:ty, $other:expr) => {
        fn visit_f64<E>(self, _: f64) -> Result<$t, E> {
            Ok($other)
        }
        fn visit_i64<E>(self, _: i64) -> Result<$t, E> {
            Ok($other)
        }
        fn visit_u64<E>(self, _: u64) -> Result<$t, E> {
            Ok($other)
        }
    };
}

macro_rules! otherwise_containers {
    ($t:ty, $other:expr) => {
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<$t, A::Error> {
            drain_seq(seq)?;
            Ok($other)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<$t, A::Error> {
            drain_map(map)?;
            Ok($other)
        }
    };
}

/// A JSON value that is not kept, but checked as `serde_json::Value` would check it (numbers in
/// range, strings valid): `IgnoredAny` lets `1e400` and a lone `\ud800` through, so a file
/// would read differently with and without its properties.
pub(super) struct Skim;

impl<'de> Deserialize<'de> for Skim {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Skim;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            otherwise!(Skim, Skim);
            otherwise_numbers!(Skim, Skim);
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Skim, A::Error> {
                drain_seq(seq)?;
                Ok(Skim)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Skim, A::Error> {
                drain_map(map)?;
                Ok(Skim)
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E>(self, v: &str) -> Result<Text, E> {
                Ok(Text(Some(v.to_owned())))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_unit<E>(self) -> Result<Text, E> {
                Ok(Text(None))
            }
            otherwise_numbers!(Text, Text(None));
            otherwise_containers!(Text, Text(None));
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Shape;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
                let mut shape = Shape::default();
                while let Some(IsId(is_id)) = map.next_key()? {
                    if is_id {
                        shape.id = map.next_value::<Text>()?.0;
                    } else {
                        map.next_value::<Skim>()?;
                    }
                }
                Ok(shape)
            }
            fn visit_unit<E>(self) -> Result<Shape, E> {
                Ok(Shape::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Shape, A::Error> {
                drain_seq(seq)?;
                Ok(Shape {
                    not_an_object: true,
                    id: None,
                })
            }
            fn visit_bool<E>(self, _: bool) -> Result<Shape, E> {
                Ok(Shape {
                    not_an_object: true,
                    id: None,
                })
            }
            fn visit_str<E>(self, _: &str) -> Result<Shape, E> {
                Ok(Shape {
                    not_an_object: true,
                    id: None,
                })
            }
            otherwise_numbers!(
                Shape,
                Shape {
                    not_an_object: true,
                    id: None
                }
            );
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Coords {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Coords;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or an array of coordinates")
            }
            fn visit_f64<E>(self, v: f64) -> Result<Coords, E> {
                Ok(Coords::Number(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Coords, E> {
                Ok(Coords::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Coords, E> {
                Ok(Coords::Number(v as f64))
            }
            otherwise!(Coords, Coords::NotANumber);
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Coords, A::Error> {
                drain_map(map)?;
                Ok(Coords::NotANumber)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Coords, A::Error> {
                let Some(first) = seq.next_element::<Coords>()? else {
                    return Ok(Coords::List(Vec::new()));
                };
                if let Coords::Number(x) = first {
                    return match seq.next_element::<Coords>()? {
                        Some(Coords::Number(y)) => {
                            // An altitude, or anything after it, is not used.
                            drain_seq(seq)?;
                            Ok(Coords::Position(Coord { x, y }))
                        }
                        None => Ok(Coords::ShortPosition(1)),
                        Some(_) => {
                            drain_seq(seq)?;
                            Ok(Coords::NotANumber)
                        }
                    };
                }
                // Rings are typically tens of positions.
                let capacity = seq.size_hint().unwrap_or(32).max(1);
                let mut items = match first {
                    Coords::Position(p) => {
                        let mut points = Vec::with_capacity(capacity);
                        points.push(p);
                        loop {
                            match seq.next_element()? {
                                Some(Coords::Position(p)) => points.push(p),
                                None => return Ok(Coords::Positions(points)),
                                // Something else among the positions: a list as any other.
                                Some(other) => {
                                    let mut items: Vec<Coords> =
                                        points.into_iter().map(Coords::Position).collect();
                                    items.push(other);
                                    break items;
                                }
                            }
                        }
                    }
                    first => {
                        let mut items = Vec::with_capacity(capacity);
                        items.push(first);
                        items
                    }
                };
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Coords::List(items))
            }
        }
        d.deserialize_any(V)
    }
}

/// `geometries`: an array of geometries, or `None` for anything else.
struct GeometryList(Option<Vec<RawGeometry>>);

impl<'de> Deserialize<'de> for GeometryList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = GeometryList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of geometries")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<GeometryList, A::Error> {
                let mut out = Vec::new();
                while let Some(g) = seq.next_element()? {
                    out.push(g);
                }
                Ok(GeometryList(Some(out)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<GeometryList, A::Error> {
                drain_map(map)?;
                Ok(GeometryList(None))
            }
            otherwise!(GeometryList, GeometryList(None));
            otherwise_numbers!(GeometryList, GeometryList(None));
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawGeometry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawGeometry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a geometry object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawGeometry, A::Error> {
                let mut g = RawGeometry::default();
                while let Some(key) = map.next_key::<Key>()? {
                    match key {
                        Key::Type => g.kind = map.next_value()?,
                        Key::Coordinates => g.coordinates = Some(map.next_value()?),
                        Key::Geometries => {
                            g.geometries = Some(map.next_value::<GeometryList>()?.0);
                        }
                        _ => {
                            map.next_value::<Skim>()?;
                        }
                    }
                }
                Ok(g)
            }
            otherwise!(RawGeometry, RawGeometry::not_an_object());
            otherwise_numbers!(RawGeometry, RawGeometry::not_an_object());
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawGeometry, A::Error> {
                drain_seq(seq)?;
                Ok(RawGeometry::not_an_object())
            }
        }
        d.deserialize_any(V)
    }
}

impl RawGeometry {
    fn not_an_object() -> Self {
        Self {
            not_an_object: true,
            ..Self::default()
        }
    }
}

/// The members that mean something in GeoJSON; any other is `Other` (its name kept only at
/// the top level, where foreign members are kept).
enum Key {
    Type,
    Features,
    Geometry,
    Properties,
    Id,
    Coordinates,
    Geometries,
    Other(String),
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E>(self, v: &str) -> Result<Key, E> {
                Ok(match v {
                    "type" => Key::Type,
                    "features" => Key::Features,
                    "geometry" => Key::Geometry,
                    "properties" => Key::Properties,
                    "id" => Key::Id,
                    "coordinates" => Key::Coordinates,
                    "geometries" => Key::Geometries,
                    other => Key::Other(other.to_owned()),
                })
            }
        }
        d.deserialize_identifier(V)
    }
}

impl<'de, P: Properties> Deserialize<'de> for Entry<P> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<P>(std::marker::PhantomData<P>);
        impl<'de, P: Properties> Visitor<'de> for V<P> {
            type Value = Entry<P>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a feature")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Entry<P>, A::Error> {
                RawFeature::deserialize(MapAccessDeserializer::new(map)).map(Entry::Object)
            }
            otherwise!(Entry<P>, Entry::NotAnObject);
            otherwise_numbers!(Entry<P>, Entry::NotAnObject);
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Entry<P>, A::Error> {
                drain_seq(seq)?;
                Ok(Entry::NotAnObject)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// The `features` array, each entry handed to the sink as soon as it is read.
struct FeaturesSeed<'s, S, P>(&'s mut S, std::marker::PhantomData<P>);

impl<'de, P: Properties, S: Sink<P>> DeserializeSeed<'de> for FeaturesSeed<'_, S, P> {
    type Value = FeaturesMember;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<FeaturesMember, D::Error> {
        d.deserialize_any(FeaturesVisitor(self.0, std::marker::PhantomData))
    }
}

struct FeaturesVisitor<'s, S, P>(&'s mut S, std::marker::PhantomData<P>);

impl<'de, P: Properties, S: Sink<P>> Visitor<'de> for FeaturesVisitor<'_, S, P> {
    type Value = FeaturesMember;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of features")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FeaturesMember, A::Error> {
        while let Some(entry) = seq.next_element::<Entry<P>>()? {
            self.0
                .entry(entry)
                .map_err(|()| serde::de::Error::custom(STOPPED))?;
        }
        Ok(FeaturesMember::Array)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<FeaturesMember, A::Error> {
        drain_map(map)?;
        Ok(FeaturesMember::NotAnArray)
    }
    otherwise!(FeaturesMember, FeaturesMember::NotAnArray);
    otherwise_numbers!(FeaturesMember, FeaturesMember::NotAnArray);
}

/// The message of the error that stops a parse when the sink asked for it; the caller looks
/// at the sink for the reason.
pub(super) const STOPPED: &str = "reading stopped";

/// Parses the top-level object, streaming the entries of `features` into `sink`.
pub(super) struct RootSeed<'s, S, P>(pub &'s mut S, pub std::marker::PhantomData<P>);

impl<'de, P: Properties, S: Sink<P>> DeserializeSeed<'de> for RootSeed<'_, S, P> {
    type Value = Root<P>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Root<P>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, P: Properties, S: Sink<P>> Visitor<'de> for RootSeed<'_, S, P> {
    type Value = Root<P>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Root<P>, A::Error> {
        let mut root = Root::default();
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Type => root.kind = map.next_value()?,
                Key::Features => {
                    root.features = map.next_value_seed(FeaturesSeed::<S, P>(
                        &mut *self.0,
                        std::marker::PhantomData,
                    ))?;
                }
                Key::Geometry => root.feature.geometry = map.next_value()?,
                Key::Properties => root.feature.properties = map.next_value()?,
                Key::Id => root.feature.id = map.next_value()?,
                Key::Coordinates => root.coordinates = Some(map.next_value()?),
                Key::Geometries => root.geometries = Some(map.next_value::<GeometryList>()?.0),
                Key::Other(name) => {
                    root.members.insert(name, map.next_value()?);
                }
            }
        }
        Ok(root)
    }
    otherwise!(Root<P>, not_an_object());
    otherwise_numbers!(Root<P>, not_an_object());
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Root<P>, A::Error> {
        drain_seq(seq)?;
        Ok(not_an_object())
    }
}

fn not_an_object<P: Properties>() -> Root<P> {
    Root {
        not_an_object: true,
        ..Root::default()
    }
}
