//! Merging project versions: accepting or rejecting each change of a comparison (two-way), and
//! the three-way merge of two versions that both changed a common ancestor.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::model::diff::{Subject, diff};
use crate::model::project::{PlacementId, Project};
use crate::model::{Plan, Region};

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

/// A setting that is one field of the project, compared by value and shown as written.
macro_rules! field {
    ($name:literal, $($field:ident).+) => {
        Setting {
            name: $name,
            same: |a, b| a.$($field).+ == b.$($field).+,
            take: |out, from| out.$($field).+ = from.$($field).+.clone(),
            show: |p| format!("{:?}", p.$($field).+),
        }
    };
}

pub const SETTINGS: [Setting; 9] = [
    Setting {
        name: "title",
        same: |a, b| a.meta.title_zh == b.meta.title_zh && a.meta.title_en == b.meta.title_en,
        take: |out, from| {
            out.meta.title_zh = from.meta.title_zh.clone();
            out.meta.title_en = from.meta.title_en.clone();
        },
        show: |p| format!("{} / {}", p.meta.title_zh, p.meta.title_en),
    },
    field!("author", meta.author),
    field!("edition", edition),
    field!("map view", view),
    field!("tiers", settings.tiers),
    field!("label language", settings.language),
    field!("hide indicative", settings.hide_indicative),
    field!("notes", notes),
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

/// A subject both versions changed, differently.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Conflict {
    pub subject: Subject,
    /// The subject's state in each version, as text (absent: `—`).
    pub base: String,
    pub mine: String,
    pub theirs: String,
}

impl Merge3 {
    /// The merge with each conflict resolved: `theirs_for` lists the conflicts that take
    /// "theirs"; the others keep "mine".
    pub fn resolved(&self, theirs: &Project, theirs_for: &BTreeSet<Subject>) -> Project {
        let mut out = self.merged.clone();
        for c in &self.conflicts {
            if theirs_for.contains(&c.subject) {
                take(&mut out, theirs, &c.subject);
            }
        }
        out
    }
}

/// The result of a three-way merge: conflicts keep "mine" in `merged` until resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Merge3 {
    pub merged: Project,
    pub conflicts: Vec<Conflict>,
}

/// Merges `mine` and `theirs`, both descended from `base`: a subject changed on one side only
/// takes that side; changed alike on both, either; changed differently, it is a conflict.
pub fn merge3(base: &Project, mine: &Project, theirs: &Project) -> Merge3 {
    let ours = subjects(base, mine);
    let their = subjects(base, theirs);
    let mut merged = mine.clone();
    let mut conflicts = Vec::new();
    for subject in ours.union(&their) {
        if same(mine, theirs, subject) || same(theirs, base, subject) {
            continue;
        }
        if same(mine, base, subject) {
            take(&mut merged, theirs, subject);
        } else {
            conflicts.push(Conflict {
                subject: subject.clone(),
                base: state(base, subject),
                mine: state(mine, subject),
                theirs: state(theirs, subject),
            });
        }
    }
    Merge3 { merged, conflicts }
}

/// Whether a subject is the same in two projects, compared by value.
pub fn same(a: &Project, b: &Project, subject: &Subject) -> bool {
    match subject {
        Subject::Placement(id) => {
            let id = PlacementId(id.clone());
            a.placements.get(&id) == b.placements.get(&id)
        }
        Subject::Layer(id) => {
            let layer = |p: &Project| {
                (
                    p.settings.layers.get(id).cloned(),
                    p.layer_order.get(id).copied(),
                    p.style_overrides.get(id).cloned(),
                )
            };
            layer(a) == layer(b)
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

/// A subject's state in a project, as text to show (merges compare with [`same`]).
pub fn state(p: &Project, subject: &Subject) -> String {
    let shown = |v: Option<String>| v.unwrap_or_else(|| "—".into());
    match subject {
        Subject::Placement(id) => shown(
            p.placements
                .get(&PlacementId(id.clone()))
                .map(|x| format!("{x:?}")),
        ),
        Subject::Layer(id) => format!(
            "{:?} {:?} {:?}",
            p.settings.layers.get(id),
            p.layer_order.get(id),
            p.style_overrides.get(id)
        ),
        Subject::Group(id) => shown(p.settings.groups.get(id).map(|x| format!("{x:?}"))),
        Subject::Scene(name) => shown(
            p.scenes
                .iter()
                .find(|s| s.name == *name)
                .map(|x| format!("{x:?}")),
        ),
        Subject::SketchLayer(id) => shown(p.sketch_layers.get(id).map(|x| format!("{x:?}"))),
        Subject::Acknowledgement(id) => shown(p.acknowledgements.get(id).map(|x| format!("{x:?}"))),
        Subject::PlanFeature(id) => shown(p.plan_overrides.get(id).map(|x| format!("{x:?}"))),
        Subject::Setting(name) => setting(name).map_or_else(|| name.clone(), |s| (s.show)(p)),
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
            ("\"mine\"", "\"theirs\"")
        );
    }
}
