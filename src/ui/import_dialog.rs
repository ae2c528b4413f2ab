//! File › Import data…: what OneMap detected in a data file (format, tables, text encoding,
//! coordinate system declared or guessed, where the data lies, the first rows), and the
//! choices the import will make. A change of encoding or CSV columns asks the app to read the
//! file again; OK asks it to import. The dialog itself reads no file.

use egui::{Color32, Context, RichText, Ui};

use crate::command::AppCommand;
use crate::command::import::{
    CrsOption, DetectedColumns, ENCODINGS, Extent, ImportForm, ImportTable, ReadChoices, Source,
};
use crate::model::UiLanguage;
use crate::model::crs::{Accuracy, GUESS_REGION};

use super::{tr, ui_language};

/// The dialog's widest, in points; narrower windows get a narrower dialog.
const WIDTH: f32 = 640.0;
/// Room kept for the title bar and the buttons below the scrolling part.
const CHROME: f32 = 150.0;
/// About how tall the dialog is for a file of one table, for placing it in the middle.
const TYPICAL_HEIGHT: f32 = 560.0;
/// The longest attribute value the preview shows before cutting it short.
const PREVIEW_CHARS: usize = 24;

/// Shows the dialog; returns whether it closes.
pub fn import_dialog_ui(
    ctx: &Context,
    form: &mut ImportForm,
    commands: &mut Vec<AppCommand>,
) -> bool {
    let lang = ui_language(ctx);
    let screen = ctx.content_rect();
    let width = (screen.width() - 48.0).clamp(280.0, WIDTH);
    let mut close = false;
    // Anchored at its top, in the middle of the window: a dialog whose height changes with
    // the choices (a typed CRS, a warning) grows downwards instead of jumping under the
    // pointer, as a centred one would.
    let top = (screen.center().y - TYPICAL_HEIGHT / 2.0).max(screen.top() + 8.0);
    egui::Window::new(tr(ctx, "导入数据", "Import data"))
        // Its own place: the path dialog before it has the same title (and so egui's id).
        .id(egui::Id::unique("import_data_dialog"))
        .pivot(egui::Align2::CENTER_TOP)
        .default_pos(egui::pos2(super::centre_of(ctx).x, top))
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            ui.set_width(width);
            egui::ScrollArea::vertical()
                .max_height((screen.bottom() - top - CHROME).max(120.0))
                .show(ui, |ui| {
                    file_ui(ui, lang, form);
                    tables_ui(ui, lang, form);
                    encoding_ui(ui, lang, form, commands);
                    csv_ui(ui, lang, form, commands);
                    ui.separator();
                    let several = form.tables.len() > 1;
                    if let Some(table) = form.tables.get_mut(form.current) {
                        crs_ui(ui, lang, table, several);
                        extent_ui(ui, lang, table);
                        preview_ui(ui, lang, table);
                    }
                });
            ui.separator();
            close = buttons_ui(ui, lang, form, commands);
        });
    close
}

fn warn(ui: &Ui) -> Color32 {
    ui.visuals().warn_fg_color
}

fn error(ui: &Ui) -> Color32 {
    ui.visuals().error_fg_color
}

fn file_ui(ui: &mut Ui, lang: UiLanguage, form: &ImportForm) {
    ui.add(egui::Label::new(RichText::new(form.path.display().to_string()).weak()).wrap());
    ui.label(format!(
        "{}{}",
        lang.pick("格式：", "Format: "),
        form.format
    ));
}

/// One row per table: ticked to import, its name (a click shows its details), its feature
/// count and geometry types.
fn tables_ui(ui: &mut Ui, lang: UiLanguage, form: &mut ImportForm) {
    let several = form.tables.len() > 1;
    egui::Grid::new("import_tables")
        .num_columns(3)
        .striped(several)
        .show(ui, |ui| {
            for (i, table) in form.tables.iter_mut().enumerate() {
                let name = if table.name.is_empty() {
                    lang.pick("（无名）", "(unnamed)").to_owned()
                } else {
                    table.name.clone()
                };
                if several {
                    ui.horizontal(|ui| {
                        ui.checkbox(&mut table.import, "")
                            .on_hover_text(lang.pick("导入此表", "Import this table"));
                        if ui.selectable_label(form.current == i, &name).clicked() {
                            form.current = i;
                        }
                    });
                } else {
                    ui.label(format!("{}{name}", lang.pick("表：", "Table: ")));
                }
                ui.label(match lang {
                    UiLanguage::Chinese => format!("{} 个要素", table.features),
                    UiLanguage::English => format!("{} features", table.features),
                });
                ui.label(geometry_words(lang, table));
                ui.end_row();
            }
        });
}

fn geometry_words(lang: UiLanguage, table: &ImportTable) -> String {
    let word = |kind: &str| match (lang, kind) {
        (UiLanguage::English, _) => kind.to_owned(),
        (_, "Point") => "点".into(),
        (_, "MultiPoint") => "多点".into(),
        (_, "LineString") => "线".into(),
        (_, "MultiLineString") => "多线".into(),
        (_, "Polygon") => "面".into(),
        (_, "MultiPolygon") => "多面".into(),
        (_, "None") => "无几何".into(),
        (_, other) => other.to_owned(),
    };
    let parts: Vec<String> = table
        .geometry_types
        .iter()
        .map(|(kind, n)| format!("{} {n}", word(kind)))
        .collect();
    parts.join(lang.pick("，", ", "))
}

/// The text encoding, declared or guessed, and a choice of others: a change reads the file
/// again, so that the preview shows whether 中文 comes out right.
fn encoding_ui(
    ui: &mut Ui,
    lang: UiLanguage,
    form: &mut ImportForm,
    commands: &mut Vec<AppCommand>,
) {
    let Some(encoding) = &form.encoding else {
        ui.label(lang.pick(
            "文本编码：UTF-8（此格式规定）",
            "Text encoding: UTF-8 (as the format requires)",
        ));
        return;
    };
    let mut picked = encoding.name.clone();
    ui.horizontal(|ui| {
        let label = ui.label(lang.pick("文本编码：", "Text encoding:"));
        egui::ComboBox::from_id_salt("import_encoding")
            .selected_text(&encoding.name)
            .show_ui(ui, |ui| {
                for name in ENCODINGS {
                    ui.selectable_value(&mut picked, name.to_owned(), name);
                }
            })
            .response
            .labelled_by(label.id);
        ui.label(format!("({})", encoding.source.word(lang)));
        if form.rereading {
            ui.spinner();
        }
    });
    if picked != encoding.name {
        commands.push(AppCommand::RereadData(ReadChoices {
            encoding: Some(picked),
            csv_columns: form.read.csv_columns.clone(),
        }));
    }
    if let Some(e) = &form.reread_error {
        let text = format!(
            "{}{}",
            lang.pick("重新读取失败：", "Reading again failed: "),
            e.pick(lang)
        );
        ui.add(egui::Label::new(RichText::new(text).color(error(ui))).wrap());
    }
}

/// A CSV's x and y columns: every column of the header in both lists, the detected ones
/// shown until the user picks a pair (then the file is read again with it). Where none were
/// detected, why, naming the file.
fn csv_ui(ui: &mut Ui, lang: UiLanguage, form: &mut ImportForm, commands: &mut Vec<AppCommand>) {
    let encoding = form.read.encoding.clone();
    let Some(csv) = form.csv.as_mut() else {
        return;
    };
    let (detected_x, detected_y) = match &csv.detected {
        Some(DetectedColumns::Pair(x, y)) => (x.clone(), y.clone()),
        _ => Default::default(),
    };
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        let columns = [
            ("csv_x", "X", &mut csv.x, detected_x),
            ("csv_y", "Y", &mut csv.y, detected_y),
        ];
        for (id, word, column, detected) in columns {
            let label = ui.label(match lang {
                UiLanguage::Chinese => format!("{word} 列："),
                UiLanguage::English => format!("{word} column:"),
            });
            let shown = match (column.is_empty(), detected.is_empty()) {
                (false, _) => column.clone(),
                (true, false) => detected,
                (true, true) => lang.pick("（请选择）", "(pick one)").to_owned(),
            };
            egui::ComboBox::from_id_salt(id)
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for name in &csv.header {
                        changed |= ui.selectable_value(column, name.clone(), name).changed();
                    }
                })
                .response
                .labelled_by(label.id);
        }
    });
    let detected = match (&csv.detected, lang) {
        (Some(DetectedColumns::Pair(x, y)), UiLanguage::Chinese) => {
            format!("自动识别的坐标列：X {x}，Y {y}")
        }
        (Some(DetectedColumns::Pair(x, y)), UiLanguage::English) => {
            format!("Coordinate columns detected: X {x}, Y {y}")
        }
        (Some(DetectedColumns::Wkt(column)), UiLanguage::Chinese) => {
            format!("几何取自 WKT 列 {column}；选择 X、Y 两列则改用坐标列")
        }
        (Some(DetectedColumns::Wkt(column)), UiLanguage::English) => {
            format!("Geometry from the WKT column {column}; pick X and Y to use two columns")
        }
        (None, _) => String::new(),
    };
    if !detected.is_empty() {
        ui.add(egui::Label::new(RichText::new(detected).weak()).wrap());
    }
    if let Some(refused) = &csv.refused {
        let text = refused.pick(lang).to_owned();
        ui.add(egui::Label::new(RichText::new(text).color(error(ui))).wrap());
    }
    let picked = !csv.x.is_empty() && !csv.y.is_empty() && csv.x != csv.y;
    if changed && picked {
        commands.push(AppCommand::RereadData(ReadChoices {
            encoding,
            csv_columns: Some((csv.x.clone(), csv.y.clone())),
        }));
    }
}

/// The table's coordinate system: what the file declares or the best guess, the other
/// candidates, or one typed in; why it is proposed and how accurate it is.
fn crs_ui(ui: &mut Ui, lang: UiLanguage, table: &mut ImportTable, several: bool) {
    let heading = match (lang, several) {
        (UiLanguage::Chinese, true) => format!("{} 的坐标系", table.name),
        (UiLanguage::English, true) => format!("Coordinate system of {}", table.name),
        (_, false) => lang.pick("坐标系", "Coordinate system").to_owned(),
    };
    ui.strong(heading);
    // The user has now seen this table's CRS: a guess may be used once confirmed with OK.
    table.crs.seen = true;
    if table.crs.problem.is_some() {
        let text = match lang {
            UiLanguage::Chinese => {
                "文件声明的坐标系 OneMap 无法识别：请确认推测的坐标系或另选。".to_owned()
            }
            UiLanguage::English => table.crs.problem.clone().unwrap_or_default(),
        };
        ui.add(egui::Label::new(RichText::new(text).color(warn(ui))).wrap());
    }
    let detected = match table.crs.options.first() {
        Some(first) if first.source != Source::Chosen => option_words(lang, first),
        _ => lang
            .pick(
                "无：文件未声明，坐标也无从推测",
                "nothing: the file declares none and no guess fits",
            )
            .to_owned(),
    };
    ui.label(format!(
        "{}{detected}",
        lang.pick("检测结果：", "Detected: ")
    ));
    let other = lang.pick(
        "其他（输入 EPSG 代码或 PROJ 字符串）…",
        "Other (type EPSG:N or a PROJ string)…",
    );
    let selected = match table.crs.pick.and_then(|i| table.crs.options.get(i)) {
        Some(option) => option_words(lang, option),
        None => other.to_owned(),
    };
    let mut pick = table.crs.pick;
    ui.horizontal(|ui| {
        let label = ui.label(lang.pick("使用：", "Use:"));
        egui::ComboBox::from_id_salt("import_crs")
            .selected_text(selected)
            .width(ui.available_width() - 8.0)
            .show_ui(ui, |ui| {
                for (i, option) in table.crs.options.iter().enumerate() {
                    ui.selectable_value(&mut pick, Some(i), option_words(lang, option));
                }
                ui.selectable_value(&mut pick, None, other);
            })
            .response
            .labelled_by(label.id);
    });
    table.crs.pick = pick;
    match pick.and_then(|i| table.crs.options.get(i)) {
        Some(option) => reason_ui(ui, lang, option),
        None => typed_ui(ui, lang, table),
    }
    if let Ok((crs, _)) = table.crs.chosen() {
        let text = format!(
            "{}{}",
            lang.pick("精度：", "Accuracy: "),
            accuracy_words(lang, &crs.accuracy())
        );
        ui.add(egui::Label::new(RichText::new(text).weak()).wrap());
    }
}

/// A CRS in the list: its name and whether the file declared it or the coordinates suggest it.
fn option_words(lang: UiLanguage, option: &CrsOption) -> String {
    match option.source {
        Source::Declared | Source::Guessed => {
            format!(
                "{} — {}",
                option.crs.label_in(lang),
                option.source.word(lang)
            )
        }
        Source::Chosen => option.crs.label_in(lang),
    }
}

fn reason_ui(ui: &mut Ui, lang: UiLanguage, option: &CrsOption) {
    let text = match (lang, option.inside_region) {
        (_, None) => return,
        (UiLanguage::English, Some(_)) => format!("Why: {}", option.reason),
        (UiLanguage::Chinese, Some(inside)) => format!(
            "依据：按坐标数值推测；用此坐标系，{:.0}% 的点落在规划区域（{}–{}°E，{}–{}°N）内",
            inside * 100.0,
            GUESS_REGION.west,
            GUESS_REGION.east,
            GUESS_REGION.south,
            GUESS_REGION.north
        ),
    };
    ui.add(egui::Label::new(RichText::new(text).weak()).wrap());
}

/// The typed CRS, checked as it is typed.
fn typed_ui(ui: &mut Ui, lang: UiLanguage, table: &mut ImportTable) {
    let label = ui.label(lang.pick(
        "坐标系（EPSG:4528、gcj02、bd09 或 +proj=… 字符串）",
        "Coordinate system (EPSG:4528, gcj02, bd09 or a +proj=… string)",
    ));
    let field = egui::TextEdit::singleline(&mut table.crs.typed)
        .hint_text("EPSG:4528")
        .desired_width(f32::INFINITY);
    ui.add(field).labelled_by(label.id);
    if table.crs.typed.trim().is_empty() {
        return;
    }
    match table.crs.chosen() {
        Ok((crs, _)) => {
            ui.label(crs.label_in(lang));
        }
        Err(e) => {
            let text = e.words(lang);
            ui.add(egui::Label::new(RichText::new(text).color(error(ui))).wrap());
        }
    }
}

/// What `Accuracy::describe` says, in the interface language.
fn accuracy_words(lang: UiLanguage, accuracy: &Accuracy) -> String {
    if lang == UiLanguage::English {
        return accuracy.describe();
    }
    match accuracy {
        Accuracy::Exact => "精确：与 PROJ 相差不超过 1 毫米".into(),
        Accuracy::Cgcs2000AsWgs84 => {
            "与 PROJ 相差不超过 1 毫米；CGCS2000 视同 WGS 84（PROJ 亦如此），两者相差远小于 1 米"
                .into()
        }
        Accuracy::Published {
            transformation,
            metres,
        } => format!(
            "按 {transformation} 做基准转换，发布的精度为 {metres} 米（在推导它的黄海沿岸）；更南的陆地上其误差未发布"
        ),
        Accuracy::NoPublishedShift { up_to_metres } => format!(
            "基准转换未知：没有发布的到 WGS 84 的转换参数，经纬度按原值使用（PROJ 亦如此）；预计误差数十米，最大约 {up_to_metres} 米（数量级，非实测：北京 1954 在本区域这一简化与 EPSG:15919 相差约 70 米）。用本地控制点得出的带 +towgs84 的 PROJ 字符串更准确"
        ),
        Accuracy::WebMapAlgorithm => "按公开的加偏算法反算，精度 1e-10°（约 0.01 毫米）".into(),
        Accuracy::AsDefined => {
            "按 PROJ 字符串的定义：只有给出 +towgs84 或 +datum 时才做基准转换".into()
        }
    }
}

/// Where the table lies in WGS84 with the chosen CRS, and a warning when that is outside the
/// plan region (a wrong CRS, most often).
fn extent_ui(ui: &mut Ui, lang: UiLanguage, table: &mut ImportTable) {
    if table.sample.is_empty() {
        ui.label(lang.pick("没有坐标", "No coordinates"));
        return;
    }
    let Some(Extent {
        rect,
        inside_region,
    }) = table.extent()
    else {
        if table.crs.chosen().is_ok() {
            let text = lang.pick(
                "用此坐标系，坐标不在地球上：请另选坐标系",
                "With this coordinate system the coordinates are not on the earth: choose another",
            );
            ui.add(egui::Label::new(RichText::new(text).color(error(ui))).wrap());
        }
        return;
    };
    let (min, max) = (rect.min(), rect.max());
    ui.label(format!(
        "{}{:.4}–{:.4}°E{}{:.4}–{:.4}°N",
        lang.pick("范围（WGS84）：", "Extent (WGS84): "),
        min.x,
        max.x,
        lang.pick("，", ", "),
        min.y,
        max.y
    ));
    let warning = if inside_region <= 0.0 {
        Some(
            lang.pick(
                "全部位于规划区域之外：坐标系可能不对",
                "Entirely outside the plan region: is the coordinate system right?",
            )
            .to_owned(),
        )
    } else if inside_region < 1.0 {
        let outside = ((1.0 - inside_region) * 100.0).ceil();
        Some(match lang {
            UiLanguage::Chinese => format!("约 {outside:.0}% 的点位于规划区域之外"),
            UiLanguage::English => {
                format!("About {outside:.0}% of the points lie outside the plan region")
            }
        })
    } else {
        None
    };
    if let Some(text) = warning {
        ui.add(egui::Label::new(RichText::new(text).color(warn(ui))).wrap());
    }
}

/// The first rows' attributes, so that the user sees whether the text reads right.
fn preview_ui(ui: &mut Ui, lang: UiLanguage, table: &ImportTable) {
    if !table.skipped.is_empty() {
        let text = format!(
            "{}{}",
            lang.pick("未读取：", "Not read: "),
            table.skipped.join("; ")
        );
        ui.add(egui::Label::new(RichText::new(text).color(warn(ui))).wrap());
    }
    if table.fields.is_empty() {
        ui.label(lang.pick("没有属性字段", "No attribute fields"));
        return;
    }
    ui.strong(lang.pick("前几行", "First rows"));
    egui::ScrollArea::horizontal()
        .id_salt("import_preview")
        .show(ui, |ui| {
            egui::Grid::new("import_preview_grid")
                .striped(true)
                .show(ui, |ui| {
                    for field in &table.fields {
                        ui.strong(field);
                    }
                    ui.end_row();
                    for row in &table.preview {
                        for value in row {
                            ui.label(cut(value));
                        }
                        ui.end_row();
                    }
                });
        });
}

fn cut(value: &str) -> String {
    if value.chars().count() <= PREVIEW_CHARS {
        value.to_owned()
    } else {
        let head: String = value.chars().take(PREVIEW_CHARS - 1).collect();
        format!("{head}…")
    }
}

/// OK names the CRS it will use; it is greyed out, with the reason beside it, until the
/// choices can be imported. Returns whether the dialog closes.
fn buttons_ui(
    ui: &mut Ui,
    lang: UiLanguage,
    form: &ImportForm,
    commands: &mut Vec<AppCommand>,
) -> bool {
    let mut close = false;
    let request = form.request(lang);
    ui.horizontal_wrapped(|ui| {
        let ok = egui::Button::new(form.ok_label(lang));
        if ui.add_enabled(request.is_ok(), ok).clicked()
            && let Ok(request) = &request
        {
            commands.push(AppCommand::ImportData(request.clone()));
            close = true;
        }
        if ui.button(lang.pick("取消", "Cancel")).clicked() {
            if form.rereading {
                commands.push(AppCommand::CancelImport);
            }
            close = true;
        }
    });
    if let Err(why) = &request {
        ui.add(egui::Label::new(RichText::new(why).color(warn(ui))).wrap());
    }
    close
}
