//! The layers panel: groups and layers with visibility, opacity and a legend swatch, plus one
//! toggle per urban tier and a "tiers 1…N" quick control.

use super::tr;
use egui::{RichText, Ui};

use crate::command::{AppCommand, PathPurpose, SketchView};
use crate::doc::AppData;
use crate::doc::document::{Document, SketchState};
use crate::model::style::{GroupStyle, LayerStyle};
use crate::model::view::{TIER_COUNT, ViewCommand, ViewSettings};

use super::swatch::{layer_paint, swatch_space, swatch_ui};

pub fn layers_panel_ui(
    ui: &mut Ui,
    data: &AppData,
    doc: &Document,
    commands: &mut Vec<AppCommand>,
) {
    ui.heading(tr(ui.ctx(), "图层", "Layers"));
    egui::ScrollArea::vertical().show(ui, |ui| {
        for group in &data.style.groups {
            group_ui(ui, data, doc, group, commands);
            ui.add_space(4.0);
        }
    });
}

fn group_ui(
    ui: &mut Ui,
    data: &AppData,
    doc: &Document,
    group: &GroupStyle,
    commands: &mut Vec<AppCommand>,
) {
    let view = &doc.project.settings;
    let settings = view.group(&group.id);
    let name = tr(ui.ctx(), &group.name_zh, &group.name_en).to_owned();
    ui.horizontal(|ui| {
        let mut visible = settings.visible;
        if ui
            .checkbox(&mut visible, egui::RichText::new(&name).strong())
            .changed()
        {
            commands.push(AppCommand::View(ViewCommand::SetGroupVisible(
                group.id.clone(),
                visible,
            )));
        }
        match group.layers.first() {
            Some(first) => swatch_ui(ui, &layer_paint(first), settings.opacity),
            None => swatch_space(ui),
        }
        opacity_slider(ui, settings.opacity, &name, commands, |o| {
            AppCommand::View(ViewCommand::SetGroupOpacity(group.id.clone(), o))
        });
    });
    ui.indent(&group.id, |ui| {
        ui.add_enabled_ui(settings.visible, |ui| {
            for layer in &group.layers {
                // `sketch` is the style the sketch layers share, listed one by one below.
                if layer.id != "sketch" {
                    layer_ui(ui, data, doc, layer, commands);
                }
            }
            if group.id == "placements" {
                sketch_layers_ui(ui, data, doc, commands);
            }
            if group.id == "tiers" {
                tiers_ui(ui, group, view, commands);
            }
            if group.id == "placements"
                && doc.project.placements.is_empty()
                && doc.project.sketch_layers.is_empty()
            {
                ui.weak(tr(
                    ui.ctx(),
                    "本项目尚无项目布局",
                    "No placements in this project yet",
                ));
            }
        });
    });
}

fn layer_ui(
    ui: &mut Ui,
    data: &AppData,
    doc: &Document,
    layer: &LayerStyle,
    commands: &mut Vec<AppCommand>,
) {
    let view = &doc.project.settings;
    let settings = view.layer(&layer.id);
    let name = tr(ui.ctx(), &layer.name_zh, &layer.name_en).to_owned();
    let count = match layer.id.as_str() {
        "placements" => Some(doc.project.placements.len()),
        id => data.plan.layer(id).map(|l| l.features.len()),
    };
    ui.horizontal(|ui| {
        let mut visible = settings.visible;
        let response = ui.checkbox(&mut visible, &name);
        if let Some(note) = data.plan.layer(&layer.id).and_then(|l| l.note.as_ref()) {
            response.clone().on_hover_text(note);
        }
        if response.changed() {
            commands.push(AppCommand::View(ViewCommand::SetLayerVisible(
                layer.id.clone(),
                visible,
            )));
        }
        swatch_ui(ui, &layer_paint(layer), settings.opacity);
        if let Some(n) = count {
            ui.weak(n.to_string());
        }
        opacity_slider(ui, settings.opacity, &name, commands, |o| {
            AppCommand::View(ViewCommand::SetLayerOpacity(layer.id.clone(), o))
        });
        order_and_colour_ui(ui, data, doc, layer, commands);
    });
}

/// One toggle per tier, with its symbol, and buttons that show tiers 1…N at once.
fn tiers_ui(ui: &mut Ui, group: &GroupStyle, view: &ViewSettings, commands: &mut Vec<AppCommand>) {
    let Some(tiers) = group
        .layers
        .iter()
        .find(|l| l.variants.iter().any(|v| v.property == "tier"))
    else {
        return;
    };
    for t in 1..=TIER_COUNT {
        let Some(variant) = tiers
            .variants
            .iter()
            .find(|v| v.property == "tier" && v.equals == t.to_string())
        else {
            swatch_space(ui);
            continue;
        };
        ui.horizontal(|ui| {
            let mut shown = view.tier_shown(Some(t));
            let label = format!("{t} {}", tr(ui.ctx(), &variant.name_zh, &variant.name_en));
            if ui.checkbox(&mut shown, label).changed() {
                commands.push(AppCommand::View(ViewCommand::SetTierVisible(t, shown)));
            }
            swatch_ui(ui, &tiers.paint.merged(&variant.paint), 1.0);
        });
    }
    ui.horizontal(|ui| {
        ui.label(tr(ui.ctx(), "显示 1…N 级:", "Tiers 1…N:"));
        let shown_up_to = (1..=TIER_COUNT)
            .take_while(|t| view.tier_shown(Some(*t)))
            .count() as u8;
        for n in 1..=TIER_COUNT {
            let exact = shown_up_to == n && (n == TIER_COUNT || !view.tier_shown(Some(n + 1)));
            let button = ui.selectable_label(exact, format!("1…{n}")).on_hover_text(
                match super::ui_language(ui.ctx()) {
                    crate::model::UiLanguage::Chinese => format!("只显示第 1 至 {n} 级"),
                    crate::model::UiLanguage::English => format!("Show tiers 1 to {n} only"),
                },
            );
            if button.clicked() {
                commands.push(AppCommand::View(ViewCommand::ShowTiersUpTo(n)));
            }
        }
    });
}

/// A compact opacity slider. A drag is one undo step: it opens a gesture when it starts and
/// closes it after its last change.
fn opacity_slider(
    ui: &mut Ui,
    opacity: f32,
    name: &str,
    commands: &mut Vec<AppCommand>,
    set: impl Fn(f32) -> AppCommand,
) {
    let mut value = opacity;
    let response = ui.add_sized(
        [64.0, 14.0],
        egui::Slider::new(&mut value, 0.0..=1.0).show_value(false),
    );
    let opacity_word = tr(ui.ctx(), "不透明度", "opacity");
    let accessible = format!("{name} {opacity_word}");
    response.widget_info(|| egui::WidgetInfo::slider(true, f64::from(value), accessible.clone()));
    let percent = value * 100.0;
    let response = response.on_hover_text(match super::ui_language(ui.ctx()) {
        crate::model::UiLanguage::Chinese => format!("不透明度 {percent:.0}%"),
        crate::model::UiLanguage::English => format!("Opacity {percent:.0} %"),
    });
    if response.drag_started() {
        commands.push(AppCommand::BeginGesture(crate::model::Bilingual::new(
            format!("{name} 的不透明度"),
            format!("opacity of {name}"),
        )));
    }
    if response.changed() {
        commands.push(set(value));
    }
    if response.drag_stopped() {
        commands.push(AppCommand::EndGesture);
    }
}

/// The data layers, under their own heading: per layer, visibility, its style (a swatch and a
/// popup), the feature count and opacity; then the label field, its attribute table and
/// Remove. A layer whose file is missing says so, with Locate… to point it at the file again.
fn sketch_layers_ui(ui: &mut Ui, data: &AppData, doc: &Document, commands: &mut Vec<AppCommand>) {
    if doc.project.sketch_layers.is_empty() {
        return;
    }
    ui.add_space(2.0);
    ui.label(RichText::new(tr(ui.ctx(), "数据图层", "Data layers")).strong());
    let shared = data.style.layer("sketch").map(|l| l.paint.clone());
    for (id, layer) in &doc.project.sketch_layers {
        let style_id = format!("{}{id}", crate::model::style::DATA_LAYER_PREFIX);
        let own = doc.project.style_overrides.get(&style_id);
        let effective = shared
            .clone()
            .unwrap_or_default()
            .merged(own.unwrap_or(&Default::default()));
        ui.horizontal(|ui| {
            let mut visible = layer.visible;
            if ui.checkbox(&mut visible, &layer.name).changed() {
                commands.push(AppCommand::SetSketchVisible(id.clone(), visible));
            }
            let kinds = doc
                .overlay
                .data_layers
                .get(&style_id)
                .map(|s| s.geometry)
                .unwrap_or_default();
            super::swatch::data_swatch_ui(ui, &effective, kinds, layer.opacity);
            match doc.sketches.get(id) {
                Some(SketchState::Loaded(f)) => {
                    ui.weak(f.len().to_string());
                }
                Some(SketchState::Missing(e)) => {
                    ui.colored_label(
                        egui::Color32::from_rgb(200, 50, 40),
                        tr(ui.ctx(), "缺失", "missing"),
                    )
                    .on_hover_text(e.pick(super::ui_language(ui.ctx())));
                    if !doc.read_only && ui.button(tr(ui.ctx(), "定位…", "Locate…")).clicked()
                    {
                        commands.push(AppCommand::AskPath(PathPurpose::Locate(id.clone())));
                    }
                }
                None => {}
            }
            opacity_slider(ui, layer.opacity, &layer.name, commands, |o| {
                AppCommand::SetSketchOpacity(id.clone(), o)
            });
        });
        ui.indent(("data_layer", id), |ui| {
            ui.horizontal(|ui| {
                data_layer_tools_ui(ui, doc, id, layer, own, effective, commands);
            });
        });
    }
}

/// A data layer's second row: style, label field, table, remove.
fn data_layer_tools_ui(
    ui: &mut Ui,
    doc: &Document,
    id: &str,
    layer: &crate::model::project::SketchLayer,
    own: Option<&crate::model::style::Paint>,
    effective: crate::model::style::Paint,
    commands: &mut Vec<AppCommand>,
) {
    let loaded = matches!(doc.sketches.get(id), Some(SketchState::Loaded(_)));
    if !doc.read_only {
        let style = super::data_style::DataStyle {
            layer_id: id,
            own,
            effective,
        };
        // Open until a click outside it: a style takes a few changes.
        let config = egui::containers::menu::MenuConfig::new()
            .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
        egui::containers::menu::MenuButton::new(tr(ui.ctx(), "样式", "Style"))
            .config(config)
            .ui(ui, |ui| {
                super::data_style::data_style_ui(ui, &style, commands);
            })
            .0
            .on_hover_text(tr(
                ui.ctx(),
                "描边、填充与点符号",
                "Stroke, fill and point symbol",
            ));
        let fields = doc.sketch_fields.get(id).map_or(&[][..], Vec::as_slice);
        super::data_style::label_field_ui(ui, id, layer.label_field.as_deref(), fields, commands);
    }
    if ui
        .add_enabled(loaded, egui::Button::new(tr(ui.ctx(), "表格", "Table")))
        .on_hover_text(tr(
            ui.ctx(),
            "此图层的属性表",
            "This layer's attribute table",
        ))
        .clicked()
    {
        commands.push(AppCommand::ToggleDataTable(id.to_owned()));
    }
    if !doc.read_only
        && ui
            .small_button(tr(ui.ctx(), "移除", "Remove"))
            .on_hover_text(tr(
                ui.ctx(),
                "从项目中移除此数据图层（文件不变）",
                "Remove this data layer from the project (the file is kept)",
            ))
            .clicked()
    {
        commands.push(AppCommand::RemoveSketch(id.to_owned()));
    }
}

/// Colours offered for recolouring a layer: distinct on the basemap and for colour-blind eyes.
const PALETTE: [(u8, u8, u8); 8] = [
    (213, 94, 0),
    (0, 114, 178),
    (0, 158, 115),
    (204, 121, 167),
    (230, 159, 0),
    (86, 180, 233),
    (120, 40, 20),
    (60, 60, 60),
];

/// ▲/▼ move a layer above the next one in drawing order or below the previous one; the colour
/// menu overrides the layer's main colour. Each is one undoable edit saved in the project.
fn order_and_colour_ui(
    ui: &mut Ui,
    data: &AppData,
    doc: &Document,
    layer: &LayerStyle,
    commands: &mut Vec<AppCommand>,
) {
    use crate::edit::Edit;
    if doc.read_only {
        return;
    }
    let orders: Vec<u32> = data.style.layers().map(|l| l.draw_order).collect();
    let above = orders
        .iter()
        .copied()
        .filter(|o| *o > layer.draw_order)
        .min();
    let below = orders
        .iter()
        .copied()
        .filter(|o| *o < layer.draw_order)
        .max();
    if ui
        .add_enabled(above.is_some(), egui::Button::new("▲").small())
        .on_hover_text(tr(
            ui.ctx(),
            "绘制在下一图层之上",
            "Draw above the next layer",
        ))
        .clicked()
        && let Some(o) = above
    {
        commands.push(AppCommand::Edit(Box::new(Edit::SetLayerOrder {
            layer: layer.id.clone(),
            order: Some(o + 1),
        })));
    }
    if ui
        .add_enabled(below.is_some(), egui::Button::new("▼").small())
        .on_hover_text(tr(
            ui.ctx(),
            "绘制在上一图层之下",
            "Draw below the previous layer",
        ))
        .clicked()
        && let Some(o) = below
    {
        commands.push(AppCommand::Edit(Box::new(Edit::SetLayerOrder {
            layer: layer.id.clone(),
            order: Some(o.saturating_sub(1)),
        })));
    }
    let base = layer_paint(layer);
    ui.menu_button(tr(ui.ctx(), "色", "Colour"), |ui| {
        for (r, g, b) in PALETTE {
            let (rect, response) =
                ui.allocate_exact_size(egui::vec2(60.0, 14.0), egui::Sense::click());
            ui.painter()
                .rect_filled(rect, 2.0, egui::Color32::from_rgb(r, g, b));
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Button, true, format!("colour {r},{g},{b}"))
            });
            if response.clicked() {
                let mut paint = crate::model::style::Paint::default();
                if let Some(s) = base.stroke {
                    paint.stroke = Some(crate::model::style::Rgba(r, g, b, s.3));
                }
                if let Some(f) = base.fill {
                    paint.fill = Some(crate::model::style::Rgba(r, g, b, f.3));
                }
                commands.push(AppCommand::Edit(Box::new(Edit::SetStyleOverride {
                    layer: layer.id.clone(),
                    paint: Some(paint),
                })));
                ui.close();
            }
        }
        let overridden = doc.project.style_overrides.contains_key(&layer.id)
            || doc.project.layer_order.contains_key(&layer.id);
        if ui
            .add_enabled(
                overridden,
                egui::Button::new(tr(ui.ctx(), "还原", "Reset to style")),
            )
            .clicked()
        {
            commands.push(AppCommand::Edit(Box::new(Edit::SetStyleOverride {
                layer: layer.id.clone(),
                paint: None,
            })));
            commands.push(AppCommand::Edit(Box::new(Edit::SetLayerOrder {
                layer: layer.id.clone(),
                order: None,
            })));
            ui.close();
        }
    })
    .response
    .on_hover_text(tr(ui.ctx(), "此图层的颜色", "Colour of this layer"));
}

/// How the project's sketch of the plan shows, and any sketch whose baseline is gone.
pub fn sketch_view_ui(
    ui: &mut Ui,
    view: SketchView,
    doc: &Document,
    style: &crate::model::style::Style,
    commands: &mut Vec<AppCommand>,
) {
    let count = doc.project.plan_overrides.len();
    let orphans = &doc.sketch.orphans;
    use SketchView as V;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("{} ({count})", tr(ui.ctx(), "草图", "Sketches"))).strong());
        for (v, text) in [
            (V::Alone, tr(ui.ctx(), "单独", "alone")),
            (V::WithBaseline, tr(ui.ctx(), "对照规划", "with baseline")),
            (V::Hidden, tr(ui.ctx(), "隐藏", "hidden")),
        ] {
            if ui.radio(view == v, text).clicked() {
                commands.push(AppCommand::SetSketchView(v));
            }
        }
    });
    // Per sketched layer: revert all, export with the sketches.
    let mut layers: Vec<&str> = doc
        .project
        .plan_overrides
        .values()
        .map(|o| o.layer())
        .collect();
    layers.sort_unstable();
    layers.dedup();
    for layer in layers {
        let n = doc
            .project
            .plan_overrides
            .values()
            .filter(|o| o.layer() == layer)
            .count();
        let name = style.layer(layer).map_or(layer, |l| {
            super::lang::name(super::ui_language(ui.ctx()), &l.name_zh, &l.name_en)
        });
        ui.horizontal(|ui| {
            ui.label(format!("{name}: {n}"));
            if !doc.read_only
                && ui
                    .small_button(tr(ui.ctx(), "全部撤销", "Revert all"))
                    .on_hover_text(tr(
                        ui.ctx(),
                        "将此图层的全部草图恢复为规划原样（一步撤销）",
                        "Revert all sketches of this layer to the plan (one undo step)",
                    ))
                    .clicked()
            {
                commands.push(AppCommand::RevertLayer(layer.to_owned()));
            }
            if ui
                .small_button(tr(ui.ctx(), "导出…", "Export…"))
                .on_hover_text(tr(
                    ui.ctx(),
                    "将应用草图后的此图层导出为 GeoJSON",
                    "Export this layer with the sketches applied, as GeoJSON",
                ))
                .clicked()
            {
                commands.push(AppCommand::AskPath(PathPurpose::ExportSketchLayer(
                    layer.to_owned(),
                )));
            }
        });
    }
    if !orphans.is_empty() {
        ui.colored_label(
            egui::Color32::from_rgb(200, 50, 40),
            format!(
                "{} sketch(es) refer to features this plan edition lacks (kept): {}",
                orphans.len(),
                orphans.join(", ")
            ),
        );
    }
    ui.separator();
}
