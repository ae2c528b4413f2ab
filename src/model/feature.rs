//! One feature of a plan layer: a geometry plus the properties every plan feature carries.

use std::collections::BTreeMap;
use std::fmt;

use geo::Geometry;
use serde_json::Value;

/// A feature's stable id, unique across all layers, e.g. `corridor.huning`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FeatureId(pub String);

impl FeatureId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FeatureId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How much of a feature is stated by a source, as opposed to sketched by us.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The fact is stated in the cited source.
    Sourced,
    /// Our sketch: the geometry (and sometimes the membership) is not from an official map.
    Indicative,
}

impl Status {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "sourced" => Some(Self::Sourced),
            "indicative" => Some(Self::Indicative),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sourced => "sourced",
            Self::Indicative => "indicative",
        }
    }
}

/// A feature of a plan layer. `properties` keeps every property as read, including ones this
/// version does not understand, so that the inspector can show them all.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanFeature {
    pub id: FeatureId,
    /// The id of the layer the feature belongs to (the layer file's stem, e.g. `corridors`).
    pub layer: String,
    pub geometry: Geometry<f64>,
    pub properties: BTreeMap<String, Value>,
}

impl PlanFeature {
    /// A string property, or "" when it is missing or not a string.
    pub fn text(&self, key: &str) -> &str {
        self.properties
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    pub fn name_zh(&self) -> &str {
        self.text("name_zh")
    }

    pub fn name_en(&self) -> &str {
        self.text("name_en")
    }

    pub fn kind(&self) -> &str {
        self.text("kind")
    }

    /// The `status` property, or `None` when it is missing or unknown.
    pub fn status(&self) -> Option<Status> {
        Status::parse(self.text("status"))
    }

    /// An integer property such as `tier`.
    pub fn integer(&self, key: &str) -> Option<i64> {
        self.properties.get(key).and_then(Value::as_i64)
    }

    pub fn tier(&self) -> Option<u8> {
        self.integer("tier").and_then(|t| u8::try_from(t).ok())
    }
}
