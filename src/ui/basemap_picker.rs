//! The basemap picker (View › Basemap…): the built-in basemap, a local tile package or folder,
//! or an online server the user opts into, with the offline ("cache only") switch and the
//! user's Tianditu key. It only reports the pick; the app opens the source and refuses one
//! that cannot be read, saying why in the status bar.

use egui::{Context, Ui};

use super::tr;
use crate::command::AppCommand;
use crate::model::tile_basemap::{BasemapChoice, OnlineSource, TiandituLayer};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Kind {
    #[default]
    Builtin,
    Local,
    OpenStreetMap,
    Tianditu,
    Custom,
}

/// The picker's window and its text buffers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PickerState {
    pub open: bool,
    pub kind: Kind,
    pub path: String,
    /// For vector tiles: the user's style file (empty: the built-in style).
    pub style: String,
    pub template: String,
    pub attribution: String,
    pub tianditu: Option<TiandituLayer>,
    pub key: String,
    pub offline: bool,
}

impl PickerState {
    /// Opens the picker on the current choice and preferences.
    pub fn open_on(&mut self, choice: &BasemapChoice, key: &str, offline: bool) {
        *self = Self {
            open: true,
            key: key.to_owned(),
            offline,
            ..Default::default()
        };
        match choice {
            BasemapChoice::Builtin => {}
            BasemapChoice::Local { path, style, .. } => {
                self.kind = Kind::Local;
                self.path = path.clone();
                self.style = style.clone();
            }
            BasemapChoice::Online(OnlineSource::OpenStreetMap) => self.kind = Kind::OpenStreetMap,
            BasemapChoice::Online(OnlineSource::Tianditu(l)) => {
                self.kind = Kind::Tianditu;
                self.tianditu = Some(*l);
            }
            BasemapChoice::Online(OnlineSource::Custom {
                template,
                attribution,
                ..
            }) => {
                self.kind = Kind::Custom;
                self.template = template.clone();
                self.attribution = attribution.clone();
            }
        }
    }

    fn choice(&self) -> BasemapChoice {
        match self.kind {
            Kind::Builtin => BasemapChoice::Builtin,
            Kind::Local => BasemapChoice::Local {
                path: self.path.trim().to_owned(),
                attribution: String::new(),
                style: self.style.trim().to_owned(),
            },
            Kind::OpenStreetMap => BasemapChoice::Online(OnlineSource::OpenStreetMap),
            Kind::Tianditu => BasemapChoice::Online(OnlineSource::Tianditu(
                self.tianditu.unwrap_or(TiandituLayer::Vector),
            )),
            Kind::Custom => BasemapChoice::Online(OnlineSource::Custom {
                template: self.template.trim().to_owned(),
                attribution: self.attribution.trim().to_owned(),
                gcj02: false,
            }),
        }
    }
}

/// The picker window, while open.
pub fn basemap_picker_ui(ctx: &Context, state: &mut PickerState, commands: &mut Vec<AppCommand>) {
    if !state.open {
        return;
    }
    let mut open = true;
    egui::Window::new(tr(ctx, "底图", "Basemap"))
        .id(egui::Id::unique("onemap.basemap_picker"))
        .open(&mut open)
        .resizable(false)
        .show(ctx, |ui| picker_body(ui, state, commands));
    if !open {
        state.open = false;
    }
}

fn picker_body(ui: &mut Ui, state: &mut PickerState, commands: &mut Vec<AppCommand>) {
    let ctx = ui.ctx().clone();
    let t = |zh, en| tr(&ctx, zh, en);
    ui.radio_value(
        &mut state.kind,
        Kind::Builtin,
        t("内置矢量底图（离线）", "Built-in vector basemap (offline)"),
    );
    ui.radio_value(
        &mut state.kind,
        Kind::Local,
        t(
            "本地瓦片（.pmtiles、.mbtiles 或 {z}/{x}/{y} 文件夹）",
            "Local tiles (.pmtiles, .mbtiles or a {z}/{x}/{y} folder)",
        ),
    );
    if state.kind == Kind::Local {
        ui.horizontal(|ui| {
            let label = ui.label(t("路径", "Path"));
            ui.add(egui::TextEdit::singleline(&mut state.path).desired_width(280.0))
                .labelled_by(label.id);
            if ui.button(t("浏览…", "Browse…")).clicked() {
                commands.push(AppCommand::BrowseBasemap { style: false });
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label(t(
                "矢量瓦片的样式文件（可不填）",
                "Style file for vector tiles (optional)",
            ));
            ui.add(egui::TextEdit::singleline(&mut state.style).desired_width(160.0))
                .labelled_by(label.id);
            if ui.button(t("浏览…", "Browse…")).clicked() {
                commands.push(AppCommand::BrowseBasemap { style: true });
            }
        });
        ui.weak(t(
            "不填时：若瓦片文件旁有同名的样式文件则用它，否则用内置样式。",
            "Empty: NAME.style.json beside the tiles if there is one, else the built-in style.",
        ));
    }
    ui.separator();
    ui.label(t(
        "在线瓦片（仅在选择后联网）",
        "Online tiles (the network is used only once chosen)",
    ));
    ui.radio_value(&mut state.kind, Kind::OpenStreetMap, "OpenStreetMap");
    ui.radio_value(&mut state.kind, Kind::Tianditu, t("天地图", "Tianditu"));
    if state.kind == Kind::Tianditu {
        let layer = state.tianditu.get_or_insert(TiandituLayer::Vector);
        ui.horizontal(|ui| {
            for (l, zh, en) in [
                (TiandituLayer::Vector, "矢量", "Vector"),
                (TiandituLayer::Image, "影像", "Imagery"),
                (TiandituLayer::Annotation, "注记", "Annotation"),
            ] {
                ui.radio_value(layer, l, t(zh, en));
            }
        });
        ui.horizontal(|ui| {
            for (l, zh, en) in [
                (
                    TiandituLayer::VectorAnnotated,
                    "矢量 + 注记",
                    "Vector + annotation",
                ),
                (
                    TiandituLayer::ImageAnnotated,
                    "影像 + 注记",
                    "Imagery + annotation",
                ),
            ] {
                ui.radio_value(layer, l, t(zh, en));
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label(t(
                "密钥（保存在本机偏好设置，不写入项目）",
                "Key (kept in this computer's preferences, not in the project)",
            ));
            ui.add(egui::TextEdit::singleline(&mut state.key).desired_width(260.0))
                .labelled_by(label.id);
        });
    }
    ui.radio_value(
        &mut state.kind,
        Kind::Custom,
        t("自定义 URL 模板", "Custom URL template"),
    );
    if state.kind == Kind::Custom {
        ui.horizontal(|ui| {
            let label = ui.label("URL {z}/{x}/{y}");
            ui.add(egui::TextEdit::singleline(&mut state.template).desired_width(320.0))
                .labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            let label = ui.label(t("署名", "Attribution"));
            ui.add(egui::TextEdit::singleline(&mut state.attribution).desired_width(260.0))
                .labelled_by(label.id);
        });
    }
    ui.horizontal(|ui| {
        ui.checkbox(
            &mut state.offline,
            t("仅用缓存（离线）", "Cache only (offline)"),
        );
        if ui.button(t("清除瓦片缓存", "Clear tile cache")).clicked() {
            commands.push(AppCommand::ClearTileCache);
        }
    });
    ui.weak(t(
        "GCJ-02（火星坐标）瓦片会被拒绝：它们与 WGS84 规划图层错开数百米。",
        "GCJ-02 tiles are refused: they lie hundreds of metres off the WGS84 plan layers.",
    ));
    ui.separator();
    ui.horizontal(|ui| {
        if ui.button(t("应用", "Apply")).clicked() {
            commands.push(AppCommand::SetTilePreferences {
                tianditu_key: state.key.trim().to_owned(),
                offline: state.offline,
            });
            commands.push(AppCommand::PickBasemap(state.choice()));
            state.open = false;
        }
        if ui.button(t("取消", "Cancel")).clicked() {
            state.open = false;
        }
    });
}
