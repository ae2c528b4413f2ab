//! The fields a three-way merge takes one by one, for each kind of record of a project.
//! Each table lists every member of its record (a test destructures the structs, so that a
//! new member cannot be forgotten here).

use super::record::{Field, Record, appended, member};
use super::words;
use crate::model::overrides::PlanOverride;
use crate::model::project::{
    Acknowledgement, NamedScene, Placement, PlacementGeometry, SketchLayer,
};
use crate::model::style::Paint;
use crate::model::view::LayerSettings;

fn placement_summary(p: &Placement) -> String {
    format!(
        "{} / {}; {}, {}; {}",
        words::text(&p.name_zh),
        words::text(&p.name_en),
        p.status.as_str(),
        p.horizon,
        words::geometry(&p.geometry)
    )
}

fn combine_comments(out: &mut Placement, base: &Placement, theirs: &Placement) -> bool {
    match appended(&base.comments, &out.comments, &theirs.comments) {
        Some(all) => {
            out.comments = all;
            true
        }
        None => false,
    }
}

pub static PLACEMENT: Record<Placement> = Record {
    fields: &[
        member!("name_zh", name_zh, words::text),
        member!("name_en", name_en, words::text),
        member!("action", action, words::text),
        member!("section", section, words::optional),
        member!("lead_city", lead_city, words::optional),
        member!("participants", participants, words::list),
        member!(
            "status",
            status,
            |s: &crate::model::project::PlacementStatus| s.as_str().to_owned()
        ),
        member!("horizon", horizon, |h: &u16| h.to_string()),
        member!("geometry", geometry, words::geometry),
        member!("description", description, words::text),
        member!("source", source, words::text),
        member!("indicative", indicative, |b: &bool| words::yes_no(*b)),
        Field {
            combine: Some(combine_comments),
            ..member!("comments", comments, words::comments)
        },
    ],
    summary: placement_summary,
    comparable: |_, _| true,
};

fn ids(list: &[crate::model::project::PlacementId]) -> String {
    let ids: Vec<String> = list.iter().map(|id| id.0.clone()).collect();
    words::list(&ids)
}

pub static SCENE: Record<NamedScene> = Record {
    fields: &[
        member!("title_zh", title_zh, words::text),
        member!("title_en", title_en, words::text),
        member!("subtitle_zh", subtitle_zh, words::text),
        member!("subtitle_en", subtitle_en, words::text),
        member!("view", view, words::view),
        member!("settings", settings, words::scene_settings),
        member!("highlighted", highlighted, |h: &Vec<_>| ids(h)),
    ],
    summary: |s| {
        format!(
            "{} / {}; {}",
            words::text(&s.title_zh),
            words::text(&s.title_en),
            words::view(&s.view)
        )
    },
    comparable: |_, _| true,
};

/// A layer's settings, kept in three maps of the project under its id.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerState {
    pub view: Option<LayerSettings>,
    pub order: Option<u32>,
    pub style: Option<Paint>,
}

/// One member of a layer's view settings (visibility, opacity) taken from `from`: an absent
/// entry (the style's own) is taken as absent only when mine changed nothing else in it.
fn take_layer_view(
    out: &mut LayerState,
    from: &LayerState,
    set: fn(&mut LayerSettings, &LayerSettings),
) {
    match (&mut out.view, &from.view) {
        (Some(o), Some(f)) => set(o, f),
        (None, Some(f)) => {
            let mut v = LayerSettings::SHOWN;
            set(&mut v, f);
            out.view = Some(v);
        }
        (Some(o), None) => {
            let mut shown = *o;
            set(&mut shown, &LayerSettings::SHOWN);
            if shown == LayerSettings::SHOWN {
                out.view = None;
            } else {
                *o = shown;
            }
        }
        (None, None) => {}
    }
}

pub static LAYER: Record<LayerState> = Record {
    fields: &[
        Field {
            name: "visible",
            same: |a, b| a.view.map(|v| v.visible) == b.view.map(|v| v.visible),
            take: |out, from| take_layer_view(out, from, |o, f| o.visible = f.visible),
            show: |l| words::layer_visible(&l.view),
            combine: None,
        },
        Field {
            name: "opacity",
            same: |a, b| a.view.map(|v| v.opacity) == b.view.map(|v| v.opacity),
            take: |out, from| take_layer_view(out, from, |o, f| o.opacity = f.opacity),
            show: |l| words::layer_opacity(&l.view),
            combine: None,
        },
        member!("draw order", order, words::draw_order),
        member!("style", style, words::paint),
    ],
    summary: |l| {
        format!(
            "{}, opacity {}, draw order {}, style {}",
            words::layer_visible(&l.view),
            words::layer_opacity(&l.view),
            words::draw_order(&l.order),
            words::paint(&l.style)
        )
    },
    comparable: |_, _| true,
};

pub static GROUP: Record<LayerSettings> = Record {
    fields: &[
        member!("visible", visible, |v: &bool| words::shown(*v)),
        member!("opacity", opacity, |o: &f32| words::percent(*o)),
    ],
    summary: |g| {
        format!(
            "{}, opacity {}",
            words::shown(g.visible),
            words::percent(g.opacity)
        )
    },
    comparable: |_, _| true,
};

pub static SKETCH_LAYER: Record<SketchLayer> = Record {
    fields: &[
        member!("name", name, words::text),
        member!("source", source, words::sketch_source),
        member!("visible", visible, |v: &bool| words::shown(*v)),
        member!("opacity", opacity, |o: &f32| words::percent(*o)),
        member!("choices", choices, words::data_choices),
        member!("label field", label_field, words::optional),
    ],
    summary: |s| {
        format!(
            "{}; {}",
            words::text(&s.name),
            words::sketch_source(&s.source)
        )
    },
    comparable: |_, _| true,
};

fn acknowledgement(a: &Acknowledgement) -> String {
    format!(
        "by {} at {}: {}",
        words::text(&a.author),
        a.time,
        words::text(&a.reason)
    )
}

/// An acknowledgement is one person's justification at one time: it is never assembled from
/// two, so it is one field.
pub static ACKNOWLEDGEMENT: Record<Acknowledgement> = Record {
    fields: &[Field {
        name: "acknowledgement",
        same: |a, b| a == b,
        take: |out, from| *out = from.clone(),
        show: acknowledgement,
        combine: None,
    }],
    summary: acknowledgement,
    comparable: |_, _| true,
};

fn sketch_geometry(o: &PlanOverride) -> Option<&PlacementGeometry> {
    match o {
        PlanOverride::Added { geometry, .. } => Some(geometry),
        PlanOverride::Modified { geometry, .. } => geometry.as_ref(),
        PlanOverride::Removed { .. } => None,
    }
}

fn sketch_name(o: &PlanOverride, zh: bool) -> Option<&str> {
    match o {
        PlanOverride::Added {
            name_zh, name_en, ..
        } => Some(if zh { name_zh } else { name_en }),
        PlanOverride::Modified {
            name_zh, name_en, ..
        } => if zh { name_zh } else { name_en }.as_deref(),
        PlanOverride::Removed { .. } => None,
    }
}

fn sketch_kind(o: &PlanOverride) -> Option<&str> {
    match o {
        PlanOverride::Added { kind, .. } => Some(kind),
        _ => None,
    }
}

fn unchanged<T>(v: Option<T>, show: fn(T) -> String) -> String {
    v.map_or_else(|| "(the plan's)".into(), show)
}

/// Writes a sketch's name from `from` into `out`, both the same kind of override.
fn take_sketch_name(out: &mut PlanOverride, from: &PlanOverride, zh: bool) {
    use PlanOverride::{Added, Modified};
    match (out, from) {
        (Added { name_zh, .. }, Added { name_zh: f, .. }) if zh => name_zh.clone_from(f),
        (Added { name_en, .. }, Added { name_en: f, .. }) if !zh => name_en.clone_from(f),
        (Modified { name_zh, .. }, Modified { name_zh: f, .. }) if zh => name_zh.clone_from(f),
        (Modified { name_en, .. }, Modified { name_en: f, .. }) if !zh => name_en.clone_from(f),
        _ => {}
    }
}

fn sketch_summary(o: &PlanOverride) -> String {
    let geometry = unchanged(sketch_geometry(o), words::geometry);
    match o {
        PlanOverride::Removed { layer } => format!("removed from {layer}"),
        PlanOverride::Added { layer, name_zh, .. } => {
            format!("added to {layer}: {}; {geometry}", words::text(name_zh))
        }
        PlanOverride::Modified { layer, .. } => format!("modified in {layer}: {geometry}"),
    }
}

/// A sketch of a plan feature merges field by field while both sides keep the same kind of
/// override on the same layer.
pub static PLAN_FEATURE: Record<PlanOverride> = Record {
    fields: &[
        Field {
            name: "geometry",
            same: |a, b| sketch_geometry(a) == sketch_geometry(b),
            take: |out, from| match (out, from) {
                (PlanOverride::Added { geometry, .. }, PlanOverride::Added { geometry: f, .. }) => {
                    geometry.clone_from(f)
                }
                (
                    PlanOverride::Modified { geometry, .. },
                    PlanOverride::Modified { geometry: f, .. },
                ) => geometry.clone_from(f),
                _ => {}
            },
            show: |o| unchanged(sketch_geometry(o), words::geometry),
            combine: None,
        },
        Field {
            name: "name_zh",
            same: |a, b| sketch_name(a, true) == sketch_name(b, true),
            take: |out, from| take_sketch_name(out, from, true),
            show: |o| unchanged(sketch_name(o, true), words::text),
            combine: None,
        },
        Field {
            name: "name_en",
            same: |a, b| sketch_name(a, false) == sketch_name(b, false),
            take: |out, from| take_sketch_name(out, from, false),
            show: |o| unchanged(sketch_name(o, false), words::text),
            combine: None,
        },
        Field {
            name: "kind",
            same: |a, b| sketch_kind(a) == sketch_kind(b),
            take: |out, from| {
                if let (PlanOverride::Added { kind, .. }, PlanOverride::Added { kind: f, .. }) =
                    (out, from)
                {
                    kind.clone_from(f);
                }
            },
            show: |o| unchanged(sketch_kind(o), words::text),
            combine: None,
        },
    ],
    summary: sketch_summary,
    comparable: |a, b| a.kind_str() == b.kind_str() && a.layer() == b.layer(),
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::project::{Comment, PlacementStatus};

    fn placement() -> Placement {
        Placement {
            name_zh: "甲".into(),
            name_en: "A".into(),
            action: "transport".into(),
            section: None,
            lead_city: None,
            participants: vec![],
            status: PlacementStatus::Planned,
            horizon: 2035,
            geometry: PlacementGeometry::Point((121.0, 31.0)),
            description: String::new(),
            source: String::new(),
            indicative: true,
            comments: vec![],
        }
    }

    /// Every member of a placement, changed: each must make exactly its own field differ.
    #[test]
    fn the_placement_table_covers_every_member_once() {
        // Without `..`: a new member of `Placement` fails to compile here until it is listed.
        let Placement {
            name_zh: _,
            name_en: _,
            action: _,
            section: _,
            lead_city: _,
            participants: _,
            status: _,
            horizon: _,
            geometry: _,
            description: _,
            source: _,
            indicative: _,
            comments: _,
        } = placement();
        let edits: [fn(&mut Placement); 13] = [
            |p| p.name_zh = "乙".into(),
            |p| p.name_en = "B".into(),
            |p| p.action = "ecology".into(),
            |p| p.section = Some("s".into()),
            |p| p.lead_city = Some("c".into()),
            |p| p.participants.push("c".into()),
            |p| p.status = PlacementStatus::Completed,
            |p| p.horizon = 2050,
            |p| p.geometry = PlacementGeometry::Point((121.5, 31.0)),
            |p| p.description = "d".into(),
            |p| p.source = "s".into(),
            |p| p.indicative = false,
            |p| {
                p.comments.push(Comment {
                    author: "a".into(),
                    time: "t".into(),
                    text: "x".into(),
                })
            },
        ];
        assert_eq!(edits.len(), PLACEMENT.fields.len());
        for (edit, field) in edits.iter().zip(PLACEMENT.fields) {
            let mut changed = placement();
            edit(&mut changed);
            assert_eq!(PLACEMENT.differing(&placement(), &changed), [field.name]);
            let mut back = changed.clone();
            (field.take)(&mut back, &placement());
            assert_eq!(back, placement(), "{} taken back", field.name);
        }
    }

    #[test]
    fn the_scene_table_covers_every_member() {
        let NamedScene {
            name: _,
            title_zh: _,
            title_en: _,
            subtitle_zh: _,
            subtitle_en: _,
            view: _,
            settings: _,
            highlighted: _,
        } = serde_json::from_value(serde_json::json!({"name": "n"})).unwrap();
        // `name` is the scene's key, not a field.
        assert_eq!(SCENE.fields.len(), 7);
    }

    fn data_layer() -> SketchLayer {
        SketchLayer {
            name: "道路".into(),
            source: crate::model::project::SketchSource::Referenced("roads.shp".into()),
            visible: true,
            opacity: 1.0,
            choices: Default::default(),
            label_field: None,
        }
    }

    /// Every member of a data layer, changed: each makes its own field differ, and a label
    /// field set on one side merges with an opacity changed on the other.
    #[test]
    fn the_sketch_layer_table_covers_every_member_once() {
        // Without `..`: a new member of `SketchLayer` fails to compile here until it is listed.
        let SketchLayer {
            name: _,
            source: _,
            visible: _,
            opacity: _,
            choices: _,
            label_field: _,
        } = data_layer();
        let edits: [fn(&mut SketchLayer); 6] = [
            |l| l.name = "路".into(),
            |l| l.source = crate::model::project::SketchSource::Referenced("b.shp".into()),
            |l| l.visible = false,
            |l| l.opacity = 0.5,
            |l| l.choices.encoding = Some("GBK".into()),
            |l| l.label_field = Some("名称".into()),
        ];
        assert_eq!(edits.len(), SKETCH_LAYER.fields.len());
        for (edit, field) in edits.iter().zip(SKETCH_LAYER.fields) {
            let mut changed = data_layer();
            edit(&mut changed);
            assert_eq!(
                SKETCH_LAYER.differing(&data_layer(), &changed),
                [field.name]
            );
        }
        let mut mine = data_layer();
        mine.label_field = Some("名称".into());
        let mut theirs = data_layer();
        theirs.opacity = 0.4;
        let out = SKETCH_LAYER.merge(Some(&data_layer()), Some(&mine), Some(&theirs));
        assert!(out.conflicts.is_empty());
        let merged = out.merged.unwrap();
        assert_eq!(merged.label_field.as_deref(), Some("名称"));
        assert_eq!(merged.opacity, 0.4);
    }

    #[test]
    fn sketches_of_different_kinds_conflict_as_a_whole() {
        let added = PlanOverride::Added {
            layer: "corridors".into(),
            name_zh: "新".into(),
            name_en: "new".into(),
            kind: "primary".into(),
            geometry: PlacementGeometry::LineString(vec![(121.0, 31.0), (121.1, 31.0)]),
        };
        let removed = PlanOverride::Removed {
            layer: "corridors".into(),
        };
        let renamed = PlanOverride::Added {
            layer: "corridors".into(),
            name_zh: "改".into(),
            name_en: "new".into(),
            kind: "primary".into(),
            geometry: PlacementGeometry::LineString(vec![(121.0, 31.0), (121.1, 31.0)]),
        };
        let out = PLAN_FEATURE.merge(Some(&added), Some(&renamed), Some(&removed));
        assert_eq!(out.merged, None);
        assert_eq!(out.conflicts.len(), 1);
        assert_eq!(out.conflicts[0].field, super::super::record::EXISTENCE);
        assert_eq!(out.conflicts[0].theirs, "removed from corridors");
    }
}
