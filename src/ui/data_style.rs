//! A data layer's style and label field, as the layers panel edits them: stroke colour and
//! width, fill colour and opacity, point symbol and size, in a popup like the plan layers'
//! colour menu. Each change is the project's style override for `sketch:ID`, one undoable
//! edit; "reset" drops the override. Sliders change the style when they are let go, so that a
//! drag is one step and a large layer is restyled once, not every frame of the drag.

use egui::{Ui, vec2};

use super::tr;
use crate::command::AppCommand;
use crate::edit::Edit;
use crate::model::style::{DATA_LAYER_PREFIX, Paint, Rgba, Symbol};

/// Colours offered: distinct on the basemap and for colour-blind eyes (as the plan layers').
pub const PALETTE: [(u8, u8, u8); 8] = [
    (213, 94, 0),
    (0, 114, 178),
    (0, 158, 115),
    (204, 121, 167),
    (230, 159, 0),
    (86, 180, 233),
    (120, 40, 20),
    (60, 60, 60),
];

/// The symbols offered: the glyph shown, and the name in Chinese and English.
const SYMBOLS: [(Symbol, &str, &str, &str); 5] = [
    (Symbol::Circle, "●", "圆", "circle"),
    (Symbol::Square, "■", "方", "square"),
    (Symbol::Diamond, "◆", "菱形", "diamond"),
    (Symbol::Triangle, "▲", "三角", "triangle"),
    (Symbol::Star, "★", "星", "star"),
];

/// The fill alpha a colour gets when the layer had no fill.
const DEFAULT_FILL_ALPHA: u8 = 60;

/// What the style popup edits: the layer, its override and the paint it is drawn with.
pub struct DataStyle<'a> {
    pub layer_id: &'a str,
    /// The project's override for the layer, if any.
    pub own: Option<&'a Paint>,
    /// The shared data-layer style with the override applied: what the map draws.
    pub effective: Paint,
}

impl DataStyle<'_> {
    fn style_id(&self) -> String {
        format!("{DATA_LAYER_PREFIX}{}", self.layer_id)
    }

    /// The edit that sets the override to the current one with `change` made.
    fn edit(&self, change: impl FnOnce(&mut Paint)) -> AppCommand {
        let mut paint = self.own.cloned().unwrap_or_default();
        change(&mut paint);
        AppCommand::Edit(Box::new(Edit::SetStyleOverride {
            layer: self.style_id(),
            paint: Some(paint),
        }))
    }
}

/// The style popup's contents.
pub fn data_style_ui(ui: &mut Ui, style: &DataStyle<'_>, commands: &mut Vec<AppCommand>) {
    let p = &style.effective;
    egui::Grid::new(("data_style", style.layer_id))
        .num_columns(2)
        .spacing(vec2(8.0, 6.0))
        .show(ui, |ui| {
            ui.label(tr(ui.ctx(), "描边颜色", "Stroke colour"));
            if let Some((r, g, b)) = palette_ui(ui, tr(ui.ctx(), "描边颜色", "Stroke colour")) {
                let alpha = p.stroke.map_or(255, |s| s.3);
                commands.push(style.edit(|o| o.stroke = Some(Rgba(r, g, b, alpha))));
            }
            ui.end_row();
            ui.label(tr(ui.ctx(), "线宽", "Width"));
            let width = p.width_px.unwrap_or(1.0);
            if let Some(w) =
                slider_on_release(ui, tr(ui.ctx(), "线宽", "Width"), width, 0.5..=8.0, |v| {
                    format!("{v:.1} px")
                })
            {
                commands.push(style.edit(|o| o.width_px = Some(w)));
            }
            ui.end_row();
            ui.label(tr(ui.ctx(), "填充颜色", "Fill colour"));
            if let Some((r, g, b)) = palette_ui(ui, tr(ui.ctx(), "填充颜色", "Fill colour")) {
                let alpha = p.fill.map(|f| f.3).filter(|a| *a > 0);
                let alpha = alpha.unwrap_or(DEFAULT_FILL_ALPHA);
                commands.push(style.edit(|o| o.fill = Some(Rgba(r, g, b, alpha))));
            }
            ui.end_row();
            ui.label(tr(ui.ctx(), "填充不透明度", "Fill opacity"));
            let fill = p.fill.unwrap_or(Rgba(0, 0, 0, 0));
            let opacity = f32::from(fill.3) / 255.0;
            if let Some(o) = slider_on_release(
                ui,
                tr(ui.ctx(), "填充不透明度", "Fill opacity"),
                opacity,
                0.0..=1.0,
                |v| format!("{:.0} %", v * 100.0),
            ) {
                let alpha = (o * 255.0).round() as u8;
                commands.push(style.edit(|p| p.fill = Some(Rgba(fill.0, fill.1, fill.2, alpha))));
            }
            ui.end_row();
            ui.label(tr(ui.ctx(), "点符号", "Point symbol"));
            ui.horizontal(|ui| {
                for (symbol, glyph, zh, en) in SYMBOLS {
                    let response = ui.selectable_label(p.symbol == Some(symbol), glyph);
                    let name = format!(
                        "{} {}",
                        tr(ui.ctx(), "点符号", "Point symbol"),
                        tr(ui.ctx(), zh, en)
                    );
                    response.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::Button, true, name.clone())
                    });
                    if response.clicked() {
                        commands.push(style.edit(|o| o.symbol = Some(symbol)));
                    }
                }
            });
            ui.end_row();
            ui.label(tr(ui.ctx(), "符号大小", "Symbol size"));
            let size = p.symbol_px.unwrap_or(7.0);
            if let Some(s) = slider_on_release(
                ui,
                tr(ui.ctx(), "符号大小", "Symbol size"),
                size,
                3.0..=24.0,
                |v| format!("{v:.0} px"),
            ) {
                commands.push(style.edit(|o| o.symbol_px = Some(s)));
            }
            ui.end_row();
        });
    ui.separator();
    if ui
        .add_enabled(
            style.own.is_some(),
            egui::Button::new(tr(ui.ctx(), "还原为默认样式", "Reset to default")),
        )
        .clicked()
    {
        commands.push(AppCommand::Edit(Box::new(Edit::SetStyleOverride {
            layer: style.style_id(),
            paint: None,
        })));
        ui.close();
    }
}

/// A row of colour swatches; the one clicked.
fn palette_ui(ui: &mut Ui, what: &str) -> Option<(u8, u8, u8)> {
    let mut chosen = None;
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 3.0;
        for (r, g, b) in PALETTE {
            let (rect, response) = ui.allocate_exact_size(vec2(18.0, 14.0), egui::Sense::click());
            ui.painter()
                .rect_filled(rect, 2.0, egui::Color32::from_rgb(r, g, b));
            if response.hovered() {
                ui.painter().rect_stroke(
                    rect,
                    2.0,
                    egui::Stroke::new(1.5, ui.visuals().strong_text_color()),
                    egui::StrokeKind::Outside,
                );
            }
            let name = format!("{what} {r},{g},{b}");
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
            if response.clicked() {
                chosen = Some((r, g, b));
            }
        }
    });
    chosen
}

/// A slider whose new value is given when it is let go (or changed by the keyboard), so that
/// a drag is one edit; while it is held, the value shown is kept in the UI's memory.
fn slider_on_release(
    ui: &mut Ui,
    name: &str,
    current: f32,
    range: std::ops::RangeInclusive<f32>,
    format_value: impl Fn(f32) -> String,
) -> Option<f32> {
    let id = ui.scope_id().with(("data_style_slider", name));
    let held_value = ui.data(|d| d.get_temp::<f32>(id));
    let mut value = held_value.unwrap_or(current);
    // Without the slider's own number field, which rounds the value it shows and so would
    // change the style by itself.
    let response = ui
        .horizontal(|ui| {
            let response = ui.add(egui::Slider::new(&mut value, range).show_value(false));
            ui.weak(format_value(value));
            response
        })
        .inner;
    response.widget_info(|| egui::WidgetInfo::slider(true, f64::from(value), name));
    if response.is_pointer_button_down_on() {
        ui.data_mut(|d| d.insert_temp(id, value));
        return None;
    }
    ui.data_mut(|d| d.remove::<f32>(id));
    // Only the user's change: the slider alone may round the value it shows.
    let touched = held_value.is_some() || response.changed();
    (touched && (value - current).abs() > 1e-4).then_some(value)
}

/// The label-field drop-down: the layer's fields in the file's order, or none.
pub fn label_field_ui(
    ui: &mut Ui,
    layer_id: &str,
    current: Option<&str>,
    fields: &[String],
    commands: &mut Vec<AppCommand>,
) {
    let name = tr(ui.ctx(), "标注字段", "Label field");
    let none = tr(ui.ctx(), "（无）", "(none)");
    let label = ui.label(tr(ui.ctx(), "标注", "Label"));
    let mut chosen: Option<Option<String>> = None;
    let response = egui::ComboBox::from_id_salt(("label_field", layer_id))
        .selected_text(current.unwrap_or(none))
        .width(110.0)
        .show_ui(ui, |ui| {
            if ui.selectable_label(current.is_none(), none).clicked() {
                chosen = Some(None);
            }
            for field in fields {
                if ui
                    .selectable_label(current == Some(field.as_str()), field)
                    .clicked()
                {
                    chosen = Some(Some(field.clone()));
                }
            }
        })
        .response
        .labelled_by(label.id)
        .on_hover_text(tr(
            ui.ctx(),
            "以此字段的值命名并标注每个要素",
            "Name and label each feature by this field's value",
        ));
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, name));
    if let Some(field) = chosen
        && field.as_deref() != current
    {
        commands.push(AppCommand::Edit(Box::new(Edit::SetSketchLabelField {
            id: layer_id.to_owned(),
            field,
        })));
    }
}
