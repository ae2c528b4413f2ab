//! Placements copied from a data layer's features: the geometry as placements hold it (a point,
//! a line or a polygon; a multi-part feature gives one placement per part), a name from the
//! layer's label field or the layer and the feature's number, and `indicative: true`, since
//! nothing says that the planner's data is the official plan's. The copies are one edit, so
//! one undo step.

use std::collections::HashSet;

use geo::Geometry;

use super::Edit;
use super::vertices::without_repeats;
use crate::model::project::{Placement, PlacementGeometry, PlacementId, PlacementStatus, Project};

/// One data-layer feature to copy.
#[derive(Clone, Debug)]
pub struct DataFeatureCopy<'a> {
    pub layer_id: &'a str,
    pub layer_name: &'a str,
    /// Its index in the layer (shown from 1).
    pub index: usize,
    /// Its label-field value, when the layer has one and the feature a value.
    pub name: Option<String>,
    pub geometry: &'a Geometry<f64>,
    /// Its attributes in the file's order, as text, kept in the placement's description.
    pub attributes: Vec<(String, String)>,
}

/// What copying made, and what it could not copy (one line each, saying why).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Copied {
    pub made: Vec<(PlacementId, Placement)>,
    pub refused: Vec<String>,
}

impl Copied {
    /// The one-step edit that adds what was made (`None` when nothing was).
    pub fn edit(&self) -> Option<Edit> {
        let label = match self.made.as_slice() {
            [] => return None,
            [(_, one)] => crate::model::Bilingual::new(
                format!("复制 {} 为规划项目", one.name_zh),
                format!("copy {} to placements", one.name_zh),
            ),
            many => crate::model::Bilingual::new(
                format!("复制 {} 个要素为规划项目", many.len()),
                format!("copy {} features to placements", many.len()),
            ),
        };
        Some(Edit::Batch {
            label,
            edits: self
                .made
                .iter()
                .map(|(id, placement)| Edit::AddPlacement {
                    id: id.clone(),
                    placement: placement.clone(),
                })
                .collect(),
        })
    }
}

/// The parts of a geometry as placements hold them, or why it cannot be one.
pub fn placement_parts(geometry: &Geometry<f64>) -> Result<Vec<PlacementGeometry>, String> {
    let line = |l: &geo::LineString<f64>| PlacementGeometry::LineString(positions(l));
    let polygon = |p: &geo::Polygon<f64>| {
        let rings = std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(closed_positions)
            .collect();
        PlacementGeometry::Polygon(rings)
    };
    let parts = match geometry {
        Geometry::Point(p) => vec![PlacementGeometry::Point(p.x_y())],
        Geometry::MultiPoint(m) => m
            .iter()
            .map(|p| PlacementGeometry::Point(p.x_y()))
            .collect(),
        Geometry::Line(l) => vec![PlacementGeometry::LineString(vec![
            l.start.x_y(),
            l.end.x_y(),
        ])],
        Geometry::LineString(l) => vec![line(l)],
        Geometry::MultiLineString(m) => m.iter().map(line).collect(),
        Geometry::Polygon(p) => vec![polygon(p)],
        Geometry::MultiPolygon(m) => m.iter().map(polygon).collect(),
        Geometry::Rect(r) => vec![polygon(&r.to_polygon())],
        Geometry::Triangle(t) => vec![polygon(&t.to_polygon())],
        Geometry::GeometryCollection(_) => {
            return Err(
                "a geometry collection (points, lines and areas mixed) cannot be a placement"
                    .into(),
            );
        }
    };
    if parts.is_empty() {
        return Err("it has no geometry".into());
    }
    parts.iter().map(without_repeats).collect()
}

fn positions(line: &geo::LineString<f64>) -> Vec<(f64, f64)> {
    line.0.iter().map(|c| (c.x, c.y)).collect()
}

/// A ring's positions, closed (first = last) whether or not the file closed it.
fn closed_positions(ring: &geo::LineString<f64>) -> Vec<(f64, f64)> {
    let mut out = positions(ring);
    if let (Some(first), Some(last)) = (out.first().copied(), out.last().copied())
        && first != last
    {
        out.push(first);
    }
    out
}

/// Placements for `features`, with ids the project does not use yet, in `action` and
/// `horizon` (as drawing one does). A feature that cannot be a placement is refused with its
/// reason; the others are still made.
pub fn placements_from_data(
    project: &Project,
    features: &[DataFeatureCopy<'_>],
    action: &str,
    horizon: u16,
) -> Copied {
    let mut out = Copied::default();
    let mut taken: HashSet<PlacementId> = HashSet::new();
    for f in features {
        let number = f.index + 1;
        let parts = match placement_parts(f.geometry) {
            Ok(parts) => parts,
            Err(why) => {
                out.refused
                    .push(format!("{} {number}: {why}", f.layer_name));
                continue;
            }
        };
        let name = f
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| format!("{} {number}", f.layer_name));
        let count = parts.len();
        for (k, geometry) in parts.into_iter().enumerate() {
            let part_name = match count {
                1 => name.clone(),
                _ => format!("{name} ({}/{count})", k + 1),
            };
            let id = unused_id(project, &taken, f.layer_id, number, k, count);
            taken.insert(id.clone());
            let placement = Placement {
                name_zh: part_name,
                // The data names it in one language; the English UI shows that name.
                name_en: String::new(),
                action: action.to_owned(),
                section: None,
                lead_city: None,
                participants: Vec::new(),
                status: PlacementStatus::Proposed,
                horizon,
                geometry,
                description: description(&f.attributes),
                source: format!(
                    "copied from data layer {} ({}), feature {number}",
                    f.layer_name, f.layer_id
                ),
                indicative: true,
                comments: Vec::new(),
            };
            out.made.push((id, placement));
        }
    }
    out
}

/// The feature's attributes, one `field: value` a line, so that the placement keeps them.
fn description(attributes: &[(String, String)]) -> String {
    attributes
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `placement.LAYER-N` (a part: `-N-K`), the layer id kept to letters, digits, `-` and `_`;
/// numbered on when the project or this copy has it already.
fn unused_id(
    project: &Project,
    taken: &HashSet<PlacementId>,
    layer: &str,
    number: usize,
    part: usize,
    parts: usize,
) -> PlacementId {
    let layer: String = layer
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let stem = match parts {
        1 => format!("placement.{layer}-{number}"),
        _ => format!("placement.{layer}-{number}-{}", part + 1),
    };
    let free = |id: &PlacementId| !project.placements.contains_key(id) && !taken.contains(id);
    let first = PlacementId(stem.clone());
    if free(&first) {
        return first;
    }
    (2..)
        .map(|n| PlacementId(format!("{stem}.{n}")))
        .find(free)
        .unwrap_or(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{line_string, point, polygon};

    fn project() -> Project {
        use crate::model::style::{Rgba, Style};
        let black = Rgba(0, 0, 0, 255);
        let style = Style {
            background: black,
            no_data: black,
            highlight: black,
            selection: black,
            groups: vec![],
            data_layer_paints: Default::default(),
        };
        let settings = crate::model::view::ViewSettings::from_style(&style);
        Project::new("test", settings, "now")
    }

    fn copy<'a>(geometry: &'a Geometry<f64>, name: Option<&str>) -> DataFeatureCopy<'a> {
        DataFeatureCopy {
            layer_id: "roads",
            layer_name: "道路",
            index: 4,
            name: name.map(str::to_owned),
            geometry,
            attributes: vec![("名称".into(), "沪宁".into()), ("lanes".into(), "8".into())],
        }
    }

    #[test]
    fn points_lines_and_polygons_become_placements_named_by_their_label() {
        let line: Geometry<f64> = line_string![(x: 121.0, y: 31.0), (x: 121.2, y: 31.1)].into();
        let area: Geometry<f64> = polygon![
            (x: 121.0, y: 31.0), (x: 121.1, y: 31.0), (x: 121.1, y: 31.1)
        ]
        .into();
        let point: Geometry<f64> = point!(x: 121.0, y: 31.0).into();
        let copied = placements_from_data(
            &project(),
            &[
                copy(&line, Some("沪宁")),
                copy(&area, None),
                copy(&point, None),
            ],
            "transport",
            2035,
        );
        assert!(copied.refused.is_empty(), "{:?}", copied.refused);
        let [(id, a), (id_b, b), (_, c)] = copied.made.as_slice() else {
            panic!("{copied:?}")
        };
        assert_eq!(id.0, "placement.roads-5");
        assert_ne!(id, id_b, "fresh ids");
        assert_eq!(a.name_zh, "沪宁");
        assert_eq!(b.name_zh, "道路 5", "no label: the layer and the number");
        assert!(a.indicative && b.indicative && c.indicative);
        assert!(matches!(a.geometry, PlacementGeometry::LineString(_)));
        let PlacementGeometry::Polygon(rings) = &b.geometry else {
            panic!()
        };
        assert_eq!(rings[0].first(), rings[0].last(), "closed");
        assert!(matches!(c.geometry, PlacementGeometry::Point(_)));
        assert_eq!(a.description, "名称: 沪宁\nlanes: 8");
        let Some(Edit::Batch { edits, .. }) = copied.edit() else {
            panic!("one step")
        };
        assert_eq!(edits.len(), 3);
    }

    #[test]
    fn a_multi_part_feature_gives_one_placement_per_part_and_a_collection_is_refused() {
        let two: Geometry<f64> =
            geo::MultiPoint::new(vec![point!(x: 121.0, y: 31.0), point!(x: 121.5, y: 31.0)]).into();
        let mixed = Geometry::GeometryCollection(geo::GeometryCollection::new_from(vec![
            point!(x: 121.0, y: 31.0).into(),
        ]));
        let degenerate: Geometry<f64> =
            line_string![(x: 121.0, y: 31.0), (x: 121.0, y: 31.0)].into();
        let copied = placements_from_data(
            &project(),
            &[
                copy(&two, Some("站")),
                copy(&mixed, None),
                copy(&degenerate, None),
            ],
            "transport",
            2035,
        );
        let names: Vec<&str> = copied
            .made
            .iter()
            .map(|(_, p)| p.name_zh.as_str())
            .collect();
        assert_eq!(names, ["站 (1/2)", "站 (2/2)"]);
        assert_eq!(copied.refused.len(), 2, "{:?}", copied.refused);
        assert!(copied.refused[0].contains("geometry collection"));
        assert!(copied.refused[1].contains("2 distinct positions"));
    }
}
