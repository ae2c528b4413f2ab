//! Where each kind of record lives in a project, for the field-by-field merge: a placement in
//! its map, a scene in the list, a layer's settings across three maps.

use std::collections::BTreeMap;

use super::fields::{self, LayerState};
use super::record::{FieldConflict, Record};
use crate::model::overrides::PlanOverride;
use crate::model::project::{
    Acknowledgement, NamedScene, Placement, PlacementId, Project, SketchLayer,
};
use crate::model::view::LayerSettings;

/// Reads a subject's record from a project (`None`: absent).
type Get<T> = Box<dyn Fn(&Project) -> Option<T>>;
/// Writes a subject's merged record into a project.
type Put<T> = Box<dyn Fn(&mut Project, T)>;

/// The record of a subject in a project, for the field-by-field merge: `get` reads it
/// (`None`: absent), `put` writes a merged one.
pub(super) struct Access<T: 'static> {
    record: &'static Record<T>,
    pub(super) get: Get<T>,
    put: Put<T>,
}

impl<T: Clone + PartialEq + 'static> Access<T> {
    pub(super) fn merge(
        &self,
        out: &mut Project,
        [base, mine, theirs]: [&Project; 3],
    ) -> (bool, Vec<FieldConflict>) {
        let (b, m, t) = ((self.get)(base), (self.get)(mine), (self.get)(theirs));
        let outcome = self.record.merge(b.as_ref(), m.as_ref(), t.as_ref());
        if let Some(merged) = outcome.merged {
            (self.put)(out, merged);
        }
        (outcome.took_theirs, outcome.conflicts)
    }

    /// Writes one field of `from`'s record into `out`'s; false (nothing written) when either
    /// lacks the record or the field is not one of the record's.
    pub(super) fn take_field(&self, out: &mut Project, from: &Project, field: &str) -> bool {
        let (Some(mut o), Some(f), Some(field)) =
            ((self.get)(out), (self.get)(from), self.record.field(field))
        else {
            return false;
        };
        (field.take)(&mut o, &f);
        (self.put)(out, o);
        true
    }
}

/// A record kept in a `BTreeMap` of the project under `key`.
fn keyed<K, T>(
    record: &'static Record<T>,
    key: K,
    map: fn(&Project) -> &BTreeMap<K, T>,
    map_mut: fn(&mut Project) -> &mut BTreeMap<K, T>,
) -> Access<T>
where
    K: Ord + Clone + 'static,
    T: Clone + 'static,
{
    let k = key.clone();
    Access {
        record,
        get: Box::new(move |p| map(p).get(&k).cloned()),
        put: Box::new(move |p, v| {
            map_mut(p).insert(key.clone(), v);
        }),
    }
}

pub(super) fn placement_access(id: &str) -> Access<Placement> {
    keyed(
        &fields::PLACEMENT,
        PlacementId(id.to_owned()),
        |p| &p.placements,
        |p| &mut p.placements,
    )
}

pub(super) fn group_access(id: &str) -> Access<LayerSettings> {
    keyed(
        &fields::GROUP,
        id.to_owned(),
        |p| &p.settings.groups,
        |p| &mut p.settings.groups,
    )
}

pub(super) fn sketch_layer_access(id: &str) -> Access<SketchLayer> {
    keyed(
        &fields::SKETCH_LAYER,
        id.to_owned(),
        |p| &p.sketch_layers,
        |p| &mut p.sketch_layers,
    )
}

pub(super) fn acknowledgement_access(id: &str) -> Access<Acknowledgement> {
    keyed(
        &fields::ACKNOWLEDGEMENT,
        id.to_owned(),
        |p| &p.acknowledgements,
        |p| &mut p.acknowledgements,
    )
}

pub(super) fn plan_feature_access(id: &str) -> Access<PlanOverride> {
    keyed(
        &fields::PLAN_FEATURE,
        id.to_owned(),
        |p| &p.plan_overrides,
        |p| &mut p.plan_overrides,
    )
}

pub(super) fn scene_access(name: &str) -> Access<NamedScene> {
    let (n, key) = (name.to_owned(), name.to_owned());
    Access {
        record: &fields::SCENE,
        get: Box::new(move |p| p.scenes.iter().find(|s| s.name == n).cloned()),
        put: Box::new(
            move |p, scene| match p.scenes.iter_mut().find(|s| s.name == key) {
                Some(s) => *s = scene,
                None => p.scenes.push(scene),
            },
        ),
    }
}

/// A layer's settings are always there (absent: as styled), in three maps.
pub(super) fn layer_access(id: &str) -> Access<LayerState> {
    let (a, b) = (id.to_owned(), id.to_owned());
    Access {
        record: &fields::LAYER,
        get: Box::new(move |p| {
            Some(LayerState {
                view: p.settings.layers.get(&a).copied(),
                order: p.layer_order.get(&a).copied(),
                style: p.style_overrides.get(&a).cloned(),
            })
        }),
        put: Box::new(move |p, layer| {
            fn set<V>(map: &mut BTreeMap<String, V>, key: &str, v: Option<V>) {
                match v {
                    Some(v) => {
                        map.insert(key.to_owned(), v);
                    }
                    None => {
                        map.remove(key);
                    }
                }
            }
            set(&mut p.settings.layers, &b, layer.view);
            set(&mut p.layer_order, &b, layer.order);
            set(&mut p.style_overrides, &b, layer.style);
        }),
    }
}
