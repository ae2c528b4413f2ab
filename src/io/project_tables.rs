//! A project as tables, for the formats that hold several (GeoPackage, KML): its placements,
//! the plan layers as the project sees them (its sketches applied, each sketched feature
//! saying so), and its data layers. `onemap convert PROJECT.onemap OUT.gpkg` writes them.

use serde_json::{Map, Value};

use super::export::placement_properties;
use super::formats::geojson::infer_fields;
use super::formats::{DataFeature, DataTable, DeclaredCrs};
use super::geojson_import::ImportedFeature;
use crate::model::Plan;
use crate::model::project::Project;

/// The tables of a project, all WGS84: `placements`, one per plan layer (by its id), and one
/// per data layer (`data_ID`), in that order. Values that are lists or objects (participants)
/// become their JSON text, since the table formats hold scalars only.
pub fn project_tables(
    project: &Project,
    plan: &Plan,
    data_layers: &[(String, Vec<ImportedFeature>)],
) -> Vec<DataTable> {
    let mut tables = vec![table(
        "placements",
        project.placements.iter().map(|(id, p)| DataFeature {
            geometry: Some(p.geometry.to_geo()),
            attributes: placement_properties(&id.0, p).into(),
        }),
    )];
    let effective = crate::model::overrides::apply(plan, &project.plan_overrides);
    for (id, layer) in &effective.plan.layers {
        tables.push(table(
            id,
            layer.features.iter().map(|f| {
                let mut attributes: Map<String, Value> = f.properties.clone().into_iter().collect();
                if let Some(what) = effective.sketched.get(&f.id) {
                    attributes.insert("project_sketch".into(), Value::from(*what));
                }
                DataFeature {
                    geometry: Some(f.geometry.clone()),
                    attributes: attributes.into(),
                }
            }),
        ));
    }
    for (id, features) in data_layers {
        tables.push(table(
            &format!("data_{id}"),
            features.iter().map(|f| DataFeature {
                geometry: Some(f.geometry.clone()),
                attributes: f.properties.clone(),
            }),
        ));
    }
    tables
}

fn table(name: &str, features: impl Iterator<Item = DataFeature>) -> DataTable {
    let features: Vec<DataFeature> = features
        .map(|mut f| {
            for value in f.attributes.values_mut() {
                if value.is_array() || value.is_object() {
                    *value = Value::String(value.to_string());
                }
            }
            f
        })
        .collect();
    DataTable {
        name: name.to_owned(),
        fields: infer_fields(features.iter().map(|f| &f.attributes)),
        features,
        crs: DeclaredCrs::Epsg(4326),
        encoding: None,
        skipped: Vec::new(),
    }
}
