//! What a project (or a review sidecar) must not contain even though RON can express it:
//! numbers that are not finite or are outside what the map can use, positions outside lon/lat
//! range, too-short lines and unclosed or empty rings. Every loader runs these checks (project
//! files, recovery journals, merge and diff inputs through `io::project_file::parse_project`,
//! review sidecars through `io::review_file::load_review`), so that nothing that loads can
//! crash the map later: a NaN coordinate panics in the spatial index, a zoom of 1e300 asks the
//! renderer for a map larger than memory.
//!
//! These are refusals, not findings: a file that fails them does not open. The softer checks
//! against the plan edition (`project_check`) are problems that `onemap validate` lists.

use std::fmt;
use std::ops::RangeInclusive;

use super::project::{MapView, PlacementGeometry, Project};
use super::review::{Anchor, Review};
use super::style::Paint;
use super::view::{LayerSettings, ViewSettings};

/// The zooms the map supports: walkers' `MapMemory` refuses any other (its `Zoom` is 0 to 26),
/// and the presenter and exports clamp to this range.
pub const ZOOM_RANGE: RangeInclusive<f64> = 0.0..=26.0;

/// Opacities, as the layers panel sets them.
pub const OPACITY_RANGE: RangeInclusive<f32> = 0.0..=1.0;

/// Style override sizes in points. Far above any real style (the largest in `assets/style.ron`
/// is 26), low enough that no line or label is bigger than a screen.
pub const LINE_WIDTH_RANGE: RangeInclusive<f32> = 0.0..=100.0;
pub const SYMBOL_SIZE_RANGE: RangeInclusive<f32> = 0.0..=200.0;
pub const LABEL_SIZE_RANGE: RangeInclusive<f32> = 1.0..=200.0;
/// A dash and a gap each; together at least a point, so that dashing a line always advances.
pub const DASH_RANGE: RangeInclusive<f32> = 0.0..=1000.0;

/// The first thing wrong with a file, and where: `field` is a path into the file such as
/// `scenes[2].view.zoom` or `plan_overrides["sketch.x"].geometry`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct Malformed {
    pub field: String,
    pub problem: String,
}

type Checked = Result<(), Malformed>;

fn at(field: impl Into<String>) -> impl FnOnce(String) -> Malformed {
    let field = field.into();
    move |problem| Malformed { field, problem }
}

/// A map key as it is written in the file, quoted and escaped (keys can hold anything).
fn key(map: &str, k: &str) -> String {
    format!("{map}[{k:?}]")
}

/// Checks every number and every geometry of a project; the first problem found is returned.
pub fn check_project(project: &Project) -> Checked {
    check_settings("settings", &project.settings)?;
    for (layer, paint) in &project.style_overrides {
        check_paint(&key("style_overrides", layer), paint)?;
    }
    if let Some(view) = &project.view {
        check_view("view", view)?;
    }
    for (id, p) in &project.placements {
        check_geometry(&p.geometry)
            .map_err(at(format!("{}.geometry", key("placements", &id.0))))?;
    }
    for (name, layer) in &project.sketch_layers {
        let field = format!("{}.opacity", key("sketch_layers", name));
        check_opacity(layer.opacity).map_err(at(field))?;
    }
    for (i, scene) in project.scenes.iter().enumerate() {
        if let Some(view) = &scene.view {
            check_view(&format!("scenes[{i}].view"), view)?;
        }
        if let Some(settings) = &scene.settings {
            check_settings(&format!("scenes[{i}].settings"), settings)?;
        }
    }
    for (id, o) in &project.plan_overrides {
        use super::overrides::PlanOverride as O;
        if let O::Added { geometry, .. }
        | O::Modified {
            geometry: Some(geometry),
            ..
        } = o
        {
            let field = format!("{}.geometry", key("plan_overrides", id));
            check_geometry(geometry).map_err(at(field))?;
        }
    }
    for (i, note) in project.notes.iter().enumerate() {
        check_position(note.at).map_err(at(format!("notes[{i}].at")))?;
    }
    Ok(())
}

/// Checks a review sidecar: every location a comment is pinned to.
pub fn check_review(review: &Review) -> Checked {
    for (i, c) in review.comments.iter().enumerate() {
        if let Anchor::Location(lon, lat) = c.anchor {
            check_position((lon, lat)).map_err(at(format!("comments[{i}].anchor")))?;
        }
    }
    Ok(())
}

/// A lon/lat position: finite, and within ±180°/±90°.
pub fn check_position((x, y): (f64, f64)) -> Result<(), String> {
    if !x.is_finite() || !y.is_finite() {
        return Err(format!("{:?} is not a finite number", (x, y)));
    }
    if !(-180.0..=180.0).contains(&x) || !(-90.0..=90.0).contains(&y) {
        return Err(format!("{:?} is outside ±180/±90 (lon/lat, WGS84)", (x, y)));
    }
    Ok(())
}

/// A geometry's positions, and its shape: a line of 2 positions or more, a polygon of one ring
/// or more, each closed and of 4 positions or more.
pub fn check_geometry(geometry: &PlacementGeometry) -> Result<(), String> {
    let check_ring = |ring: &[(f64, f64)], prefix: &str| {
        ring.iter().enumerate().try_for_each(|(i, p)| {
            check_position(*p).map_err(|e| format!("{prefix}coordinate {i} {e}"))
        })
    };
    match geometry {
        PlacementGeometry::Point(p) => check_ring(std::slice::from_ref(p), ""),
        PlacementGeometry::LineString(line) => {
            check_ring(line, "")?;
            if line.len() < 2 {
                return Err(format!(
                    "a line needs at least 2 positions; it has {}",
                    line.len()
                ));
            }
            Ok(())
        }
        PlacementGeometry::Polygon(rings) => {
            if rings.is_empty() {
                return Err("a polygon needs at least one ring".into());
            }
            for (r, ring) in rings.iter().enumerate() {
                check_ring(ring, &format!("ring {r}, "))?;
                if ring.len() < 4 {
                    return Err(format!(
                        "ring {r} has {} positions; a ring needs at least 4",
                        ring.len()
                    ));
                }
                if ring.first() != ring.last() {
                    return Err(format!(
                        "ring {r} is not closed: its first and last positions differ"
                    ));
                }
            }
            Ok(())
        }
    }
}

fn check_view(field: &str, view: &MapView) -> Checked {
    check_position(view.center).map_err(at(format!("{field}.center")))?;
    in_range(view.zoom, &ZOOM_RANGE).map_err(at(format!("{field}.zoom")))
}

fn check_settings(field: &str, settings: &ViewSettings) -> Checked {
    let check = |map: &str, entries: &std::collections::BTreeMap<String, LayerSettings>| {
        entries.iter().try_for_each(|(id, s)| {
            let field = format!("{}.opacity", key(&format!("{field}.{map}"), id));
            check_opacity(s.opacity).map_err(at(field))
        })
    };
    check("groups", &settings.groups)?;
    check("layers", &settings.layers)
}

fn check_opacity(opacity: f32) -> Result<(), String> {
    in_range(opacity, &OPACITY_RANGE)
}

fn check_paint(field: &str, paint: &Paint) -> Checked {
    let sized = |name: &str, value: Option<f32>, range: &RangeInclusive<f32>| {
        value.map_or(Ok(()), |v| {
            in_range(v, range).map_err(at(format!("{field}.{name}")))
        })
    };
    sized("width_px", paint.width_px, &LINE_WIDTH_RANGE)?;
    sized("symbol_px", paint.symbol_px, &SYMBOL_SIZE_RANGE)?;
    sized(
        "label.size_px",
        paint.label.map(|l| l.size_px),
        &LABEL_SIZE_RANGE,
    )?;
    if let Some((dash, gap)) = paint.dash_px {
        let field = format!("{field}.dash_px");
        in_range(dash, &DASH_RANGE).map_err(at(field.clone()))?;
        in_range(gap, &DASH_RANGE).map_err(at(field.clone()))?;
        if dash + gap < 1.0 {
            return Err(at(field)(format!(
                "a dash and its gap of {dash:?} and {gap:?} points are less than 1 point together"
            )));
        }
    }
    Ok(())
}

/// NaN is in no range, so this refuses it too.
fn in_range<T>(value: T, range: &RangeInclusive<T>) -> Result<(), String>
where
    T: PartialOrd + fmt::Debug + fmt::Display,
{
    if range.contains(&value) {
        Ok(())
    } else {
        Err(format!(
            "{value:?} is outside {}..={}",
            range.start(),
            range.end()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::overrides::PlanOverride;
    use crate::model::project::{Comment, MapNote, NamedScene};
    use crate::model::review::{CommentStatus, ReviewComment};
    use crate::model::style::{LabelPaint, Rgba};
    use crate::model::{LabelLanguage, view::TIER_COUNT};
    use std::collections::BTreeMap;

    fn project() -> Project {
        let mut settings = ViewSettings {
            groups: BTreeMap::new(),
            layers: BTreeMap::new(),
            tiers: [true; TIER_COUNT as usize],
            language: LabelLanguage::Chinese,
            hide_indicative: false,
            legend: Default::default(),
            basemap: Default::default(),
        };
        settings.groups.insert("g".into(), LayerSettings::SHOWN);
        settings.layers.insert("l".into(), LayerSettings::SHOWN);
        Project::new("sma-2022", settings, "2026-11-28T00:00:00Z")
    }

    fn refused(project: &Project) -> String {
        check_project(project)
            .expect_err("the project is refused")
            .to_string()
    }

    fn square() -> Vec<(f64, f64)> {
        vec![(121.0, 31.0), (121.1, 31.0), (121.1, 31.1), (121.0, 31.0)]
    }

    #[test]
    fn a_sound_project_passes() {
        let mut p = project();
        p.view = Some(MapView {
            center: (121.0, 31.0),
            zoom: 26.0,
        });
        p.plan_overrides.insert(
            "sketch.x".into(),
            PlanOverride::Modified {
                layer: "sections".into(),
                geometry: Some(PlacementGeometry::Polygon(vec![square()])),
                name_zh: None,
                name_en: None,
            },
        );
        assert_eq!(check_project(&p), Ok(()));
    }

    #[test]
    fn a_view_as_the_editor_saves_it_always_loads() {
        // Panned past the antimeridian, zoomed in fully on a canvas smaller than the
        // reference one: the scene zoom is above the map's maximum.
        let view = MapView {
            center: (200.0, 31.0),
            zoom: 26.7,
        };
        assert!(check_view("view", &view).is_err());
        assert_eq!(check_view("view", &view.rounded()), Ok(()));
        assert_eq!(view.rounded().zoom, 26.0);
    }

    #[test]
    fn geometry_checks_name_the_coordinate_and_the_ring() {
        let g = PlacementGeometry::LineString(vec![(121.0, 31.0), (121.0, f64::INFINITY)]);
        assert_eq!(
            check_geometry(&g).unwrap_err(),
            "coordinate 1 (121.0, inf) is not a finite number"
        );
        let mut ring = square();
        ring[2] = (f64::NAN, 31.0);
        let g = PlacementGeometry::Polygon(vec![square(), ring]);
        assert_eq!(
            check_geometry(&g).unwrap_err(),
            "ring 1, coordinate 2 (NaN, 31.0) is not a finite number"
        );
        let g = PlacementGeometry::Point((-180.5, 0.0));
        assert!(check_geometry(&g).unwrap_err().contains("outside ±180/±90"));
        let g = PlacementGeometry::LineString(vec![]);
        assert_eq!(
            check_geometry(&g).unwrap_err(),
            "a line needs at least 2 positions; it has 0"
        );
        let g = PlacementGeometry::Polygon(vec![square()[..3].to_vec()]);
        assert_eq!(
            check_geometry(&g).unwrap_err(),
            "ring 0 has 3 positions; a ring needs at least 4"
        );
    }

    #[test]
    fn overrides_are_checked_whether_added_or_modified() {
        let mut p = project();
        p.plan_overrides.insert(
            "sketch.y".into(),
            PlanOverride::Modified {
                layer: "corridors".into(),
                geometry: Some(PlacementGeometry::LineString(vec![(121.0, 31.0)])),
                name_zh: None,
                name_en: None,
            },
        );
        assert_eq!(
            refused(&p),
            r#"plan_overrides["sketch.y"].geometry: a line needs at least 2 positions; it has 1"#
        );
    }

    fn scene(view: Option<MapView>, settings: Option<ViewSettings>) -> NamedScene {
        NamedScene {
            name: "s".into(),
            title_zh: String::new(),
            title_en: String::new(),
            subtitle_zh: String::new(),
            subtitle_en: String::new(),
            view,
            settings,
            highlighted: Vec::new(),
        }
    }

    #[test]
    fn zoom_opacity_and_note_numbers_are_checked() {
        let mut p = project();
        let view = MapView {
            center: (121.0, 31.0),
            zoom: 26.001,
        };
        p.scenes.push(scene(Some(view), None));
        assert_eq!(refused(&p), "scenes[0].view.zoom: 26.001 is outside 0..=26");

        let mut p = project();
        let mut settings = p.settings.clone();
        settings.layers.insert(
            "l".into(),
            LayerSettings {
                visible: true,
                opacity: -0.1,
            },
        );
        p.scenes.push(scene(None, Some(settings)));
        assert_eq!(
            refused(&p),
            r#"scenes[0].settings.layers["l"].opacity: -0.1 is outside 0..=1"#
        );

        let mut p = project();
        p.notes.push(MapNote {
            at: (f64::NEG_INFINITY, 31.0),
            comment: Comment {
                author: "a".into(),
                time: "t".into(),
                text: "x".into(),
            },
        });
        assert_eq!(
            refused(&p),
            "notes[0].at: (-inf, 31.0) is not a finite number"
        );
    }

    #[test]
    fn style_override_sizes_are_bounded_and_a_dash_always_advances() {
        let mut p = project();
        let paint = |f: fn(&mut Paint)| {
            let mut paint = Paint::default();
            f(&mut paint);
            paint
        };
        p.style_overrides
            .insert("corridors".into(), paint(|p| p.dash_px = Some((0.0, 0.0))));
        assert_eq!(
            refused(&p),
            r#"style_overrides["corridors"].dash_px: a dash and its gap of 0.0 and 0.0 points are less than 1 point together"#
        );
        p.style_overrides
            .insert("corridors".into(), paint(|p| p.width_px = Some(f32::NAN)));
        assert_eq!(
            refused(&p),
            r#"style_overrides["corridors"].width_px: NaN is outside 0..=100"#
        );
        p.style_overrides.insert(
            "corridors".into(),
            paint(|p| {
                p.label = Some(LabelPaint {
                    size_px: 0.0,
                    color: Rgba(0, 0, 0, 255),
                    priority: 1,
                })
            }),
        );
        assert_eq!(
            refused(&p),
            r#"style_overrides["corridors"].label.size_px: 0.0 is outside 1..=200"#
        );
        p.style_overrides
            .insert("corridors".into(), paint(|p| p.dash_px = Some((6.0, 3.0))));
        assert_eq!(check_project(&p), Ok(()));
    }

    #[test]
    fn keys_are_quoted_so_that_any_key_reads_unambiguously() {
        let mut p = project();
        p.sketch_layers.insert(
            "a\"]\nb".into(),
            crate::model::project::SketchLayer {
                name: "x".into(),
                source: crate::model::project::SketchSource::Embedded(String::new()),
                visible: true,
                opacity: f32::INFINITY,
                choices: Default::default(),
                label_field: None,
            },
        );
        assert_eq!(
            refused(&p),
            r#"sketch_layers["a\"]\nb"].opacity: inf is outside 0..=1"#
        );
    }

    #[test]
    fn review_locations_are_checked() {
        let comment = |anchor| ReviewComment {
            id: "c1".into(),
            anchor,
            author: "r".into(),
            time: "t".into(),
            text: "x".into(),
            status: CommentStatus::Open,
            replies: Vec::new(),
        };
        let mut review = Review {
            reviewed: "p.onemap".into(),
            comments: vec![
                comment(Anchor::Placement(crate::model::project::PlacementId(
                    "placement.a".into(),
                ))),
                comment(Anchor::Location(121.0, 31.0)),
            ],
        };
        assert_eq!(check_review(&review), Ok(()));
        review.comments.push(comment(Anchor::Location(121.0, 95.0)));
        assert_eq!(
            check_review(&review).unwrap_err().to_string(),
            "comments[2].anchor: (121.0, 95.0) is outside ±180/±90 (lon/lat, WGS84)"
        );
    }
}
