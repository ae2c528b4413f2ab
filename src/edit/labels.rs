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

/// What a step's id refers to: a group and a layer of the style may share an id
/// (`corridors`), and a data layer's id may appear bare or as `sketch:ID`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Named<'a> {
    Group(&'a str),
    Layer(&'a str),
    DataLayer(&'a str),
}

/// Names a layer or group by its id, in both languages (`None`: the id is shown as it is).
pub type LayerNames<'a> = &'a dyn Fn(Named) -> Option<Bilingual>;

/// A layer's name in each language: its own name where one is known, else its id (an id is
/// the data's own, so it is the same in both).
fn layer_words(named: Named, names: LayerNames) -> (String, String) {
    let id = match named {
        Named::Group(id) | Named::Layer(id) | Named::DataLayer(id) => id,
    };
    match names(named) {
        Some(name) => (name.zh.clone(), name.en.clone()),
        None => (id.to_string(), id.to_string()),
    }
}

impl Edit {
    /// What the Edit menu calls the step, e.g. "hide layer corridors" / "隐藏图层 corridors".
    /// Ids and names are the data's own, in both.
    pub fn label(&self) -> Bilingual {
        self.label_named(&|_| None)
    }

    /// As [`Self::label`], with layers and groups called by their names ("隐藏图层 行政边界",
    /// "hide layer Boundaries") instead of their ids.
    pub fn label_named(&self, names: LayerNames) -> Bilingual {
        let words = |zh: String, en: String| Bilingual::new(zh, en);
        match self {
            Edit::View(view) => view_label(view, names),
            Edit::AddSketch { id, .. } => words(format!("导入 {id}"), format!("import {id}")),
            Edit::RemoveSketch(id) => {
                let (zh, en) = layer_words(Named::DataLayer(id), names);
                words(
                    format!("移除草图图层 {zh}"),
                    format!("remove sketch layer {en}"),
                )
            }
            Edit::SetSketchSource { id, .. } => words(format!("定位 {id}"), format!("locate {id}")),
            Edit::SetSketchVisible { id, visible } => {
                let (zh, en) = shown(*visible);
                let (name_zh, name_en) = layer_words(Named::DataLayer(id), names);
                words(
                    format!("{zh}草图图层 {name_zh}"),
                    format!("{en} sketch layer {name_en}"),
                )
            }
            Edit::SetSketchOpacity { id, .. } => {
                let (zh, en) = layer_words(Named::DataLayer(id), names);
                words(format!("{zh} 的不透明度"), format!("opacity of {en}"))
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
                let (zh, en) = layer_words(Named::Layer(layer), names);
                words(format!("{zh} 的顺序"), format!("order of {en}"))
            }
            Edit::SetStyleOverride { layer, .. } => {
                let (zh, en) = layer_words(Named::Layer(layer), names);
                words(format!("{zh} 的样式"), format!("style of {en}"))
            }
            Edit::RemovePlacement(id) => {
                words(format!("删除 {}", id.0), format!("delete {}", id.0))
            }
            Edit::SetPlacement { placement, .. } => words(
                format!("编辑 {}", placement.name_zh),
                format!("edit {}", placement.name_zh),
            ),
            Edit::SetNotes(_) => words("地图注记".into(), "map notes".into()),
            Edit::SetProjectInfo(_) => words("项目属性".into(), "project properties".into()),
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

fn view_label(view: &ViewCommand, names: LayerNames) -> Bilingual {
    let words = |zh: String, en: String| Bilingual::new(zh, en);
    match view {
        ViewCommand::SetGroupVisible(id, v) => {
            let (zh, en) = shown(*v);
            let (name_zh, name_en) = layer_words(Named::Group(id), names);
            words(
                format!("{zh}图层 {name_zh}"),
                format!("{en} layer {name_en}"),
            )
        }
        ViewCommand::SetLayerVisible(id, v) => {
            let (zh, en) = shown(*v);
            let (name_zh, name_en) = layer_words(Named::Layer(id), names);
            words(
                format!("{zh}图层 {name_zh}"),
                format!("{en} layer {name_en}"),
            )
        }
        ViewCommand::SetGroupOpacity(id, _) => {
            let (zh, en) = layer_words(Named::Group(id), names);
            words(format!("{zh} 的不透明度"), format!("opacity of {en}"))
        }
        ViewCommand::SetLayerOpacity(id, _) => {
            let (zh, en) = layer_words(Named::Layer(id), names);
            words(format!("{zh} 的不透明度"), format!("opacity of {en}"))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A layer is called by its name in the step, in the step's language; without a name, by
    /// its id. ("撤销 隐藏图层 basemap.boundaries" was shown in the Chinese interface.)
    #[test]
    fn steps_call_layers_by_their_names() {
        let edit = Edit::View(ViewCommand::SetLayerVisible(
            "basemap.boundaries".into(),
            false,
        ));
        let names = |named: Named| {
            (named == Named::Layer("basemap.boundaries"))
                .then(|| Bilingual::new("行政边界", "Boundaries"))
        };
        let named = edit.label_named(&names);
        assert_eq!(named.zh, "隐藏图层 行政边界");
        assert_eq!(named.en, "hide layer Boundaries");
        let order = Edit::SetLayerOrder {
            layer: "basemap.boundaries".into(),
            order: Some(3),
        };
        assert_eq!(order.label_named(&names).zh, "行政边界 的顺序");
        assert_eq!(edit.label().zh, "隐藏图层 basemap.boundaries");
    }
}
