//! The inspector of a data layer's feature: its layer, and every attribute (name, value) in the
//! file's order, as read (the names OneMap gives it for the map are not attributes).

use egui::{RichText, Ui};
use geo::{BoundingRect, Geometry};

use super::tr;
use crate::command::AppCommand;
use crate::doc::ImportedFeature;
use crate::doc::document::{attribute_text, data_feature_id};

/// What the inspector shows of one data-layer feature.
pub struct DataFeatureView<'a> {
    pub layer_id: &'a str,
    pub layer_name: &'a str,
    pub index: usize,
    /// How many features the layer has.
    pub count: usize,
    /// The feature's name as the map and search know it (label field, name field, or layer).
    pub title: &'a str,
    pub feature: &'a ImportedFeature,
    /// The layer's fields in the file's order.
    pub fields: &'a [String],
    pub label_field: Option<&'a str>,
    /// Review mode: nothing can be copied into the project.
    pub read_only: bool,
}

/// The kind of a geometry in words, with its number of parts when it has several.
fn geometry_words(ctx: &egui::Context, g: &Geometry<f64>) -> String {
    let (zh, en, parts) = match g {
        Geometry::Point(_) => ("点", "point", 1),
        Geometry::MultiPoint(m) => ("点", "point", m.0.len()),
        Geometry::Line(_) | Geometry::LineString(_) => ("线", "line", 1),
        Geometry::MultiLineString(m) => ("线", "line", m.0.len()),
        Geometry::Polygon(_) | Geometry::Rect(_) | Geometry::Triangle(_) => ("面", "polygon", 1),
        Geometry::MultiPolygon(m) => ("面", "polygon", m.0.len()),
        Geometry::GeometryCollection(c) => ("几何集合", "geometry collection", c.0.len()),
    };
    let kind = tr(ctx, zh, en);
    match parts {
        1 => kind.to_owned(),
        n => format!("{kind} × {n}"),
    }
}

pub fn data_feature_ui(ui: &mut Ui, view: &DataFeatureView<'_>, commands: &mut Vec<AppCommand>) {
    ui.horizontal(|ui| {
        ui.heading(view.title);
        if ui.button(tr(ui.ctx(), "关闭", "Close")).clicked() {
            commands.push(AppCommand::Select(None));
        }
    });
    ui.label(format!(
        "{}: {} · {} {} / {} · {}",
        tr(ui.ctx(), "数据图层", "Data layer"),
        view.layer_name,
        tr(ui.ctx(), "要素", "feature"),
        view.index + 1,
        view.count,
        geometry_words(ui.ctx(), &view.feature.geometry)
    ));
    ui.weak(tr(
        ui.ctx(),
        "导入的数据，并非规划图",
        "Imported data, not the plan's map",
    ));
    ui.horizontal(|ui| {
        if let Some(bbox) = view.feature.geometry.bounding_rect()
            && ui.button(tr(ui.ctx(), "缩放至", "Zoom to")).clicked()
        {
            commands.push(AppCommand::ZoomTo(bbox));
        }
        if !view.read_only
            && ui
                .button(tr(ui.ctx(), "复制为规划项目", "Copy to placements"))
                .on_hover_text(tr(
                    ui.ctx(),
                    "以此要素的几何新建规划项目（示意），一步撤销",
                    "A new placement with this feature's geometry (indicative), one undo step",
                ))
                .clicked()
        {
            commands.push(AppCommand::CopyToPlacements(vec![data_feature_id(
                view.layer_id,
                view.index,
            )]));
        }
        if ui.button(tr(ui.ctx(), "表格", "Table")).clicked() {
            commands.push(AppCommand::ToggleDataTable(view.layer_id.to_owned()));
        }
    });
    ui.separator();
    egui::ScrollArea::vertical().show(ui, |ui| {
        egui::Grid::new("data_feature_attributes")
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                for field in view.fields {
                    let Some(value) = view.feature.properties.get(field) else {
                        continue;
                    };
                    let name = RichText::new(field).strong();
                    let response = ui.label(name);
                    if view.label_field == Some(field.as_str()) {
                        response.on_hover_text(tr(
                            ui.ctx(),
                            "标注字段：地图以此值标注",
                            "Label field: the map labels features by it",
                        ));
                    }
                    ui.add(egui::Label::new(attribute_text(value)).wrap());
                    ui.end_row();
                }
            });
    });
}
