//! What the Edit menu calls each step ("撤销 隐藏图层 corridors", "Undo hide layer corridors"),
//! in both interface languages: a step is named when it is made and shown later, in whichever
//! language the interface speaks then.

use crate::model::Bilingual;
use crate::model::view::{Corner, ViewCommand};

use super::Edit;

/// "显示" or "隐藏", "show" or "hide".
fn shown(visible: bool) -> (&'static str, &'static str) {
    if visible {
        ("显示", "show")
    } else {
        ("隐藏", "hide")
    }
}

fn corner_zh(corner: Corner) -> &'static str {
    match corner {
        Corner::TopLeft => "左上角",
        Corner::TopRight => "右上角",
        Corner::BottomLeft => "左下角",
        Corner::BottomRight => "右下角",
    }
}

impl Edit {
    /// What the Edit menu calls the step, e.g. "hide layer corridors" / "隐藏图层 corridors".
    /// Ids and names are the data's own, in both.
    pub fn label(&self) -> Bilingual {
        let words = |zh: String, en: String| Bilingual::new(zh, en);
        match self {
            Edit::View(view) => view_label(view),
            Edit::AddSketch { id, .. } => words(format!("导入 {id}"), format!("import {id}")),
            Edit::RemoveSketch(id) => words(
                format!("移除草图图层 {id}"),
                format!("remove sketch layer {id}"),
            ),
            Edit::SetSketchSource { id, .. } => words(format!("定位 {id}"), format!("locate {id}")),
            Edit::SetSketchVisible { id, visible } => {
                let (zh, en) = shown(*visible);
                words(
                    format!("{zh}草图图层 {id}"),
                    format!("{en} sketch layer {id}"),
                )
            }
            Edit::SetSketchOpacity { id, .. } => {
                words(format!("{id} 的不透明度"), format!("opacity of {id}"))
            }
            Edit::SetSketchLabelField { id, field: Some(f) } => {
                words(format!("按 {f} 标注 {id}"), format!("label {id} by {f}"))
            }
            Edit::SetSketchLabelField { id, field: None } => {
                words(format!("取消 {id} 的标注"), format!("no labels on {id}"))
            }
            Edit::Acknowledge { finding, .. } => words(
                format!("确认检查发现 {finding}"),
                format!("acknowledge {finding}"),
            ),
            Edit::AddPlacement { placement, .. } => words(
                format!("添加 {}", placement.name_zh),
                format!("add {}", placement.name_zh),
            ),
            Edit::SetLayerOrder { layer, .. } => {
                words(format!("{layer} 的顺序"), format!("order of {layer}"))
            }
            Edit::SetStyleOverride { layer, .. } => {
                words(format!("{layer} 的样式"), format!("style of {layer}"))
            }
            Edit::RemovePlacement(id) => {
                words(format!("删除 {}", id.0), format!("delete {}", id.0))
            }
            Edit::SetPlacement { placement, .. } => words(
                format!("编辑 {}", placement.name_zh),
                format!("edit {}", placement.name_zh),
            ),
            Edit::SetNotes(_) => words("地图注记".into(), "map notes".into()),
            Edit::SetPlanOverride { id, value: Some(_) } => {
                words(format!("草绘 {id}"), format!("sketch {id}"))
            }
            Edit::SetPlanOverride { id, value: None } => words(
                format!("将 {id} 还原为规划"),
                format!("revert {id} to the plan"),
            ),
            Edit::Batch { label, .. }
            | Edit::SetScenes { label, .. }
            | Edit::SetSettings { label, .. } => label.clone(),
        }
    }
}

fn view_label(view: &ViewCommand) -> Bilingual {
    let words = |zh: String, en: String| Bilingual::new(zh, en);
    match view {
        ViewCommand::SetGroupVisible(id, v) | ViewCommand::SetLayerVisible(id, v) => {
            let (zh, en) = shown(*v);
            words(format!("{zh}图层 {id}"), format!("{en} layer {id}"))
        }
        ViewCommand::SetGroupOpacity(id, _) | ViewCommand::SetLayerOpacity(id, _) => {
            words(format!("{id} 的不透明度"), format!("opacity of {id}"))
        }
        ViewCommand::SetTierVisible(t, v) => {
            let (zh, en) = shown(*v);
            words(format!("{zh}第 {t} 级"), format!("{en} tier {t}"))
        }
        ViewCommand::ShowTiersUpTo(n) => {
            words(format!("显示第 1…{n} 级"), format!("show tiers 1…{n}"))
        }
        ViewCommand::SetLanguage(l) => words(
            format!("地图标注：{}", l.title()),
            format!("labels in {}", l.title()),
        ),
        ViewCommand::SetLegend(l) if l.collapsed => {
            words("收起图例".into(), "collapse the legend".into())
        }
        ViewCommand::SetLegend(l) => words(
            format!("图例移到{}", corner_zh(l.corner)),
            format!("legend at {:?}", l.corner),
        ),
        ViewCommand::SetIndicativeHidden(h) => {
            let (zh, en) = shown(!*h);
            words(format!("{zh}示意要素"), format!("{en} indicative features"))
        }
        ViewCommand::SetBasemap(b) => words(
            format!("底图：{}", b.describe()),
            format!("basemap: {}", b.describe()),
        ),
    }
}
