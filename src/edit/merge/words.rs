//! Values of a merge's fields in words, for people: geometry as its kind, size and start,
//! names as their text, a deleted subject as "(deleted)". The one formatter of conflicts: the
//! `onemap merge` output and the three-way merge view both show what it writes.

use serde::Serialize;

use super::{Conflict, Merge3};
use crate::model::diff::{Subject, subject_parts};
use crate::model::measure;
use crate::model::project::{Comment, MapNote, MapView, PlacementGeometry, SketchSource};
use crate::model::style::{Paint, Rgba};
use crate::model::view::{LayerSettings, ViewSettings};

/// What a side shows for a subject it deleted.
pub const DELETED: &str = "(deleted)";
/// What the base shows for a subject that both sides added.
pub const ABSENT: &str = "(absent)";

/// The longest text shown whole; longer is cut, with "…".
const LONGEST: usize = 120;

/// A text as it is, cut when long; an empty one as "(empty)".
pub fn text(s: &str) -> String {
    if s.is_empty() {
        return "(empty)".into();
    }
    match s.char_indices().nth(LONGEST) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_owned(),
    }
}

pub fn optional(s: &Option<String>) -> String {
    s.as_deref().map_or_else(|| "(none)".into(), text)
}

pub fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".into()
    } else {
        text(&items.join(", "))
    }
}

pub fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.into()
}

fn position((lon, lat): (f64, f64)) -> String {
    format!("{lon:.2},{lat:.2}")
}

/// "1 vertex", "12 vertices".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A geometry's kind, size and where it starts, e.g. "line, 12 vertices, 48.2 km, starts
/// 120.61,31.30".
pub fn geometry(g: &PlacementGeometry) -> String {
    match g {
        PlacementGeometry::Point(p) => format!("point at {}", position(*p)),
        PlacementGeometry::LineString(l) => {
            let km = measure::length_km(&geo::LineString::from(l.clone()));
            let start = l
                .first()
                .map_or_else(String::new, |p| format!(", starts {}", position(*p)));
            format!(
                "line, {}, {km:.1} km{start}",
                count(l.len(), "vertex", "vertices")
            )
        }
        PlacementGeometry::Polygon(rings) => {
            let area = match g.to_geo() {
                geo::Geometry::Polygon(p) => measure::area_km2(&geo::MultiPolygon(vec![p])),
                _ => 0.0,
            };
            let vertices = g.vertex_rings().iter().map(Vec::len).sum();
            let holes = match rings.len().saturating_sub(1) {
                0 => String::new(),
                n => format!(", {}", count(n, "hole", "holes")),
            };
            let start = rings
                .first()
                .and_then(|r| r.first())
                .map_or_else(String::new, |p| format!(", first vertex {}", position(*p)));
            format!(
                "polygon, {}, {area:.1} km²{holes}{start}",
                count(vertices, "vertex", "vertices")
            )
        }
    }
}

pub fn comments(list: &[Comment]) -> String {
    match list.last() {
        None => "(none)".into(),
        Some(last) => format!(
            "{}, the last by {} at {}: {}",
            count(list.len(), "comment", "comments"),
            text(&last.author),
            last.time,
            text(&last.text)
        ),
    }
}

pub fn notes(list: &[MapNote]) -> String {
    match list.last() {
        None => "(none)".into(),
        Some(last) => format!(
            "{}, the last at {}: {}",
            count(list.len(), "note", "notes"),
            position(last.at),
            text(&last.comment.text)
        ),
    }
}

pub fn view(v: &Option<MapView>) -> String {
    v.map_or_else(
        || "the whole plan area".into(),
        |v| format!("centre {}, zoom {:.1}", position(v.center), v.zoom),
    )
}

pub fn percent(opacity: f32) -> String {
    format!("{:.0}%", opacity * 100.0)
}

pub fn layer_visible(s: &Option<LayerSettings>) -> String {
    s.map_or_else(|| "(as styled)".into(), |s| shown(s.visible))
}

pub fn layer_opacity(s: &Option<LayerSettings>) -> String {
    s.map_or_else(|| "(as styled)".into(), |s| percent(s.opacity))
}

pub fn shown(visible: bool) -> String {
    if visible { "shown" } else { "hidden" }.into()
}

pub fn draw_order(order: &Option<u32>) -> String {
    order.map_or_else(|| "(the style's order)".into(), |o| o.to_string())
}

fn colour(c: Rgba) -> String {
    format!("#{:02x}{:02x}{:02x}{:02x}", c.0, c.1, c.2, c.3)
}

/// The fields a style override sets, e.g. "stroke #ff0000ff, width 3 px, dashed 6/4 px".
pub fn paint(p: &Option<Paint>) -> String {
    let Some(p) = p else {
        return "(the style's own)".into();
    };
    let mut parts = Vec::new();
    if let Some(c) = p.fill {
        parts.push(format!("fill {}", colour(c)));
    }
    if let Some(c) = p.stroke {
        parts.push(format!("stroke {}", colour(c)));
    }
    if let Some(w) = p.width_px {
        parts.push(format!("width {w} px"));
    }
    if let Some((dash, gap)) = p.dash_px {
        parts.push(format!("dashed {dash}/{gap} px"));
    }
    if let Some(a) = p.arrows {
        parts.push(if a { "arrows" } else { "no arrows" }.into());
    }
    if let Some(s) = p.symbol {
        parts.push(format!("symbol {}", format!("{s:?}").to_lowercase()));
    }
    if let Some(s) = p.symbol_px {
        parts.push(format!("symbol {s} px"));
    }
    if let Some(l) = p.label {
        parts.push(format!("label {} px {}", l.size_px, colour(l.color)));
    }
    if parts.is_empty() {
        "(nothing overridden)".into()
    } else {
        parts.join(", ")
    }
}

pub fn tiers(t: &[bool]) -> String {
    let on: Vec<String> = (1..)
        .zip(t)
        .filter(|(_, on)| **on)
        .map(|(i, _)| i.to_string())
        .collect();
    if on.is_empty() {
        "no tier shown".into()
    } else {
        format!("tiers {} shown", on.join(", "))
    }
}

/// A scene's own view settings, in short.
pub fn scene_settings(s: &Option<ViewSettings>) -> String {
    let Some(s) = s else {
        return "the project's settings".into();
    };
    let visible = s.layers.values().filter(|l| l.visible).count();
    format!(
        "{} of {} layers shown, {}, labels {}",
        visible,
        s.layers.len(),
        tiers(&s.tiers),
        s.language.title()
    )
}

pub fn sketch_source(s: &SketchSource) -> String {
    match s {
        SketchSource::Embedded(json) => format!("embedded GeoJSON, {} bytes", json.len()),
        SketchSource::Referenced(path) => format!("file {}", text(path)),
    }
}

/// How a data file is read: its table, CRS, encoding and CSV columns where chosen.
pub fn data_choices(c: &crate::model::project::DataChoices) -> String {
    let mut parts = Vec::new();
    if let Some(t) = &c.table {
        parts.push(format!("table {}", text(t)));
    }
    if let Some(crs) = &c.crs {
        parts.push(format!("CRS {}", text(crs)));
    }
    if let Some(e) = &c.encoding {
        parts.push(format!("encoding {}", text(e)));
    }
    if let Some((x, y)) = &c.csv_columns {
        parts.push(format!("columns {}, {}", text(x), text(y)));
    }
    if parts.is_empty() {
        "as the file declares".into()
    } else {
        parts.join("; ")
    }
}

/// "placement placement.x «沪苏湖铁路»": what a conflict is about.
pub fn subject(subject: &Subject, name: &str) -> String {
    let (kind, id) = subject_parts(subject);
    if name.is_empty() || name == id {
        format!("{kind} {id}")
    } else {
        format!("{kind} {id} «{name}»")
    }
}

/// A conflict for the terminal: a header line, then base, mine and theirs indented.
pub fn conflict(c: &Conflict) -> String {
    format!(
        "conflict\t{}\tfield {}\tkept mine\n  base:   {}\n  mine:   {}\n  theirs: {}",
        subject(&c.subject, &c.name),
        c.field,
        c.base,
        c.mine,
        c.theirs
    )
}

/// One conflict as `onemap merge --json` writes it.
#[derive(Serialize)]
pub struct ConflictRecord<'a> {
    /// "placement", "scene", "layer", "setting", …
    pub subject: &'static str,
    pub id: &'a str,
    pub name: &'a str,
    pub field: &'a str,
    pub base: &'a str,
    pub mine: &'a str,
    pub theirs: &'a str,
}

impl<'a> From<&'a Conflict> for ConflictRecord<'a> {
    fn from(c: &'a Conflict) -> Self {
        let (subject, id) = subject_parts(&c.subject);
        Self {
            subject,
            id,
            name: &c.name,
            field: &c.field,
            base: &c.base,
            mine: &c.mine,
            theirs: &c.theirs,
        }
    }
}

/// The counts of a merge, for `onemap merge --json` and the merge view.
#[derive(Serialize)]
pub struct Summary {
    pub conflicts: usize,
    /// Subjects with at least one conflicting field.
    pub subjects_in_conflict: usize,
    /// Subjects that took something from theirs without a conflict.
    pub taken_from_theirs: usize,
}

/// What `onemap merge --json` prints: the file written, each conflict, the counts.
#[derive(Serialize)]
pub struct Report<'a> {
    pub out: String,
    pub conflicts: Vec<ConflictRecord<'a>>,
    pub summary: Summary,
}

impl Merge3 {
    pub fn report(&self, out: &std::path::Path) -> Report<'_> {
        Report {
            out: out.display().to_string(),
            conflicts: self.conflicts.iter().map(Into::into).collect(),
            summary: self.summary(),
        }
    }

    pub fn summary(&self) -> Summary {
        let subjects: std::collections::BTreeSet<&Subject> =
            self.conflicts.iter().map(|c| &c.subject).collect();
        Summary {
            conflicts: self.conflicts.len(),
            subjects_in_conflict: subjects.len(),
            taken_from_theirs: self.from_theirs.len(),
        }
    }
}

/// One side of a conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Base,
    Mine,
    Theirs,
}

/// Each subject in conflict with its conflicting fields on one side, a line per field
/// ("name_zh: 沪苏湖城际"): the three-way merge view's cells.
pub fn by_subject(
    conflicts: &[Conflict],
    side: Side,
) -> std::collections::BTreeMap<Subject, String> {
    let mut out = std::collections::BTreeMap::<Subject, String>::new();
    for c in conflicts {
        let value = match side {
            Side::Base => &c.base,
            Side::Mine => &c.mine,
            Side::Theirs => &c.theirs,
        };
        let cell = out.entry(c.subject.clone()).or_default();
        if !cell.is_empty() {
            cell.push('\n');
        }
        cell.push_str(&format!("{}: {value}", c.field));
    }
    out
}
