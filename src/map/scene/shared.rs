//! What many items have alike, kept once: their group's and layer's names, and their paint.
//! A large data layer's 50,000 items each held two names of their own and a 56-byte paint,
//! all the same (about 5 MB of the 1M-vertex layer's map form).

use std::collections::HashSet;
use std::sync::Arc;

use crate::model::style::Paint;

/// A group's or a layer's id, shared by the items that have it. Reads as a `&str`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Name(Arc<str>);

thread_local! {
    /// The names made on this thread: a few dozen (layer and group ids), kept for the session.
    static NAMES: std::cell::RefCell<HashSet<Arc<str>>> = Default::default();
    /// The last paint shared on this thread: a layer's items come one after another.
    static LAST_PAINT: std::cell::RefCell<Option<Arc<Paint>>> = const { std::cell::RefCell::new(None) };
}

impl Name {
    /// The name `s`, sharing the text with the names made before it on this thread.
    pub fn new(s: &str) -> Self {
        NAMES.with_borrow_mut(|names| {
            if let Some(known) = names.get(s) {
                return Self(known.clone());
            }
            let name: Arc<str> = Arc::from(s);
            names.insert(name.clone());
            Self(name)
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Name {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

/// `paint`, shared with the items before it when it is the same as the last one made on this
/// thread.
pub fn shared_paint(paint: Paint) -> Arc<Paint> {
    LAST_PAINT.with_borrow_mut(|last| match last {
        Some(known) if **known == paint => known.clone(),
        _ => {
            let shared = Arc::new(paint);
            *last = Some(shared.clone());
            shared
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_names_share_their_text_and_read_as_strings() {
        let a = Name::new("sketch:big");
        let b = Name::new(&String::from("sketch:big"));
        assert!(Arc::ptr_eq(&a.0, &b.0));
        let owned = String::from("sketch:big");
        assert!(a == "sketch:big" && a == *"sketch:big" && a == owned);
        assert_eq!(a.strip_prefix("sketch:"), Some("big"));
        assert_ne!(Name::new("corridors"), a);
        assert_eq!(format!("{a}"), "sketch:big");
    }

    #[test]
    fn the_same_paint_in_a_row_is_shared() {
        let red = Paint {
            fill: Some(crate::model::style::Rgba(200, 0, 0, 255)),
            ..Paint::default()
        };
        let first = shared_paint(red.clone());
        let second = shared_paint(red.clone());
        assert!(Arc::ptr_eq(&first, &second));
        let other = shared_paint(Paint::default());
        assert!(!Arc::ptr_eq(&first, &other));
        assert_eq!(*shared_paint(red), *first);
    }
}
