//! A project taken apart into the rows of the team store, and put together again.
//!
//! Placements, plan sketches and comments become feature rows (typed columns and a PostGIS
//! geometry, so that QGIS reads them); everything else becomes a few JSON items, one per
//! setting, data layer, acknowledgement. Each row carries a hash of its content, so a save
//! compares hashes, not contents, to find the rows it must write.

use std::collections::BTreeMap;

use geo::Geometry;
use geo_traits::to_geo::ToGeoGeometry;
use serde_json::{Map, Value};

use crate::model::overrides::PlanOverride;
use crate::model::project::{
    Comment, MapNote, Placement, PlacementGeometry, PlacementId, Project, round7,
};

/// A project as rows, by key.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parts {
    /// Placements without their comments (those are rows of their own).
    pub placements: BTreeMap<String, Placement>,
    pub overrides: BTreeMap<String, PlanOverride>,
    pub comments: BTreeMap<String, CommentRow>,
    /// Everything else, as JSON text: `settings`, `meta`, `sketch_layers/ID`, …
    pub items: BTreeMap<String, String>,
}

/// A comment on a placement, or a note pinned to the map.
#[derive(Clone, Debug, PartialEq)]
pub struct CommentRow {
    pub placement: Option<String>,
    /// Its place in the placement's comments, or in the notes.
    pub position: i32,
    pub comment: Comment,
    pub at: Option<(f64, f64)>,
}

/// The fields of a project kept as one item per entry, so that a change to one data layer or
/// acknowledgement writes one row.
const SPLIT_FIELDS: [&str; 2] = ["sketch_layers", "acknowledgements"];

/// The fields kept as rows of their own, or not kept at all (`origin` is the local file's).
const ROW_FIELDS: [&str; 4] = ["placements", "plan_overrides", "notes", "origin"];

impl Parts {
    /// The rows of a project as it is saved (coordinates rounded to 1e-7°).
    pub fn of(project: &Project) -> Result<Self, String> {
        let mut parts = Self::except_placements(project)?;
        for (id, placement) in &project.placements {
            parts
                .placements
                .insert(id.0.clone(), bare_placement(placement));
        }
        Ok(parts)
    }

    /// The rows of a project but its placements' own: a save hashes those where they are
    /// ([`placement_hash`]) and copies only the ones that changed ([`bare_placement`]).
    pub fn except_placements(project: &Project) -> Result<Self, String> {
        let mut parts = Self::default();
        // Each row is cloned once, rounded as it is cloned: a 10,000-placement project is
        // taken apart on every save.
        for (id, placement) in &project.placements {
            for (i, comment) in placement.comments.iter().enumerate() {
                parts.comments.insert(
                    format!("placement:{}#{i}", id.0),
                    CommentRow {
                        placement: Some(id.0.clone()),
                        position: position(i)?,
                        comment: comment.clone(),
                        at: None,
                    },
                );
            }
        }
        for (i, note) in project.notes.iter().enumerate() {
            parts.comments.insert(
                format!("note#{i}"),
                CommentRow {
                    placement: None,
                    position: position(i)?,
                    comment: note.comment.clone(),
                    at: Some((round7(note.at.0), round7(note.at.1))),
                },
            );
        }
        for (id, o) in &project.plan_overrides {
            parts.overrides.insert(id.clone(), rounded_override(o));
        }
        // `modified` is bookkeeping, not content (as `model::diff` has it): in the store it is
        // the time of the revision, so that saving a file again, or a reviewer's comment, does
        // not rewrite the project's metadata.
        let meta = crate::model::project::Metadata {
            modified: String::new(),
            ..project.meta.clone()
        };
        let rest = Project {
            meta,
            edition: project.edition.clone(),
            settings: project.settings.clone(),
            layer_order: project.layer_order.clone(),
            style_overrides: project.style_overrides.clone(),
            view: project.view,
            placements: BTreeMap::new(),
            sketch_layers: project.sketch_layers.clone(),
            scenes: project.scenes.clone(),
            acknowledgements: project.acknowledgements.clone(),
            plan_overrides: BTreeMap::new(),
            notes: Vec::new(),
            origin: None,
        }
        .rounded();
        // What is left is small: settings, scenes, data layers, acknowledgements.
        let value = serde_json::to_value(&rest).map_err(|e| e.to_string())?;
        let Value::Object(fields) = value else {
            return Err("a project is not a JSON object".into());
        };
        for (field, value) in fields {
            if ROW_FIELDS.contains(&field.as_str()) {
                continue;
            }
            match (SPLIT_FIELDS.contains(&field.as_str()), value) {
                (true, Value::Object(entries)) => {
                    for (key, value) in entries {
                        parts
                            .items
                            .insert(format!("{field}/{key}"), value.to_string());
                    }
                }
                (_, value) => {
                    parts.items.insert(field, value.to_string());
                }
            }
        }
        Ok(parts)
    }

    /// The project these rows make, or what is wrong with them.
    pub fn into_project(self) -> Result<Project, String> {
        let mut fields = Map::new();
        for field in SPLIT_FIELDS {
            fields.insert(field.into(), Value::Object(Map::new()));
        }
        for (key, text) in &self.items {
            let value: Value = serde_json::from_str(text)
                .map_err(|e| format!("item {key} is not valid JSON: {e}"))?;
            match key.split_once('/') {
                Some((field, entry)) if SPLIT_FIELDS.contains(&field) => {
                    if let Some(Value::Object(entries)) = fields.get_mut(field) {
                        entries.insert(entry.into(), value);
                    }
                }
                _ => {
                    fields.insert(key.clone(), value);
                }
            }
        }
        let mut project: Project = serde_json::from_value(Value::Object(fields))
            .map_err(|e| format!("the project's items do not make a project: {e}"))?;
        project.placements = self
            .placements
            .into_iter()
            .map(|(id, p)| (PlacementId(id), p))
            .collect();
        project.plan_overrides = self.overrides;
        // Rows come by key (`#10` before `#2`); comments go back in their saved order.
        let mut rows: Vec<(String, CommentRow)> = self.comments.into_iter().collect();
        rows.sort_by(|(_, a), (_, b)| (&a.placement, a.position).cmp(&(&b.placement, b.position)));
        for (key, row) in rows {
            match (&row.placement, row.at) {
                (Some(id), _) => match project.placements.get_mut(&PlacementId(id.clone())) {
                    Some(p) => p.comments.push(row.comment),
                    None => {
                        return Err(format!(
                            "comment {key} is on placement {id}, which is not there"
                        ));
                    }
                },
                (None, Some(at)) => project.notes.push(MapNote {
                    at,
                    comment: row.comment,
                }),
                (None, None) => {
                    return Err(format!(
                        "comment {key} has neither a placement nor a position"
                    ));
                }
            }
        }
        Ok(project)
    }
}

/// A placement as its row holds it: without comments, coordinates rounded as saved.
pub fn bare_placement(p: &Placement) -> Placement {
    Placement {
        name_zh: p.name_zh.clone(),
        name_en: p.name_en.clone(),
        action: p.action.clone(),
        section: p.section.clone(),
        lead_city: p.lead_city.clone(),
        participants: p.participants.clone(),
        status: p.status,
        horizon: p.horizon,
        geometry: p.geometry.rounded(),
        description: p.description.clone(),
        source: p.source.clone(),
        indicative: p.indicative,
        comments: Vec::new(),
    }
}

fn rounded_override(o: &PlanOverride) -> PlanOverride {
    let mut o = o.clone();
    match &mut o {
        PlanOverride::Added { geometry, .. }
        | PlanOverride::Modified {
            geometry: Some(geometry),
            ..
        } => *geometry = geometry.rounded(),
        _ => {}
    }
    o
}

/// FNV-1a, 64 bits: the same in every OneMap build, unlike the standard library's hasher.
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// A string, its length first, so that ("ab", "c") and ("a", "bc") differ.
    fn text(&mut self, s: &str) {
        self.bytes(&(s.len() as u64).to_le_bytes());
        self.bytes(s.as_bytes());
    }

    fn optional(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.bytes(&[1]);
                self.text(s);
            }
            None => self.bytes(&[0]),
        }
    }

    fn number(&mut self, v: f64) {
        self.bytes(&v.to_bits().to_le_bytes());
    }

    /// A geometry as it is saved (rounded to 1e-7°), without making the rounded copy.
    fn geometry(&mut self, g: &PlacementGeometry) {
        let ring = |h: &mut Self, positions: &[(f64, f64)]| {
            h.bytes(&(positions.len() as u64).to_le_bytes());
            for (x, y) in positions {
                h.number(round7(*x));
                h.number(round7(*y));
            }
        };
        match g {
            PlacementGeometry::Point(p) => {
                self.bytes(&[1]);
                ring(self, std::slice::from_ref(p));
            }
            PlacementGeometry::LineString(line) => {
                self.bytes(&[2]);
                ring(self, line);
            }
            PlacementGeometry::Polygon(rings) => {
                self.bytes(&[3]);
                for r in rings {
                    ring(self, r);
                }
            }
        }
    }

    fn finish(&self) -> i64 {
        i64::from_ne_bytes(self.0.to_ne_bytes())
    }
}

/// The hash of a placement's row as it is saved (without its comments, which are rows of
/// their own; coordinates rounded), field by field: a save hashes every placement, and
/// serializing or cloning each to hash it took most of a save's time.
pub fn placement_hash(p: &Placement) -> i64 {
    let mut h = Fnv::new();
    for s in [&p.name_zh, &p.name_en, &p.action] {
        h.text(s);
    }
    h.optional(p.section.as_deref());
    h.optional(p.lead_city.as_deref());
    h.bytes(&(p.participants.len() as u64).to_le_bytes());
    for s in &p.participants {
        h.text(s);
    }
    h.text(p.status.as_str());
    h.bytes(&p.horizon.to_le_bytes());
    h.geometry(&p.geometry);
    h.text(&p.description);
    h.text(&p.source);
    h.bytes(&[u8::from(p.indicative)]);
    h.finish()
}

fn position(i: usize) -> Result<i32, String> {
    i32::try_from(i).map_err(|_| "too many comments".to_owned())
}

/// A stable 64-bit hash of a row's text, as the signed integer PostgreSQL stores.
pub fn content_hash(text: &str) -> i64 {
    let mut h = Fnv::new();
    h.bytes(text.as_bytes());
    h.finish()
}

/// The hash of a row: of its JSON form.
pub fn hash_of<T: serde::Serialize>(value: &T) -> i64 {
    content_hash(&serde_json::to_string(value).unwrap_or_default())
}

/// Well-known binary of a placement geometry, for `ST_GeomFromWKB`.
pub fn to_wkb(geometry: &PlacementGeometry) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let options = wkb::writer::WriteOptions {
        endianness: wkb::Endianness::LittleEndian,
    };
    wkb::writer::write_geometry(&mut out, &geometry.to_geo(), &options)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

/// A placement geometry from well-known binary (`ST_AsBinary`): a point, a line or a polygon,
/// as a table edited by hand may hold anything.
pub fn from_wkb(bytes: &[u8]) -> Result<PlacementGeometry, String> {
    let wkb = wkb::reader::read_wkb(bytes).map_err(|e| format!("broken geometry: {e}"))?;
    let geometry = wkb
        .try_to_geometry()
        .ok_or("an empty geometry (a placement needs a position)")?;
    let pairs = |line: &geo::LineString<f64>| line.coords().map(|c| (c.x, c.y)).collect::<Vec<_>>();
    let shape = match geometry {
        Geometry::Point(p) => PlacementGeometry::Point((p.x(), p.y())),
        Geometry::LineString(l) => PlacementGeometry::LineString(pairs(&l)),
        Geometry::Polygon(p) => PlacementGeometry::Polygon(
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(pairs)
                .collect(),
        ),
        other => {
            return Err(format!(
                "a {} geometry (a placement is a point, a line or a polygon)",
                kind_name(&other)
            ));
        }
    };
    crate::model::well_formed::check_geometry(&shape)?;
    Ok(shape)
}

fn kind_name(geometry: &Geometry<f64>) -> &'static str {
    match geometry {
        Geometry::Point(_) => "Point",
        Geometry::Line(_) | Geometry::LineString(_) => "LineString",
        Geometry::Polygon(_) => "Polygon",
        Geometry::MultiPoint(_) => "MultiPoint",
        Geometry::MultiLineString(_) => "MultiLineString",
        Geometry::MultiPolygon(_) => "MultiPolygon",
        Geometry::GeometryCollection(_) => "GeometryCollection",
        Geometry::Rect(_) | Geometry::Triangle(_) => "Polygon",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wkb_keeps_every_shape_exactly() {
        let shapes = [
            PlacementGeometry::Point((121.4737021, 31.2303904)),
            PlacementGeometry::LineString(vec![(120.1, 30.2), (121.3, 31.4)]),
            PlacementGeometry::Polygon(vec![vec![
                (120.0, 30.0),
                (121.0, 30.0),
                (121.0, 31.0),
                (120.0, 30.0),
            ]]),
        ];
        for shape in shapes {
            assert_eq!(from_wkb(&to_wkb(&shape).unwrap()).unwrap(), shape);
        }
    }

    #[test]
    fn a_geometry_a_placement_cannot_be_is_named() {
        let multi: Geometry<f64> = geo::MultiPoint::from(vec![(1.0, 2.0), (3.0, 4.0)]).into();
        let mut bytes = Vec::new();
        let options = wkb::writer::WriteOptions {
            endianness: wkb::Endianness::LittleEndian,
        };
        wkb::writer::write_geometry(&mut bytes, &multi, &options).unwrap();
        assert!(from_wkb(&bytes).unwrap_err().contains("MultiPoint"));
        assert!(from_wkb(&[1, 2, 3]).unwrap_err().contains("broken"));
    }

    #[test]
    fn the_hash_is_fnv1a() {
        // The published FNV-1a 64 value of "a".
        assert_eq!(content_hash("a") as u64, 0xaf63_dc4c_8601_ec8c);
    }
}
