//! What changed between two versions of a project. Placements are matched by their stable id;
//! layers, scenes, sketch layers, acknowledgements and settings by their keys, so the order in
//! the file never matters. Each change carries what a reviewer needs: attributes before and
//! after, the geometry's change in length, area and position, and the plan-check findings the
//! change brought or cleared.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::checks::Finding;
use super::derived::derive;
use super::plan::Plan;
use super::project::{PlacementGeometry, Project};

/// What a change is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Subject {
    Placement(String),
    /// A layer's visibility, opacity, drawing order or style override.
    Layer(String),
    /// A layer group's visibility or opacity.
    Group(String),
    Scene(String),
    SketchLayer(String),
    Acknowledgement(String),
    /// The project's sketch of a plan feature (an override of the baseline).
    PlanFeature(String),
    /// A project-wide setting: "title", "author", "edition", "map view", "tiers",
    /// "label language", "scene order", "notes".
    Setting(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    GeometryChanged,
    AttributesChanged,
    GeometryAndAttributesChanged,
    /// Anything else that changed (a layer, a scene, a setting).
    Changed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::GeometryChanged => "geometry changed",
            Self::AttributesChanged => "attributes changed",
            Self::GeometryAndAttributesChanged => "geometry and attributes changed",
            Self::Changed => "changed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AttributeChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct GeometryDelta {
    /// New minus old length, km (lines).
    pub length_km: Option<f64>,
    /// New minus old area, km² (polygons).
    pub area_km2: Option<f64>,
    /// The largest distance between the two geometries (Hausdorff, geodesic), metres.
    pub max_displacement_m: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub subject: Subject,
    pub kind: ChangeKind,
    /// A name to show: the placement's or scene's name, the layer id.
    pub name: String,
    /// A placement's English name, for the English interface (`onemap diff` prints `name`).
    #[serde(skip)]
    pub name_en: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<AttributeChange>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geometry: Option<GeometryDelta>,
    /// Plan-check findings (ids) that the change brought…
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings_introduced: Vec<String>,
    /// …and that it cleared.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings_resolved: Vec<String>,
}

impl Change {
    /// One line for the terminal: `kind\tsubject\tname\tdetails`.
    pub fn line(&self) -> String {
        let mut details: Vec<String> = self
            .attributes
            .iter()
            .map(|a| format!("{}: {} → {}", a.field, a.before, a.after))
            .collect();
        if let Some(g) = &self.geometry {
            if let Some(l) = g.length_km {
                details.push(format!("Δlength {l:+.2} km"));
            }
            if let Some(a) = g.area_km2 {
                details.push(format!("Δarea {a:+.2} km²"));
            }
            details.push(format!("moved up to {:.0} m", g.max_displacement_m));
        }
        if !self.findings_introduced.is_empty() {
            details.push(format!(
                "new findings: {}",
                self.findings_introduced.join(", ")
            ));
        }
        if !self.findings_resolved.is_empty() {
            details.push(format!(
                "cleared findings: {}",
                self.findings_resolved.join(", ")
            ));
        }
        let (kind, id) = subject_parts(&self.subject);
        format!(
            "{}\t{kind} {id}\t{}\t{}",
            self.kind.as_str(),
            self.name,
            details.join("; ")
        )
    }
}

/// A subject's kind in words ("placement", "plan feature", …) and its id.
pub fn subject_parts(s: &Subject) -> (&'static str, &str) {
    match s {
        Subject::Placement(id) => ("placement", id),
        Subject::Layer(id) => ("layer", id),
        Subject::Group(id) => ("group", id),
        Subject::Scene(id) => ("scene", id),
        Subject::SketchLayer(id) => ("sketch layer", id),
        Subject::Acknowledgement(id) => ("acknowledgement", id),
        Subject::PlanFeature(id) => ("plan feature", id),
        Subject::Setting(id) => ("setting", id),
    }
}

/// Findings of each side, to tell which a change brought or cleared (`None`: not checked).
pub struct Findings<'a> {
    pub old: &'a [Finding],
    pub new: &'a [Finding],
}

/// The changes from `old` to `new`, in a stable order (by subject).
pub fn diff(
    old: &Project,
    new: &Project,
    plan: &Plan,
    findings: Option<Findings<'_>>,
) -> Vec<Change> {
    let mut out = Vec::new();
    placements(old, new, plan, findings.as_ref(), &mut out);
    layers(old, new, &mut out);
    scenes(old, new, &mut out);
    sketch_layers(old, new, &mut out);
    keyed(
        &old.acknowledgements,
        &new.acknowledgements,
        Subject::Acknowledgement,
        &mut out,
    );
    sketches(old, new, &mut out);
    settings(old, new, &mut out);
    out.sort_by(|a, b| a.subject.cmp(&b.subject));
    out
}

fn text<T: std::fmt::Debug>(v: &T) -> String {
    format!("{v:?}")
}

fn change(subject: Subject, kind: ChangeKind, name: String) -> Change {
    Change {
        subject,
        kind,
        name,
        name_en: String::new(),
        attributes: Vec::new(),
        geometry: None,
        findings_introduced: Vec::new(),
        findings_resolved: Vec::new(),
    }
}

fn named(c: Change, name_en: &str) -> Change {
    Change {
        name_en: name_en.to_owned(),
        ..c
    }
}

fn placements(
    old: &Project,
    new: &Project,
    plan: &Plan,
    findings: Option<&Findings<'_>>,
    out: &mut Vec<Change>,
) {
    let ids: BTreeSet<_> = old.placements.keys().chain(new.placements.keys()).collect();
    for id in ids {
        let (a, b) = (old.placements.get(id), new.placements.get(id));
        let mut c = match (a, b) {
            (None, Some(p)) => named(
                change(
                    Subject::Placement(id.0.clone()),
                    ChangeKind::Added,
                    p.name_zh.clone(),
                ),
                &p.name_en,
            ),
            (Some(p), None) => named(
                change(
                    Subject::Placement(id.0.clone()),
                    ChangeKind::Removed,
                    p.name_zh.clone(),
                ),
                &p.name_en,
            ),
            (Some(a), Some(b)) if a != b => {
                let mut attributes = Vec::new();
                let mut field = |name: &str, x: String, y: String| {
                    if x != y {
                        attributes.push(AttributeChange {
                            field: name.into(),
                            before: x,
                            after: y,
                        });
                    }
                };
                field("name_zh", a.name_zh.clone(), b.name_zh.clone());
                field("name_en", a.name_en.clone(), b.name_en.clone());
                field("action", a.action.clone(), b.action.clone());
                field("section", text(&a.section), text(&b.section));
                field("lead_city", text(&a.lead_city), text(&b.lead_city));
                field(
                    "participants",
                    a.participants.join(","),
                    b.participants.join(","),
                );
                field("status", a.status.as_str().into(), b.status.as_str().into());
                field("horizon", a.horizon.to_string(), b.horizon.to_string());
                field("description", a.description.clone(), b.description.clone());
                field("source", a.source.clone(), b.source.clone());
                field(
                    "indicative",
                    a.indicative.to_string(),
                    b.indicative.to_string(),
                );
                field(
                    "comments",
                    a.comments.len().to_string(),
                    b.comments.len().to_string(),
                );
                let moved = a.geometry != b.geometry;
                let kind = match (moved, attributes.is_empty()) {
                    (true, true) => ChangeKind::GeometryChanged,
                    (true, false) => ChangeKind::GeometryAndAttributesChanged,
                    _ => ChangeKind::AttributesChanged,
                };
                let mut c = named(
                    change(Subject::Placement(id.0.clone()), kind, b.name_zh.clone()),
                    &b.name_en,
                );
                c.attributes = attributes;
                if moved {
                    c.geometry = Some(geometry_delta(&a.geometry, &b.geometry, plan));
                }
                c
            }
            _ => continue,
        };
        if let Some(f) = findings {
            let ids = |list: &[Finding]| -> BTreeSet<String> {
                list.iter()
                    .filter(|f| f.placement == id.0)
                    .map(|f| f.id.clone())
                    .collect()
            };
            let (before, after) = (ids(f.old), ids(f.new));
            c.findings_introduced = after.difference(&before).cloned().collect();
            c.findings_resolved = before.difference(&after).cloned().collect();
        }
        out.push(c);
    }
}

fn geometry_delta(a: &PlacementGeometry, b: &PlacementGeometry, plan: &Plan) -> GeometryDelta {
    let (ga, gb) = (a.to_geo(), b.to_geo());
    // Each linear or n·log n in the vertices, and independent: a huge outline's are measured
    // side by side.
    let ((da, db), max_displacement_m) = std::thread::scope(|scope| {
        let displacement = scope.spawn(|| super::measure::hausdorff_m(&ga, &gb));
        let old = scope.spawn(|| derive(plan, &ga));
        let new = derive(plan, &gb);
        let old = old.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        let displacement = displacement
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        ((old, new), displacement)
    });
    GeometryDelta {
        length_km: da.length_km.zip(db.length_km).map(|(x, y)| y - x),
        area_km2: da.area_km2.zip(db.area_km2).map(|(x, y)| y - x),
        max_displacement_m,
    }
}

fn layers(old: &Project, new: &Project, out: &mut Vec<Change>) {
    let ids: BTreeSet<&String> = [old, new]
        .iter()
        .flat_map(|p| {
            p.settings
                .layers
                .keys()
                .chain(p.layer_order.keys())
                .chain(p.style_overrides.keys())
        })
        .collect();
    for id in ids {
        let state = |p: &Project| {
            (
                p.settings.layers.get(id).copied(),
                p.layer_order.get(id).copied(),
                p.style_overrides.get(id).cloned(),
            )
        };
        let (a, b) = (state(old), state(new));
        if a == b {
            continue;
        }
        let mut c = change(Subject::Layer(id.clone()), ChangeKind::Changed, id.clone());
        for (field, x, y) in [
            ("view", text(&a.0), text(&b.0)),
            ("draw order", text(&a.1), text(&b.1)),
            ("style", text(&a.2), text(&b.2)),
        ] {
            if x != y {
                c.attributes.push(AttributeChange {
                    field: field.into(),
                    before: x,
                    after: y,
                });
            }
        }
        out.push(c);
    }
    keyed(
        &old.settings.groups,
        &new.settings.groups,
        Subject::Group,
        out,
    );
}

/// Data (sketch) layers added or removed, and for a changed one what changed in it.
fn sketch_layers(old: &Project, new: &Project, out: &mut Vec<Change>) {
    let start = out.len();
    keyed(
        &old.sketch_layers,
        &new.sketch_layers,
        Subject::SketchLayer,
        out,
    );
    for c in &mut out[start..] {
        let Subject::SketchLayer(id) = &c.subject else {
            continue;
        };
        let (Some(a), Some(b)) = (old.sketch_layers.get(id), new.sketch_layers.get(id)) else {
            continue;
        };
        for (field, x, y) in [
            ("name", a.name.clone(), b.name.clone()),
            ("source", text(&a.source), text(&b.source)),
            ("visible", a.visible.to_string(), b.visible.to_string()),
            ("opacity", a.opacity.to_string(), b.opacity.to_string()),
            ("choices", text(&a.choices), text(&b.choices)),
            ("label field", text(&a.label_field), text(&b.label_field)),
        ] {
            if x != y {
                c.attributes.push(AttributeChange {
                    field: field.into(),
                    before: x,
                    after: y,
                });
            }
        }
    }
}

/// Added, removed or changed entries of two maps keyed by name.
fn keyed<V: PartialEq + std::fmt::Debug>(
    old: &BTreeMap<String, V>,
    new: &BTreeMap<String, V>,
    subject: fn(String) -> Subject,
    out: &mut Vec<Change>,
) {
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for k in keys {
        let kind = match (old.get(k), new.get(k)) {
            (None, Some(_)) => ChangeKind::Added,
            (Some(_), None) => ChangeKind::Removed,
            (Some(a), Some(b)) if a != b => ChangeKind::Changed,
            _ => continue,
        };
        out.push(change(subject(k.clone()), kind, k.clone()));
    }
}

fn scenes(old: &Project, new: &Project, out: &mut Vec<Change>) {
    let by_name = |p: &Project| -> BTreeMap<String, super::project::NamedScene> {
        p.scenes
            .iter()
            .map(|s| (s.name.clone(), s.clone()))
            .collect()
    };
    let (a, b) = (by_name(old), by_name(new));
    keyed(&a, &b, Subject::Scene, out);
    let order =
        |p: &Project, other: &BTreeMap<String, super::project::NamedScene>| -> Vec<String> {
            p.scenes
                .iter()
                .filter(|s| other.contains_key(&s.name))
                .map(|s| s.name.clone())
                .collect()
        };
    let (oa, ob) = (order(old, &b), order(new, &a));
    if oa != ob {
        let mut c = change(
            Subject::Setting("scene order".into()),
            ChangeKind::Changed,
            "scene order".into(),
        );
        c.attributes.push(AttributeChange {
            field: "order".into(),
            before: oa.join(", "),
            after: ob.join(", "),
        });
        out.push(c);
    }
}

fn settings(old: &Project, new: &Project, out: &mut Vec<Change>) {
    // `created` and `modified` are the file's bookkeeping, not its content: saving an
    // unchanged project again is no change.
    let fields: [(&str, String, String); 11] = [
        (
            "title",
            format!("{} / {}", old.meta.title_zh, old.meta.title_en),
            format!("{} / {}", new.meta.title_zh, new.meta.title_en),
        ),
        ("author", old.meta.author.clone(), new.meta.author.clone()),
        (
            "approval number",
            old.meta.approval_number.clone(),
            new.meta.approval_number.clone(),
        ),
        ("edition", old.edition.clone(), new.edition.clone()),
        ("map view", text(&old.view), text(&new.view)),
        (
            "tiers",
            text(&old.settings.tiers),
            text(&new.settings.tiers),
        ),
        (
            "label language",
            text(&old.settings.language),
            text(&new.settings.language),
        ),
        (
            "hide indicative",
            text(&old.settings.hide_indicative),
            text(&new.settings.hide_indicative),
        ),
        (
            "legend",
            old.settings.legend.describe(),
            new.settings.legend.describe(),
        ),
        (
            "basemap",
            old.settings.basemap.describe(),
            new.settings.basemap.describe(),
        ),
        ("notes", text(&old.notes), text(&new.notes)),
    ];
    for (name, before, after) in fields {
        if before != after {
            let mut c = change(
                Subject::Setting(name.into()),
                ChangeKind::Changed,
                name.into(),
            );
            c.attributes.push(AttributeChange {
                field: name.into(),
                before,
                after,
            });
            out.push(c);
        }
    }
}

/// Sketch changes, classified like placement changes: what the sketch does to the plan feature.
fn sketches(old: &Project, new: &Project, out: &mut Vec<Change>) {
    use super::overrides::PlanOverride as O;
    let ids: BTreeSet<&String> = old
        .plan_overrides
        .keys()
        .chain(new.plan_overrides.keys())
        .collect();
    for id in ids {
        let (a, b) = (old.plan_overrides.get(id), new.plan_overrides.get(id));
        if a == b {
            continue;
        }
        let kind = match b {
            None => ChangeKind::Changed,
            Some(O::Added { .. }) => ChangeKind::Added,
            Some(O::Removed { .. }) => ChangeKind::Removed,
            Some(O::Modified {
                geometry,
                name_zh,
                name_en,
                ..
            }) => match (geometry.is_some(), name_zh.is_some() || name_en.is_some()) {
                (true, true) => ChangeKind::GeometryAndAttributesChanged,
                (true, false) => ChangeKind::GeometryChanged,
                _ => ChangeKind::AttributesChanged,
            },
        };
        let mut c = change(Subject::PlanFeature(id.clone()), kind, id.clone());
        c.attributes.push(AttributeChange {
            field: "sketch".into(),
            before: a.map_or("baseline".into(), |o| o.kind_str().to_owned()),
            after: b.map_or("baseline (reverted)".into(), |o| o.kind_str().to_owned()),
        });
        out.push(c);
    }
}
