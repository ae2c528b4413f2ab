//! Merging project versions: accepting or rejecting each change of a comparison (two-way), and
//! the three-way merge of two versions that both changed a common ancestor, field by field
//! (`record`, `fields`), with its conflicts in words (`words`).

mod access;
mod fields;
mod record;
pub mod words;

use std::collections::BTreeSet;

use crate::model::diff::{Subject, diff};
use crate::model::project::{PlacementId, Project};
use crate::model::{Plan, Region};
use access::{
    acknowledgement_access, group_access, layer_access, placement_access, plan_feature_access,
    scene_access, sketch_layer_access,
};
use record::FieldConflict;

pub use record::EXISTENCE;

/// `old` with the accepted changes of `new` applied. Accepting every change gives `new`;
/// accepting none gives `old`.
pub fn apply_changes(old: &Project, new: &Project, accepted: &BTreeSet<Subject>) -> Project {
    let mut out = old.clone();
    for subject in accepted {
        take(&mut out, new, subject);
    }
    let all: BTreeSet<Subject> = subjects(old, new);
    if !all.is_empty() && all.is_subset(accepted) {
        // Everything came from `new`: so does the file's bookkeeping.
        out.meta.created = new.meta.created.clone();
        out.meta.modified = new.meta.modified.clone();
    }
    out
}

/// The subjects that differ between two versions.
pub fn subjects(a: &Project, b: &Project) -> BTreeSet<Subject> {
    let plan = Plan::new(Region::SHANGHAI_METROPOLITAN_AREA);
    diff(a, b, &plan, None)
        .into_iter()
        .map(|c| c.subject)
        .collect()
}

/// Makes `subject` in `out` what it is in `from`.
pub fn take(out: &mut Project, from: &Project, subject: &Subject) {
    fn copy<K: Ord + Clone, V: Clone>(
        to: &mut std::collections::BTreeMap<K, V>,
        from: &std::collections::BTreeMap<K, V>,
        key: &K,
    ) {
        match from.get(key) {
            Some(v) => {
                to.insert(key.clone(), v.clone());
            }
            None => {
                to.remove(key);
            }
        }
    }
    match subject {
        Subject::Placement(id) => {
            let id = PlacementId(id.clone());
            copy(&mut out.placements, &from.placements, &id);
        }
        Subject::Layer(id) => {
            copy(&mut out.settings.layers, &from.settings.layers, id);
            copy(&mut out.layer_order, &from.layer_order, id);
            copy(&mut out.style_overrides, &from.style_overrides, id);
        }
        Subject::Group(id) => copy(&mut out.settings.groups, &from.settings.groups, id),
        Subject::SketchLayer(id) => copy(&mut out.sketch_layers, &from.sketch_layers, id),
        Subject::Acknowledgement(id) => copy(&mut out.acknowledgements, &from.acknowledgements, id),
        Subject::PlanFeature(id) => copy(&mut out.plan_overrides, &from.plan_overrides, id),
        Subject::Scene(name) => take_scene(out, from, name),
        Subject::Setting(name) => {
            if let Some(setting) = setting(name) {
                (setting.take)(out, from);
            }
        }
    }
}

/// A project-wide setting, under the name `model::diff` gives it: how a merge compares, copies
/// and shows it. [`SETTINGS`] is the one place a merge names them.
pub struct Setting {
    pub name: &'static str,
    same: fn(&Project, &Project) -> bool,
    take: fn(&mut Project, &Project),
    show: fn(&Project) -> String,
}

/// A setting that is one field of the project, compared by value and shown in words.
macro_rules! field {
    ($name:literal, $show:expr, $($field:ident).+) => {
        Setting {
            name: $name,
            same: |a, b| a.$($field).+ == b.$($field).+,
            take: |out, from| out.$($field).+ = from.$($field).+.clone(),
            show: |p| $show(&p.$($field).+),
        }
    };
}

pub const SETTINGS: [Setting; 12] = [
    Setting {
        name: "title",
        same: |a, b| a.meta.title_zh == b.meta.title_zh && a.meta.title_en == b.meta.title_en,
        take: |out, from| {
            out.meta.title_zh = from.meta.title_zh.clone();
            out.meta.title_en = from.meta.title_en.clone();
        },
        show: |p| {
            format!(
                "{} / {}",
                words::text(&p.meta.title_zh),
                words::text(&p.meta.title_en)
            )
        },
    },
    field!("author", words::text, meta.author),
    field!("approval number", words::text, meta.approval_number),
    field!("edition", words::text, edition),
    field!("map view", words::view, view),
    field!("tiers", |t: &[bool; 5]| words::tiers(t), settings.tiers),
    field!(
        "label language",
        |l: &crate::model::LabelLanguage| l.title().to_owned(),
        settings.language
    ),
    field!(
        "hide indicative",
        |b: &bool| words::yes_no(*b),
        settings.hide_indicative
    ),
    field!(
        "legend",
        |l: &crate::model::view::LegendPlacement| l.describe(),
        settings.legend
    ),
    field!(
        "basemap",
        |b: &crate::model::tile_basemap::BasemapChoice| b.describe(),
        settings.basemap
    ),
    field!("notes", |n: &Vec<_>| words::notes(n), notes),
    Setting {
        name: "scene order",
        same: |a, b| scene_names(a) == scene_names(b),
        take: take_scene_order,
        show: |p| scene_names(p).join(", "),
    },
];

fn setting(name: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.name == name)
}

fn scene_names(p: &Project) -> Vec<&str> {
    p.scenes.iter().map(|s| s.name.as_str()).collect()
}

/// The scenes both have, in `from`'s order; the others keep their places.
fn take_scene_order(out: &mut Project, from: &Project) {
    let order = scene_names(from);
    let mut common: Vec<_> = out
        .scenes
        .iter()
        .filter(|s| order.contains(&s.name.as_str()))
        .cloned()
        .collect();
    common.sort_by_key(|s| order.iter().position(|n| *n == s.name));
    let mut next = common.into_iter();
    for s in out.scenes.iter_mut() {
        if order.contains(&s.name.as_str())
            && let Some(n) = next.next()
        {
            *s = n;
        }
    }
}

fn take_scene(out: &mut Project, from: &Project, name: &str) {
    let here = out.scenes.iter().position(|s| s.name == name);
    let Some(at) = from.scenes.iter().position(|s| s.name == name) else {
        if let Some(i) = here {
            out.scenes.remove(i);
        }
        return;
    };
    let scene = from.scenes[at].clone();
    match here {
        Some(i) => out.scenes[i] = scene,
        None => {
            // After the nearest scene before it in `from` that `out` has too.
            let after = from.scenes[..at]
                .iter()
                .rev()
                .find_map(|s| out.scenes.iter().position(|o| o.name == s.name));
            out.scenes.insert(after.map_or(0, |i| i + 1), scene);
        }
    }
}

/// One field of a subject that both versions changed, differently; or a subject deleted on
/// one side and edited on the other (field [`EXISTENCE`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    pub subject: Subject,
    /// The subject's name to show: a placement's or scene's names, a layer's id.
    pub name: String,
    /// "name_zh", "geometry", "horizon", …, a setting's name, or [`EXISTENCE`].
    pub field: String,
    /// The field in each version, in words ([`words`]); a deleted subject is "(deleted)".
    pub base: String,
    pub mine: String,
    pub theirs: String,
}

/// The result of a three-way merge: conflicts keep "mine" in `merged` until resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Merge3 {
    pub merged: Project,
    /// In the order of their subjects, then of the fields in their record (names first).
    pub conflicts: Vec<Conflict>,
    /// The subjects that took (at least part of) theirs' change without a conflict.
    pub from_theirs: BTreeSet<Subject>,
}

impl Merge3 {
    /// The merge with each conflict resolved: the conflicts of the subjects in `theirs_for`
    /// take "theirs" (each conflicting field of them); the others keep "mine".
    pub fn resolved(&self, theirs: &Project, theirs_for: &BTreeSet<Subject>) -> Project {
        let mut out = self.merged.clone();
        for c in &self.conflicts {
            if theirs_for.contains(&c.subject) {
                take_field(&mut out, theirs, &c.subject, &c.field);
            }
        }
        out
    }
}

/// Merges `mine` and `theirs`, both descended from `base`, field by field: a subject changed
/// on one side only takes that side; changed alike on both, either; changed differently, each
/// of its fields is merged the same way (a placement's names, geometry, status, …), and only
/// a field changed differently on both sides is a conflict, as is a subject deleted on one
/// side and edited on the other.
pub fn merge3(base: &Project, mine: &Project, theirs: &Project) -> Merge3 {
    let ours = subjects(base, mine);
    let their = subjects(base, theirs);
    let mut out = Merge3 {
        merged: mine.clone(),
        conflicts: Vec::new(),
        from_theirs: BTreeSet::new(),
    };
    for subject in ours.union(&their) {
        if same(mine, theirs, subject) || same(theirs, base, subject) {
            continue;
        }
        if same(mine, base, subject) {
            take(&mut out.merged, theirs, subject);
            out.from_theirs.insert(subject.clone());
            continue;
        }
        let (took_theirs, conflicts) = both_changed(&mut out.merged, [base, mine, theirs], subject);
        if took_theirs {
            out.from_theirs.insert(subject.clone());
        }
        let name = name(&out.merged, subject)
            .or_else(|| name(theirs, subject))
            .or_else(|| name(base, subject))
            .unwrap_or_default();
        out.conflicts
            .extend(conflicts.into_iter().map(|c| Conflict {
                subject: subject.clone(),
                name: name.clone(),
                field: c.field,
                base: c.base,
                mine: c.mine,
                theirs: c.theirs,
            }));
    }
    out
}

/// Merges a subject that both sides changed, differently, into `out` (mine): whether any part
/// came from theirs, and the fields in conflict.
fn both_changed(
    out: &mut Project,
    versions: [&Project; 3],
    subject: &Subject,
) -> (bool, Vec<FieldConflict>) {
    let [base, mine, theirs] = versions;
    match subject {
        Subject::Placement(id) => placement_access(id).merge(out, versions),
        Subject::Scene(name) => scene_access(name).merge(out, versions),
        Subject::Layer(id) => layer_access(id).merge(out, versions),
        Subject::Group(id) => group_access(id).merge(out, versions),
        Subject::SketchLayer(id) => sketch_layer_access(id).merge(out, versions),
        Subject::Acknowledgement(id) => acknowledgement_access(id).merge(out, versions),
        Subject::PlanFeature(id) => plan_feature_access(id).merge(out, versions),
        Subject::Setting(name) => {
            let show = |p: &Project| setting(name).map_or_else(String::new, |s| (s.show)(p));
            let conflict = FieldConflict {
                field: name.clone(),
                base: show(base),
                mine: show(mine),
                theirs: show(theirs),
            };
            (false, vec![conflict])
        }
    }
}

/// Makes one field of `subject` in `out` what it is in `from` (the whole subject for a
/// setting or a conflict over its existence).
pub fn take_field(out: &mut Project, from: &Project, subject: &Subject, field: &str) {
    let taken = field != EXISTENCE
        && match subject {
            Subject::Placement(id) => placement_access(id).take_field(out, from, field),
            Subject::Scene(name) => scene_access(name).take_field(out, from, field),
            Subject::Layer(id) => layer_access(id).take_field(out, from, field),
            Subject::Group(id) => group_access(id).take_field(out, from, field),
            Subject::SketchLayer(id) => sketch_layer_access(id).take_field(out, from, field),
            Subject::Acknowledgement(id) => acknowledgement_access(id).take_field(out, from, field),
            Subject::PlanFeature(id) => plan_feature_access(id).take_field(out, from, field),
            Subject::Setting(_) => false,
        };
    if !taken {
        take(out, from, subject);
    }
}

/// The name a subject shows: a placement's names, a scene's titles, else none.
fn name(p: &Project, subject: &Subject) -> Option<String> {
    match subject {
        Subject::Placement(id) => p
            .placements
            .get(&PlacementId(id.clone()))
            .map(|x| format!("{} / {}", x.name_zh, x.name_en)),
        Subject::Scene(name) => p
            .scenes
            .iter()
            .find(|s| s.name == *name)
            .map(|s| format!("{} / {}", s.title_zh, s.title_en)),
        Subject::SketchLayer(id) => p.sketch_layers.get(id).map(|s| s.name.clone()),
        _ => None,
    }
}

/// Whether a subject is the same in two projects, compared by value.
pub fn same(a: &Project, b: &Project, subject: &Subject) -> bool {
    match subject {
        Subject::Placement(id) => {
            let id = PlacementId(id.clone());
            a.placements.get(&id) == b.placements.get(&id)
        }
        Subject::Layer(id) => {
            let layer = layer_access(id);
            (layer.get)(a) == (layer.get)(b)
        }
        Subject::Group(id) => a.settings.groups.get(id) == b.settings.groups.get(id),
        Subject::Scene(name) => {
            let scene = |p: &Project| p.scenes.iter().find(|s| s.name == *name).cloned();
            scene(a) == scene(b)
        }
        Subject::SketchLayer(id) => a.sketch_layers.get(id) == b.sketch_layers.get(id),
        Subject::Acknowledgement(id) => a.acknowledgements.get(id) == b.acknowledgements.get(id),
        Subject::PlanFeature(id) => a.plan_overrides.get(id) == b.plan_overrides.get(id),
        // A setting this merge does not know (from a newer diff) is left as it is.
        Subject::Setting(name) => setting(name).is_none_or(|s| (s.same)(a, b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::project::MapView;
    use crate::model::view::ViewSettings;

    fn project() -> Project {
        let settings = ViewSettings {
            groups: Default::default(),
            layers: Default::default(),
            tiers: Default::default(),
            language: Default::default(),
            hide_indicative: false,
            legend: Default::default(),
            basemap: Default::default(),
        };
        let mut p = Project::new("sma-2022", settings, "2026-01-01T00:00:00Z");
        p.scenes = ["a", "b", "c"]
            .iter()
            .map(|n| serde_json::from_value(serde_json::json!({ "name": n })).unwrap())
            .collect();
        p
    }

    /// Every setting changed, and a scene order that differs.
    fn every_setting_changed() -> Project {
        let mut p = project();
        p.meta.title_zh = "另一个".into();
        p.meta.author = "someone else".into();
        p.edition = "other".into();
        p.view = Some(MapView {
            center: (121.0, 31.0),
            zoom: 9.0,
        });
        p.settings.tiers[0] = !p.settings.tiers[0];
        p.settings.language = crate::model::LabelLanguage::English;
        p.notes = serde_json::from_value(serde_json::json!([{"at": [121.0, 31.0], "comment": {
            "author": "a", "time": "t", "text": "x"}}]))
        .unwrap_or_default();
        p.scenes.reverse();
        p
    }

    #[test]
    fn every_setting_the_diff_names_is_in_the_one_table_and_merges_by_value() {
        let (base, other) = (project(), every_setting_changed());
        let settings: Vec<String> = subjects(&base, &other)
            .into_iter()
            .filter_map(|s| match s {
                Subject::Setting(name) => Some(name),
                _ => None,
            })
            .collect();
        assert!(settings.len() >= 7, "{settings:?}");
        for name in &settings {
            let subject = Subject::Setting(name.clone());
            assert!(setting(name).is_some(), "`{name}` is in SETTINGS");
            assert!(!same(&base, &other, &subject), "{name}");
            let mut out = base.clone();
            take(&mut out, &other, &subject);
            assert!(same(&out, &other, &subject), "{name} taken");
            assert!(!subjects(&out, &other).contains(&subject), "{name}");
        }
    }

    #[test]
    fn a_change_on_one_side_is_taken_and_both_sides_differently_is_a_conflict() {
        let base = project();
        let mut mine = base.clone();
        mine.meta.author = "mine".into();
        let mut theirs = base.clone();
        theirs.edition = "theirs".into();
        theirs.meta.author = "theirs".into();
        let result = merge3(&base, &mine, &theirs);
        assert_eq!(result.merged.edition, "theirs");
        assert_eq!(
            result.merged.meta.author, "mine",
            "mine kept in the conflict"
        );
        assert_eq!(result.conflicts.len(), 1);
        assert_eq!(
            result.conflicts[0].subject,
            Subject::Setting("author".into())
        );
        assert_eq!(
            (
                result.conflicts[0].mine.as_str(),
                result.conflicts[0].theirs.as_str()
            ),
            ("mine", "theirs")
        );
    }
}
