//! Merging project versions: accepting or rejecting each change of a comparison (two-way), and
//! the three-way merge of two versions that both changed a common ancestor.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::model::diff::{Subject, diff};
use crate::model::project::Project;
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
            let id = crate::model::project::PlacementId(id.clone());
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
        Subject::Setting(name) => match name.as_str() {
            "title" => {
                out.meta.title_zh = from.meta.title_zh.clone();
                out.meta.title_en = from.meta.title_en.clone();
            }
            "author" => out.meta.author = from.meta.author.clone(),
            "edition" => out.edition = from.edition.clone(),
            "map view" => out.view = from.view,
            "tiers" => out.settings.tiers = from.settings.tiers,
            "label language" => out.settings.language = from.settings.language,
            "notes" => out.notes = from.notes.clone(),
            "scene order" => {
                // The scenes both have, in `from`'s order; the others keep their places.
                let order: Vec<&str> = from.scenes.iter().map(|s| s.name.as_str()).collect();
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
            _ => {}
        },
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
        let (s_base, s_mine, s_theirs) = (
            state(base, subject),
            state(mine, subject),
            state(theirs, subject),
        );
        if s_mine == s_theirs || s_theirs == s_base {
            continue;
        }
        if s_mine == s_base {
            take(&mut merged, theirs, subject);
        } else {
            conflicts.push(Conflict {
                subject: subject.clone(),
                base: s_base,
                mine: s_mine,
                theirs: s_theirs,
            });
        }
    }
    Merge3 { merged, conflicts }
}

/// A subject's state in a project, as comparable text.
pub fn state(p: &Project, subject: &Subject) -> String {
    let shown = |v: Option<String>| v.unwrap_or_else(|| "—".into());
    match subject {
        Subject::Placement(id) => shown(
            p.placements
                .get(&crate::model::project::PlacementId(id.clone()))
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
        Subject::Setting(name) => match name.as_str() {
            "title" => format!("{} / {}", p.meta.title_zh, p.meta.title_en),
            "author" => p.meta.author.clone(),
            "edition" => p.edition.clone(),
            "map view" => format!("{:?}", p.view),
            "tiers" => format!("{:?}", p.settings.tiers),
            "label language" => format!("{:?}", p.settings.language),
            "notes" => format!("{:?}", p.notes),
            "scene order" => p
                .scenes
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            other => other.to_owned(),
        },
    }
}
