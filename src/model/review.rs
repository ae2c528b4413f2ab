//! Review comments: pinned to a placement or to a map location, with an author, a time, a
//! status and replies. They live in a sidecar file next to the reviewed project, never in it.

use serde::{Deserialize, Serialize};

use super::project::PlacementId;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Anchor {
    Placement(PlacementId),
    /// Lon/lat.
    Location(f64, f64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CommentStatus {
    Open,
    Resolved,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub author: String,
    /// RFC 3339.
    pub time: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewComment {
    /// Stable within the sidecar: `c1`, `c2`, …
    pub id: String,
    pub anchor: Anchor,
    pub author: String,
    pub time: String,
    pub text: String,
    pub status: CommentStatus,
    #[serde(default)]
    pub replies: Vec<Reply>,
}

/// The comments on one project file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// The reviewed file's name, as a check that the sidecar belongs to it.
    pub reviewed: String,
    pub comments: Vec<ReviewComment>,
}

impl Review {
    /// A new comment's id: one more than the highest.
    pub fn next_id(&self) -> String {
        let n = self
            .comments
            .iter()
            .filter_map(|c| c.id.strip_prefix('c')?.parse::<u64>().ok())
            .max()
            .unwrap_or(0);
        format!("c{}", n + 1)
    }

    pub fn open_count(&self) -> usize {
        self.comments
            .iter()
            .filter(|c| c.status == CommentStatus::Open)
            .count()
    }
}
