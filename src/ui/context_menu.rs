//! The map's right-click menu: on a feature, zoom to it, select it, and (editing) edit,
//! delete or duplicate it; anywhere, copy the point's coordinates, measure from it, and (in
//! review) comment on it. Every action is a command for the app: the menu changes nothing.

use egui::{Pos2, Ui};
use geo::{BoundingRect, Coord};

use crate::command::{AppCommand, Tool};
use crate::map::{ItemKey, MapFrame, ScreenTransform};
use crate::model::lang::ui_name;
use crate::model::project::PlacementId;
use crate::model::review::Anchor;
use crate::model::{FeatureId, LabelLanguage};

/// What was right-clicked: the place, and the feature picked there (as a click picks).
#[derive(Clone, Debug)]
pub struct MenuTarget {
    pub at: Coord<f64>,
    pub feature: Option<FeatureId>,
}

/// What the menu needs to know besides its target.
pub struct MenuContext<'a> {
    pub language: LabelLanguage,
    pub review: bool,
    /// The feature's name and lon/lat box, when it is one of the plan's or the project's.
    pub name: Option<String>,
    pub bbox: Option<geo::Rect<f64>>,
    pub is_placement: bool,
    /// A placement or a feature of a plan layer one may sketch.
    pub editable: bool,
    /// A feature of a data layer, which may be copied to placements.
    pub is_data: bool,
    pub commands: &'a mut Vec<AppCommand>,
}

fn target_id() -> egui::Id {
    egui::Id::unique("onemap.context_menu_target")
}

/// Remembers what a right-click at `p` hit, for the menu it opens (shown in later frames).
pub fn remember_target(ctx: &egui::Context, frame: &MapFrame<'_>, p: Pos2) {
    let feature = match crate::map::hit_test::hit_test(frame, p) {
        Some(ItemKey::Feature(id)) => Some(id),
        _ => None,
    };
    let target = MenuTarget {
        at: frame.transform.to_lonlat(p),
        feature,
    };
    ctx.data_mut(|d| d.insert_temp(target_id(), target));
}

/// The target of the menu that is open.
pub fn target(ctx: &egui::Context) -> Option<MenuTarget> {
    ctx.data(|d| d.get_temp(target_id()))
}

/// The right-click menu: what a right-click hit is kept for the menu it opens.
pub fn map_context_menu(
    ui: &Ui,
    panel: &super::map_panel::MapPanel<'_>,
    map: &egui::Response,
    transform: &ScreenTransform,
    commands: &mut Vec<AppCommand>,
) {
    use super::context_menu::{
        MenuContext, context_menu_ui, feature_bbox, remember_target, target,
    };
    if map.secondary_clicked()
        && let Some(p) = map.interact_pointer_pos()
    {
        remember_target(ui.ctx(), &panel.frame(*transform, map.rect), p);
    }
    map.context_menu(|ui| {
        let Some(target) = target(ui.ctx()) else {
            ui.close();
            return;
        };
        let feature = target.feature.as_ref().and_then(|id| {
            panel
                .doc
                .feature(id)
                .or_else(|| panel.plan.feature(id).map(std::borrow::Cow::Borrowed))
        });
        let feature = feature.as_deref();
        let language = panel.doc.project.settings.language;
        let is_placement = target.feature.as_ref().is_some_and(|id| {
            panel
                .doc
                .project
                .placements
                .contains_key(&PlacementId(id.0.clone()))
        });
        let editable = is_placement
            || feature.is_some_and(|f| {
                crate::model::overrides::EDITABLE_LAYERS.contains(&f.layer.as_str())
            });
        let menu = MenuContext {
            language,
            review: panel.review,
            name: feature.map(|f| crate::model::lang::ui_name(language, f.name_zh(), f.name_en())),
            bbox: feature.and_then(|f| feature_bbox(&f.geometry)),
            is_placement,
            editable,
            is_data: target
                .feature
                .as_ref()
                .is_some_and(|id| panel.doc.data_feature(id).is_some()),
            commands,
        };
        context_menu_ui(ui, &target, menu);
    });
}

/// The lon/lat box of a feature's geometry.
pub fn feature_bbox(geometry: &geo::Geometry<f64>) -> Option<geo::Rect<f64>> {
    geometry.bounding_rect()
}

/// The menu's items for `target`.
pub fn context_menu_ui(ui: &mut Ui, target: &MenuTarget, m: MenuContext<'_>) {
    let t = |zh: &str, en: &str| ui_name(m.language, zh, en);
    let mut chosen: Vec<AppCommand> = Vec::new();
    if let Some(id) = &target.feature {
        if let Some(name) = &m.name {
            ui.label(egui::RichText::new(name).strong());
        }
        if let Some(bbox) = m.bbox
            && ui.button(t("缩放至", "Zoom to")).clicked()
        {
            chosen.push(AppCommand::ZoomTo(bbox));
        }
        if ui.button(t("选择", "Select")).clicked() {
            chosen.push(AppCommand::Select(Some(id.clone())));
        }
        if !m.review && m.is_data {
            ui.separator();
            if ui
                .button(super::tr(ui.ctx(), "复制为规划项目", "Copy to placements"))
                .on_hover_text(super::tr(
                    ui.ctx(),
                    "以此要素的几何新建规划项目（示意），一步撤销",
                    "A new placement with this feature's geometry (indicative), one undo step",
                ))
                .clicked()
            {
                chosen.push(AppCommand::CopyToPlacements(vec![id.clone()]));
            }
        }
        if !m.review && m.editable {
            ui.separator();
            let select = || AppCommand::Select(Some(id.clone()));
            if ui.button(t("编辑顶点", "Edit vertices")).clicked() {
                chosen.extend([select(), AppCommand::SetTool(Tool::Vertices)]);
            }
            if m.is_placement && ui.button(t("创建副本", "Duplicate")).clicked() {
                chosen.extend([select(), AppCommand::Duplicate]);
            }
            if ui.button(t("删除", "Delete")).clicked() {
                chosen.extend([
                    select(),
                    AppCommand::SelectVertex(None),
                    AppCommand::DeleteSelected,
                ]);
            }
        }
        ui.separator();
    }
    if ui.button(t("复制坐标", "Copy coordinates")).clicked() {
        chosen.push(AppCommand::CopyText(format!(
            "{:.6},{:.6}",
            target.at.x, target.at.y
        )));
    }
    if ui.button(t("从此处测量", "Measure from here")).clicked() {
        chosen.extend([
            AppCommand::SetTool(Tool::Measure),
            AppCommand::AddVertex(target.at),
        ]);
    }
    if m.review && ui.button(t("添加评论", "Add comment")).clicked() {
        let anchor = match &target.feature {
            Some(id) if m.is_placement => Anchor::Placement(PlacementId(id.0.clone())),
            _ => Anchor::Location(
                crate::model::project::round7(target.at.x),
                crate::model::project::round7(target.at.y),
            ),
        };
        chosen.push(AppCommand::StartComment(anchor));
    }
    if !chosen.is_empty() {
        m.commands.extend(chosen);
        ui.close();
    }
}
