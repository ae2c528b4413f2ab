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

    /// What the tool does, in the interface language (the hover text of its button).
    pub fn tooltip(self, lang: UiLanguage) -> &'static str {
        match self {
            Self::Select => lang.pick(
                "点击要素查看属性；Shift+点击或 Shift+拖框可选择多个项目",
                "Click a feature to inspect it; Shift-click, or Shift+drag a box, to select several placements",
            ),
            Self::Point => lang.pick("点击放置一个点状项目", "Click to place a point placement"),
            Self::Line => lang.pick(
                "点击添加顶点；双击或回车完成，退格删除上一个顶点，Esc 取消",
                "Click to add vertices; double-click or Enter finishes, Backspace removes the last, Esc cancels",
            ),
            Self::Polygon => lang.pick(
                "点击添加顶点；双击或回车闭合多边形，退格删除上一个顶点，Esc 取消",
                "Click to add vertices; double-click or Enter closes the polygon, Backspace removes the last, Esc cancels",
            ),
            Self::Move => lang.pick(
                "拖动项目以移动它；用右键或中键平移地图",
                "Drag a placement to move it; pan with the right or middle button",
            ),
            Self::Vertices => lang.pick(
                "选中一个项目，然后拖动顶点、拖动中点以插入顶点，或点击顶点后按 Delete 删除",
                "Select a placement, then drag a vertex, drag a midpoint handle to insert one, or click a vertex and press Delete",
            ),
            Self::Measure => lang.pick(
                "点击各点，测量沿线距离及围合面积（椭球面）；退格删除上一点，Esc 清除，再按 Esc 退出",
                "Click points to measure the distance along them and the area they enclose (geodesic); Backspace removes the last, Esc clears, Esc again leaves",
            ),
            Self::Comment => lang.pick(
                "点击项目或地图上的位置，钉一条审阅评论（保存在项目旁的文件中，不写入项目）",
                "Click a placement or a place on the map to pin a review comment to it (saved beside the project, never in it)",
            ),
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
