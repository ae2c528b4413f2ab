//! Checks that plan data is what it claims to be: unique ids, the required properties, every
//! coordinate inside the plan region and valid polygons. They read the data, whatever edition.

use std::collections::BTreeMap;
use std::fmt;

use geo::{CoordsIter, Geometry, Validation};

use super::feature::{FeatureId, PlanFeature, Status};
use super::plan::Plan;

/// Properties every plan feature must carry, as non-empty strings.
pub const REQUIRED_PROPERTIES: [&str; 6] = ["id", "name_zh", "name_en", "kind", "status", "source"];

/// One thing wrong with the data, located by layer and feature.
#[derive(Clone, Debug, PartialEq)]
pub struct DataProblem {
    pub layer: String,
    pub feature: Option<FeatureId>,
    pub message: String,
}

impl fmt::Display for DataProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.feature {
            Some(id) => write!(f, "{}: feature {}: {}", self.layer, id, self.message),
            None => write!(f, "{}: {}", self.layer, self.message),
        }
    }
}

/// Every problem found in the plan, in layer and feature order.
pub fn validate_plan(plan: &Plan) -> Vec<DataProblem> {
    let mut problems = Vec::new();
    let mut first_seen: BTreeMap<&FeatureId, &str> = BTreeMap::new();
    for layer in plan.layers.values() {
        for feature in &layer.features {
            let paired = |other: &str| {
                let declares = |a: &str, b: &str| {
                    plan.layer(a).and_then(|l| l.same_ids_as.as_deref()) == Some(b)
                };
                other != layer.id && (declares(&layer.id, other) || declares(other, &layer.id))
            };
            match first_seen.get(&feature.id) {
                Some(other) if !paired(other) => {
                    problems.push(problem(
                        feature,
                        format!("id is also used in layer {other}"),
                    ));
                }
                Some(_) => {}
                None => {
                    first_seen.insert(&feature.id, &layer.id);
                }
            }
            check_properties(feature, &mut problems);
            check_coordinates(plan, feature, &mut problems);
            check_polygons(feature, &mut problems);
        }
    }
    problems
}

fn problem(feature: &PlanFeature, message: String) -> DataProblem {
    DataProblem {
        layer: feature.layer.clone(),
        feature: Some(feature.id.clone()),
        message,
    }
}

fn check_properties(feature: &PlanFeature, problems: &mut Vec<DataProblem>) {
    for key in REQUIRED_PROPERTIES {
        if feature.text(key).trim().is_empty() {
            problems.push(problem(
                feature,
                format!("property `{key}` is missing or empty"),
            ));
        }
    }
    let status = feature.text("status");
    if !status.is_empty() && Status::parse(status).is_none() {
        problems.push(problem(
            feature,
            format!("status is `{status}`; it must be `sourced` or `indicative`"),
        ));
    }
}

fn check_coordinates(plan: &Plan, feature: &PlanFeature, problems: &mut Vec<DataProblem>) {
    let outside = feature
        .geometry
        .coords_iter()
        .find(|c| !plan.region.contains(*c));
    if let Some(c) = outside {
        let r = plan.region;
        problems.push(problem(
            feature,
            format!(
                "coordinate ({:.5}, {:.5}) lies outside the plan region {}–{}°E, {}–{}°N",
                c.x, c.y, r.west, r.east, r.south, r.north
            ),
        ));
    }
}

fn check_polygons(feature: &PlanFeature, problems: &mut Vec<DataProblem>) {
    let errors: Vec<String> = match &feature.geometry {
        Geometry::Polygon(p) => p
            .validation_errors()
            .iter()
            .map(|e| e.to_string())
            .collect(),
        Geometry::MultiPolygon(m) => m
            .validation_errors()
            .iter()
            .map(|e| e.to_string())
            .collect(),
        _ => Vec::new(),
    };
    for e in errors {
        problems.push(problem(feature, format!("invalid polygon: {e}")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PlanLayer, Region};
    use geo::{LineString, Point, Polygon};
    use serde_json::json;

    fn feature(id: &str, geometry: Geometry<f64>) -> PlanFeature {
        let props = json!({"id": id, "name_zh": "名", "name_en": "Name", "kind": "k",
                           "status": "indicative", "source": "test"});
        PlanFeature {
            id: FeatureId(id.into()),
            layer: "test".into(),
            geometry,
            properties: serde_json::from_value(props).unwrap(),
        }
    }

    fn plan_of(features: Vec<PlanFeature>) -> Plan {
        let mut plan = Plan::new(Region::SHANGHAI_METROPOLITAN_AREA);
        plan.layers.insert(
            "test".into(),
            PlanLayer {
                id: "test".into(),
                note: None,
                same_ids_as: None,
                features,
            },
        );
        plan
    }

    #[test]
    fn sound_data_has_no_problems() {
        let plan = plan_of(vec![feature("a", Point::new(121.0, 31.0).into())]);
        assert_eq!(validate_plan(&plan), vec![]);
    }

    #[test]
    fn duplicate_ids_missing_properties_and_far_coordinates_are_reported() {
        let mut unnamed = feature("a", Point::new(2.35, 48.85).into());
        unnamed.properties.remove("name_en");
        unnamed
            .properties
            .insert("status".into(), json!("official"));
        let plan = plan_of(vec![feature("a", Point::new(121.0, 31.0).into()), unnamed]);
        let messages: Vec<String> = validate_plan(&plan).iter().map(|p| p.to_string()).collect();
        assert_eq!(messages.len(), 4, "{messages:#?}");
        assert!(messages[0].contains("id is also used in layer test"));
        assert!(messages[1].contains("`name_en` is missing"));
        assert!(messages[2].contains("status is `official`"));
        assert!(messages[3].contains("outside the plan region"));
    }

    #[test]
    fn a_self_intersecting_polygon_is_reported() {
        let bow_tie = Polygon::new(
            LineString::from(vec![
                (121.0, 31.0),
                (121.2, 31.2),
                (121.2, 31.0),
                (121.0, 31.2),
                (121.0, 31.0),
            ]),
            vec![],
        );
        let problems = validate_plan(&plan_of(vec![feature("bow", bow_tie.into())]));
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].message.starts_with("invalid polygon"),
            "{}",
            problems[0]
        );
    }
}
