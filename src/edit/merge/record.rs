//! The field-by-field merge of one record (a placement, a scene, a layer's settings, a sketch)
//! that both sides changed: a field changed on one side only takes that side, the same change
//! on both is taken once, and only a field changed differently on both sides is a conflict.

use super::words;

/// One field of a record `T`: how a merge compares, copies and shows it.
pub struct Field<T> {
    pub name: &'static str,
    pub same: fn(&T, &T) -> bool,
    pub take: fn(&mut T, &T),
    pub show: fn(&T) -> String,
    /// A merge for a field that both sides changed, when their changes can be combined
    /// (comments each side added): writes the combination into `out` (mine) from base and
    /// theirs, or returns false to leave it a conflict.
    pub combine: Option<fn(out: &mut T, base: &T, theirs: &T) -> bool>,
}

/// A kind of record: its fields and how to sum one up.
pub struct Record<T: 'static> {
    pub fields: &'static [Field<T>],
    /// The whole record in a few words, for a conflict over its existence.
    pub summary: fn(&T) -> String,
    /// Whether two versions can be merged field by field (sketches: only the same kind of
    /// override, on the same layer); if not, the two versions conflict as a whole.
    pub comparable: fn(&T, &T) -> bool,
}

/// The field named for a conflict over a whole record: deleted on one side and edited on the
/// other, or changed into different kinds (a sketch's added / modified / removed).
pub const EXISTENCE: &str = "existence";

/// One field in conflict: its name and its value in words on each side.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldConflict {
    pub field: String,
    pub base: String,
    pub mine: String,
    pub theirs: String,
}

/// What a merge of a record that both sides changed (differently) gives.
pub struct Outcome<T> {
    /// The merged record; `None` keeps mine as it is (the record is in conflict as a whole).
    pub merged: Option<T>,
    /// Whether any field came from theirs.
    pub took_theirs: bool,
    pub conflicts: Vec<FieldConflict>,
}

impl<T: Clone + PartialEq + 'static> Record<T> {
    /// Merges a record that both sides changed, differently (`mine != theirs`, neither equal
    /// to base): `None` is a record that is absent on that side.
    pub fn merge(&self, base: Option<&T>, mine: Option<&T>, theirs: Option<&T>) -> Outcome<T> {
        let whole = |field: &str| Outcome {
            merged: None,
            took_theirs: false,
            conflicts: vec![self.whole_conflict(field, base, mine, theirs)],
        };
        let (Some(m), Some(t)) = (mine, theirs) else {
            return whole(EXISTENCE);
        };
        let comparable = (self.comparable)(m, t) && base.is_none_or(|b| (self.comparable)(b, m));
        if !comparable {
            return whole(EXISTENCE);
        }
        let mut out = m.clone();
        let mut took_theirs = false;
        let mut conflicts = Vec::new();
        for f in self.fields {
            if (f.same)(m, t) || base.is_some_and(|b| (f.same)(t, b)) {
                continue;
            }
            match base {
                Some(b) if (f.same)(m, b) => {
                    (f.take)(&mut out, t);
                    took_theirs = true;
                }
                Some(b) if f.combine.is_some_and(|combine| combine(&mut out, b, t)) => {
                    took_theirs = true;
                }
                _ => conflicts.push(FieldConflict {
                    field: f.name.into(),
                    base: base.map_or_else(|| words::ABSENT.into(), |b| (f.show)(b)),
                    mine: (f.show)(m),
                    theirs: (f.show)(t),
                }),
            }
        }
        Outcome {
            merged: Some(out),
            took_theirs,
            conflicts,
        }
    }

    fn whole_conflict(
        &self,
        field: &str,
        base: Option<&T>,
        mine: Option<&T>,
        theirs: Option<&T>,
    ) -> FieldConflict {
        let side = |v: Option<&T>| match (v, base) {
            (None, _) => words::DELETED.to_owned(),
            (Some(v), Some(b)) if (self.comparable)(v, b) => format!(
                "edited ({}): {}",
                self.differing(v, b).join(", "),
                (self.summary)(v)
            ),
            (Some(v), _) => (self.summary)(v),
        };
        FieldConflict {
            field: field.into(),
            base: base.map_or_else(|| words::ABSENT.into(), |b| (self.summary)(b)),
            mine: side(mine),
            theirs: side(theirs),
        }
    }

    pub fn field(&self, name: &str) -> Option<&'static Field<T>> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The names of the fields in which two versions differ.
    pub fn differing(&self, a: &T, b: &T) -> Vec<&'static str> {
        self.fields
            .iter()
            .filter(|f| !(f.same)(a, b))
            .map(|f| f.name)
            .collect()
    }
}

/// A field that is one member of the record, compared by value and shown by a function of
/// `words`.
macro_rules! member {
    ($name:literal, $member:ident, $show:expr) => {
        Field {
            name: $name,
            same: |a, b| a.$member == b.$member,
            take: |out, from| out.$member = from.$member.clone(),
            show: |r| $show(&r.$member),
            combine: None,
        }
    };
}
pub(super) use member;

/// For lists that both sides only added to (comment threads): base's items, then mine's new
/// ones, then theirs' new ones that mine does not have too. `None` when a side removed or
/// changed one of base's items.
pub fn appended<I: Clone + PartialEq>(base: &[I], mine: &[I], theirs: &[I]) -> Option<Vec<I>> {
    if !mine.starts_with(base) || !theirs.starts_with(base) {
        return None;
    }
    let mut out = mine.to_vec();
    for item in &theirs[base.len()..] {
        if !mine[base.len()..].contains(item) {
            out.push(item.clone());
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appended_lists_keep_both_sides_additions_once() {
        assert_eq!(
            appended(&[1], &[1, 2, 3], &[1, 3, 4]),
            Some(vec![1, 2, 3, 4])
        );
        assert_eq!(appended(&[1, 2], &[1], &[1, 2, 3]), None, "mine removed 2");
        assert_eq!(
            appended(&[1, 2], &[1, 2], &[9, 2]),
            None,
            "theirs changed 1"
        );
    }
}
