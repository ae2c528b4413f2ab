//! The map tools: which one is in use, and the handles of the vertex tool.

use crate::model::UiLanguage;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tool {
    #[default]
    Select,
    Point,
    Line,
    Polygon,
    /// Drag a placement to move it: a deliberate mode, so a pan never moves anything by accident.
    Move,
    /// Edit the vertices of the selected placement.
    Vertices,
    /// Pin a review comment to a placement or a map location.
    Comment,
    /// Measure a distance along clicked points, and the area they enclose: nothing is added
    /// to the project.
    Measure,
}

impl Tool {
    pub const ALL: [Self; 8] = [
        Self::Select,
        Self::Move,
        Self::Vertices,
        Self::Point,
        Self::Line,
        Self::Polygon,
        Self::Measure,
        Self::Comment,
    ];

    /// The tools of review mode, which change nothing in the project.
    pub const REVIEW: [Self; 3] = [Self::Select, Self::Measure, Self::Comment];

    /// Tools in which the left button edits, and the map pans with the right or middle button.
    pub fn drags_features(self) -> bool {
        matches!(self, Self::Move | Self::Vertices)
    }

    /// Tools whose pointer snaps to what is on the map.
    pub fn snaps(self) -> bool {
        !matches!(self, Self::Select | Self::Comment)
    }

    /// Tools that add vertices with clicks (the measure tool's never become a placement).
    pub fn draws(self) -> bool {
        matches!(
            self,
            Self::Point | Self::Line | Self::Polygon | Self::Measure
        )
    }

    /// The tool's name with its key, in the interface language.
    pub fn label(self, lang: UiLanguage) -> &'static str {
        match self {
            Self::Select => lang.pick("选择 (V)", "Select (V)"),
            Self::Point => lang.pick("点 (P)", "Point (P)"),
            Self::Line => lang.pick("线 (L)", "Line (L)"),
            Self::Polygon => lang.pick("面 (G)", "Polygon (G)"),
            Self::Move => lang.pick("移动 (M)", "Move (M)"),
            Self::Vertices => lang.pick("顶点 (E)", "Vertices (E)"),
            Self::Comment => lang.pick("评论 (C)", "Comment (C)"),
            Self::Measure => lang.pick("测量 (R)", "Measure (R)"),
        }
    }

    /// The key that picks the tool.
    pub fn key(self) -> egui::Key {
        match self {
            Self::Select => egui::Key::V,
            Self::Point => egui::Key::P,
            Self::Line => egui::Key::L,
            Self::Polygon => egui::Key::G,
            Self::Move => egui::Key::M,
            Self::Vertices => egui::Key::E,
            Self::Comment => egui::Key::C,
            Self::Measure => egui::Key::R,
        }
    }

    pub fn tooltip(self) -> &'static str {
        match self {
            Self::Select => {
                "Click a feature to inspect it; Shift-click, or Shift+drag a box, to select several placements"
            }
            Self::Point => "Click to place a point placement",
            Self::Line => {
                "Click to add vertices; double-click or Enter finishes, Backspace removes the last, Esc cancels"
            }
            Self::Polygon => {
                "Click to add vertices; double-click or Enter closes the polygon, Backspace removes the last, Esc cancels"
            }
            Self::Move => "Drag a placement to move it; pan with the right or middle button",
            Self::Vertices => {
                "Select a placement, then drag a vertex, drag a midpoint handle to insert one, or click a vertex and press Delete"
            }
            Self::Measure => {
                "Click points to measure the distance along them and the area they enclose (geodesic); Backspace removes the last, Esc clears, Esc again leaves"
            }
            Self::Comment => {
                "Click a placement or a place on the map to pin a review comment to it (saved beside the project, never in it)"
            }
        }
    }
}

/// A handle of the vertex tool: a vertex, or the midpoint of a segment (dragging it inserts).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Handle {
    Vertex {
        ring: usize,
        index: usize,
    },
    Midpoint {
        ring: usize,
        after: usize,
        at: (f64, f64),
    },
}
