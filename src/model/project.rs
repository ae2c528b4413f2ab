//! A OneMap project: what a planner makes on top of a plan edition. Its placements, sketch
//! layers and view settings, saved as one `*.onemap` file (see `io::project_file`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::view::ViewSettings;

/// A placement's stable id, e.g. `placement.husuhu-railway`. Never an index.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PlacementId(pub String);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    pub title_zh: String,
    pub title_en: String,
    pub author: String,
    /// RFC 3339 UTC, e.g. `2026-11-28T12:00:00Z`.
    pub created: String,
    pub modified: String,
    /// The map approval number (审图号, e.g. 沪S〔2026〕001号) the printed map was given; maps
    /// published in mainland China need one. Empty until the project has it; the print
    /// layout's title block shows the field either way. Older files have none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub approval_number: String,
}

/// What File › Project properties… edits: the metadata the planner writes, not the dates the
/// program keeps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectInfo {
    pub title_zh: String,
    pub title_en: String,
    pub author: String,
    pub approval_number: String,
}

impl Metadata {
    pub fn info(&self) -> ProjectInfo {
        ProjectInfo {
            title_zh: self.title_zh.clone(),
            title_en: self.title_en.clone(),
            author: self.author.clone(),
            approval_number: self.approval_number.clone(),
        }
    }

    /// Takes the planner's fields from `info`; `created` and `modified` stay as they are.
    pub fn set_info(&mut self, info: &ProjectInfo) {
        self.title_zh = info.title_zh.clone();
        self.title_en = info.title_en.clone();
        self.author = info.author.clone();
        self.approval_number = info.approval_number.clone();
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlacementStatus {
    Proposed,
    Planned,
    UnderConstruction,
    Completed,
}

impl PlacementStatus {
    pub const ALL: [Self; 4] = [
        Self::Proposed,
        Self::Planned,
        Self::UnderConstruction,
        Self::Completed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Planned => "planned",
            Self::UnderConstruction => "under construction",
            Self::Completed => "completed",
        }
    }

    /// The status in the interface language, as the form and the table show it (files and
    /// `onemap` output keep [`Self::as_str`]).
    pub fn label(self, lang: super::UiLanguage) -> &'static str {
        match self {
            Self::Proposed => lang.pick("提议", "proposed"),
            Self::Planned => lang.pick("已规划", "planned"),
            Self::UnderConstruction => lang.pick("在建", "under construction"),
            Self::Completed => lang.pick("建成", "completed"),
        }
    }
}

/// Lon/lat geometry of a placement. Rings are closed (first position = last).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PlacementGeometry {
    Point((f64, f64)),
    LineString(Vec<(f64, f64)>),
    Polygon(Vec<Vec<(f64, f64)>>),
}

impl PlacementGeometry {
    pub fn positions(&self) -> Box<dyn Iterator<Item = (f64, f64)> + '_> {
        match self {
            Self::Point(p) => Box::new(std::iter::once(*p)),
            Self::LineString(l) => Box::new(l.iter().copied()),
            Self::Polygon(rings) => Box::new(rings.iter().flatten().copied()),
        }
    }

    pub fn to_geo(&self) -> geo::Geometry<f64> {
        let line = |pts: &[(f64, f64)]| geo::LineString::from(pts.to_vec());
        match self {
            Self::Point(p) => geo::Point::from(*p).into(),
            Self::LineString(l) => line(l).into(),
            Self::Polygon(rings) => {
                let exterior = rings
                    .first()
                    .map(|r| line(r))
                    .unwrap_or_else(|| geo::LineString::new(vec![]));
                let holes = rings.iter().skip(1).map(|r| line(r)).collect();
                geo::Polygon::new(exterior, holes).into()
            }
        }
    }

    /// The editable vertices, ring by ring (a line is one ring; a polygon ring without its
    /// closing repeat of the first vertex).
    pub fn vertex_rings(&self) -> Vec<Vec<(f64, f64)>> {
        match self {
            Self::Point(p) => vec![vec![*p]],
            Self::LineString(l) => vec![l.clone()],
            Self::Polygon(rings) => rings
                .iter()
                .map(|r| r[..r.len().saturating_sub(1)].to_vec())
                .collect(),
        }
    }

    /// Rebuilds the geometry from edited vertex rings (closing polygon rings again).
    fn with_vertex_rings(&self, rings: Vec<Vec<(f64, f64)>>) -> Self {
        match self {
            Self::Point(_) => Self::Point(
                rings
                    .first()
                    .and_then(|r| r.first())
                    .copied()
                    .unwrap_or_default(),
            ),
            Self::LineString(_) => Self::LineString(rings.into_iter().next().unwrap_or_default()),
            Self::Polygon(_) => Self::Polygon(
                rings
                    .into_iter()
                    .map(|mut r| {
                        if let Some(first) = r.first().copied() {
                            r.push(first);
                        }
                        r
                    })
                    .collect(),
            ),
        }
    }

    /// Vertex `i` of ring `ring` moved to `to`.
    pub fn with_vertex_moved(&self, ring: usize, i: usize, to: (f64, f64)) -> Self {
        let mut rings = self.vertex_rings();
        if let Some(v) = rings.get_mut(ring).and_then(|r| r.get_mut(i)) {
            *v = to;
        }
        self.with_vertex_rings(rings)
    }

    /// A new vertex `at`, inserted after vertex `i` of ring `ring`.
    pub fn with_vertex_inserted(&self, ring: usize, i: usize, at: (f64, f64)) -> Self {
        let mut rings = self.vertex_rings();
        if let Some(r) = rings.get_mut(ring) {
            r.insert((i + 1).min(r.len()), at);
        }
        self.with_vertex_rings(rings)
    }

    /// Vertex `i` of ring `ring` removed, or `None` when the shape would fall below its minimum
    /// (2 vertices for a line, 3 for a polygon ring; points have none to remove).
    pub fn with_vertex_removed(&self, ring: usize, i: usize) -> Option<Self> {
        let minimum = match self {
            Self::Point(_) => return None,
            Self::LineString(_) => 2,
            Self::Polygon(_) => 3,
        };
        let mut rings = self.vertex_rings();
        let r = rings.get_mut(ring)?;
        if r.len() <= minimum || i >= r.len() {
            return None;
        }
        r.remove(i);
        Some(self.with_vertex_rings(rings))
    }

    /// The same geometry moved by `dx`° of longitude and `dy`° of latitude.
    pub fn translated(&self, dx: f64, dy: f64) -> Self {
        let m = |(x, y): (f64, f64)| (x + dx, y + dy);
        match self {
            Self::Point(p) => Self::Point(m(*p)),
            Self::LineString(l) => Self::LineString(l.iter().copied().map(m).collect()),
            Self::Polygon(rings) => Self::Polygon(
                rings
                    .iter()
                    .map(|r| r.iter().copied().map(m).collect())
                    .collect(),
            ),
        }
    }

    /// The same geometry with every coordinate rounded to 1e-7° (about 1 cm), as saved.
    pub fn rounded(&self) -> Self {
        let r = |(x, y): (f64, f64)| (round7(x), round7(y));
        match self {
            Self::Point(p) => Self::Point(r(*p)),
            Self::LineString(l) => Self::LineString(l.iter().copied().map(r).collect()),
            Self::Polygon(rings) => Self::Polygon(
                rings
                    .iter()
                    .map(|ring| ring.iter().copied().map(r).collect())
                    .collect(),
            ),
        }
    }
}

pub fn round7(v: f64) -> f64 {
    (v * 1e7).round() / 1e7
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub author: String,
    pub time: String,
    pub text: String,
}

/// A project from a system action's library, placed on the map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Placement {
    pub name_zh: String,
    pub name_en: String,
    /// The id of one of the edition's system actions (`layers/edition.ron`).
    pub action: String,
    /// The id of a strategic coordination zone (`sections.geojson`), if it belongs to one.
    #[serde(default)]
    pub section: Option<String>,
    /// City ids (`cities.geojson`).
    #[serde(default)]
    pub lead_city: Option<String>,
    #[serde(default)]
    pub participants: Vec<String>,
    pub status: PlacementStatus,
    pub horizon: u16,
    pub geometry: PlacementGeometry,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub source: String,
    /// Whether the geometry is our sketch rather than an official map.
    #[serde(default)]
    pub indicative: bool,
    #[serde(default)]
    pub comments: Vec<Comment>,
}

/// A planner's written justification for a plan-check finding, kept as an audit trail.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Acknowledgement {
    pub author: String,
    pub time: String,
    pub reason: String,
}

/// Where a data layer's features live.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SketchSource {
    /// GeoJSON text (WGS84), kept in the project file.
    Embedded(String),
    /// A data file in any format OneMap reads (GeoJSON, Shapefile, GeoPackage, KML/KMZ, DXF,
    /// CSV; by its extension), stored relative to the project file's folder.
    Referenced(String),
}

/// The choices made when a data file was imported, so that it reads the same way every time:
/// all `None` means "as the file declares, or as detected".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DataChoices {
    /// The table of a file with several (a GeoPackage table, a Shapefile in a zip).
    pub table: Option<String>,
    /// The coordinate system the file's coordinates are in, as the user confirmed it:
    /// `EPSG:4528`, `gcj02`, or a PROJ string.
    pub crs: Option<String>,
    /// The text encoding of its attributes (`GBK`, `UTF-8`), where the file does not say.
    pub encoding: Option<String>,
    /// A CSV's coordinate columns, x then y.
    pub csv_columns: Option<(String, String)>,
}

impl DataChoices {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A data layer: the user's own data (imported GeoJSON, Shapefile, GeoPackage, …) shown over
/// the plan. Its style is the project's style override for the layer id `sketch:ID`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SketchLayer {
    pub name: String,
    pub source: SketchSource,
    #[serde(default = "default_true")]
    pub visible: bool,
    #[serde(default = "default_opacity")]
    pub opacity: f32,
    /// How a referenced file is read.
    #[serde(default, skip_serializing_if = "DataChoices::is_empty")]
    pub choices: DataChoices,
    /// The attribute whose value labels each feature on the map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_field: Option<String>,
}

fn default_true() -> bool {
    true
}

fn default_opacity() -> f32 {
    1.0
}

/// A named view for presenting: where the map looks, what it shows, what it highlights and
/// the title it carries. Everything but the name defaults, so that the early files that had a
/// name only still read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NamedScene {
    /// Short and unique within the project: the scenes list and `onemap export --scene` use it.
    pub name: String,
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub subtitle_zh: String,
    #[serde(default)]
    pub subtitle_en: String,
    /// Centre and zoom; `None` shows the whole plan area.
    #[serde(default)]
    pub view: Option<MapView>,
    /// Layers, groups and tiers shown, their opacity, and the label language; `None` keeps
    /// the project's own settings.
    #[serde(default)]
    pub settings: Option<ViewSettings>,
    /// Placements drawn highlighted.
    #[serde(default)]
    pub highlighted: Vec<PlacementId>,
}

impl NamedScene {
    /// The title in a label language (both: the two on two lines).
    pub fn title(&self, language: super::LabelLanguage) -> String {
        language.label(&self.title_zh, &self.title_en)
    }

    pub fn subtitle(&self, language: super::LabelLanguage) -> String {
        language.label(&self.subtitle_zh, &self.subtitle_en)
    }
}

/// Where the map looks: centre and zoom.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapView {
    pub center: (f64, f64),
    pub zoom: f64,
}

impl MapView {
    /// As saved: the centre to 1e-7° within ±180°/±90°, the zoom to 1e-3 within the map's
    /// zoom range. The editor can pan past the antimeridian, and on a canvas smaller than the
    /// reference one a scene's zoom is above the map's maximum; saved as they are, the loader
    /// (`well_formed`) would refuse the file.
    pub fn rounded(self) -> Self {
        let zoom = &super::well_formed::ZOOM_RANGE;
        Self {
            center: (
                round7(self.center.0.clamp(-180.0, 180.0)),
                round7(self.center.1.clamp(-90.0, 90.0)),
            ),
            zoom: ((self.zoom * 1000.0).round() / 1000.0).clamp(*zoom.start(), *zoom.end()),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub meta: Metadata,
    /// The plan edition the project is drawn on (`layers/edition.ron` id).
    pub edition: String,
    /// Layer and group visibility and opacity, tier toggles, label language.
    pub settings: ViewSettings,
    /// Layer drawing order overrides: layer id → draw order (higher draws later, on top).
    #[serde(default)]
    pub layer_order: BTreeMap<String, u32>,
    /// Style overrides: layer id → a paint whose set fields win over the style's.
    #[serde(default)]
    pub style_overrides: BTreeMap<String, super::style::Paint>,
    #[serde(default)]
    pub view: Option<MapView>,
    #[serde(default)]
    pub placements: BTreeMap<PlacementId, Placement>,
    #[serde(default)]
    pub sketch_layers: BTreeMap<String, SketchLayer>,
    #[serde(default)]
    pub scenes: Vec<NamedScene>,
    /// Acknowledged plan-check findings, by finding id.
    #[serde(default)]
    pub acknowledgements: BTreeMap<String, Acknowledgement>,
    /// The project's sketch of the plan layers, by plan feature id (the baseline is not
    /// touched).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub plan_overrides: BTreeMap<String, super::overrides::PlanOverride>,
    /// Notes pinned to map locations (review comments merged into the project).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<MapNote>,
    /// Where the project came from in a team store, when it was pulled from one: a later push
    /// merges from that revision. Never the server's address (it may hold a password).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<DbOrigin>,
}

/// A project's name in the team store and the revision a local copy is based on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DbOrigin {
    pub project: String,
    pub revision: i32,
}

/// A comment pinned to a map location.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapNote {
    /// Lon/lat.
    pub at: (f64, f64),
    pub comment: Comment,
}

impl Project {
    /// An empty project on an edition, with the given view settings and timestamps.
    pub fn new(edition: &str, settings: ViewSettings, now: &str) -> Self {
        Self {
            meta: Metadata {
                title_zh: "未命名项目".into(),
                title_en: "Untitled project".into(),
                author: String::new(),
                created: now.into(),
                modified: now.into(),
                approval_number: String::new(),
            },
            edition: edition.into(),
            settings,
            layer_order: BTreeMap::new(),
            style_overrides: BTreeMap::new(),
            view: None,
            placements: BTreeMap::new(),
            sketch_layers: BTreeMap::new(),
            scenes: Vec::new(),
            acknowledgements: BTreeMap::new(),
            plan_overrides: BTreeMap::new(),
            notes: Vec::new(),
            origin: None,
        }
    }

    /// The project as it is saved: coordinates rounded to 1e-7°.
    pub fn rounded(&self) -> Self {
        let mut p = self.clone();
        for placement in p.placements.values_mut() {
            placement.geometry = placement.geometry.rounded();
        }
        for s in &mut p.scenes {
            s.view = s.view.map(MapView::rounded);
        }
        for o in p.plan_overrides.values_mut() {
            match o {
                super::overrides::PlanOverride::Added { geometry, .. }
                | super::overrides::PlanOverride::Modified {
                    geometry: Some(geometry),
                    ..
                } => *geometry = geometry.rounded(),
                _ => {}
            }
        }
        p.view = p.view.map(MapView::rounded);
        p
    }
}

#[cfg(test)]
mod tests {
    use super::PlacementGeometry as G;

    fn square() -> G {
        G::Polygon(vec![vec![
            (0.0, 0.0),
            (1.0, 0.0),
            (1.0, 1.0),
            (0.0, 1.0),
            (0.0, 0.0),
        ]])
    }

    #[test]
    fn moving_the_first_vertex_of_a_ring_keeps_it_closed() {
        let G::Polygon(r) = square().with_vertex_moved(0, 0, (-1.0, -1.0)) else {
            panic!()
        };
        assert_eq!(r[0].first(), Some(&(-1.0, -1.0)));
        assert_eq!(r[0].last(), Some(&(-1.0, -1.0)));
        assert_eq!(r[0].len(), 5);
    }

    #[test]
    fn inserting_and_removing_vertices_respects_the_minimum() {
        let G::Polygon(r) = square().with_vertex_inserted(0, 0, (0.5, -0.5)) else {
            panic!()
        };
        assert_eq!(
            r[0],
            vec![
                (0.0, 0.0),
                (0.5, -0.5),
                (1.0, 0.0),
                (1.0, 1.0),
                (0.0, 1.0),
                (0.0, 0.0)
            ]
        );
        let triangle = square().with_vertex_removed(0, 3).unwrap();
        assert_eq!(triangle.vertex_rings()[0].len(), 3);
        assert_eq!(
            triangle.with_vertex_removed(0, 0),
            None,
            "a ring keeps three vertices"
        );
        let line = G::LineString(vec![(0.0, 0.0), (1.0, 1.0)]);
        assert_eq!(line.with_vertex_removed(0, 0), None);
        assert_eq!(G::Point((1.0, 2.0)).with_vertex_removed(0, 0), None);
    }
}
