//! Help: the keyboard-shortcut sheet (F1), the first-run quick start, and where the user guide
//! is. The windows push commands; the app remembers a quick start dismissed for good.

use std::path::Path;

use egui::{Context, RichText};

use crate::command::{AppCommand, Tool};

use super::{tr, ui_language};

/// The shortcuts the app answers to, as `app::shortcuts`, `ui::tools::tool_keys` and presenter
/// mode read them: keys, then what they do (Chinese, English). The tools' keys come from
/// [`Tool::key`] itself, see [`tool_rows`].
pub const SHORTCUTS: &[(&str, &str, &str)] = &[
    ("F1", "快捷键一览", "This sheet of shortcuts"),
    ("Ctrl+N", "新建项目", "New project"),
    ("Ctrl+O", "打开项目", "Open a project"),
    ("Ctrl+S", "保存", "Save"),
    ("Ctrl+Shift+S", "另存为", "Save as"),
    ("Ctrl+Z", "撤销", "Undo"),
    ("Ctrl+Shift+Z / Ctrl+Y", "重做", "Redo"),
    (
        "Ctrl+C / Ctrl+X / Ctrl+V",
        "复制 / 剪切 / 粘贴项目布局",
        "Copy / cut / paste placements",
    ),
    ("Ctrl+D", "创建副本", "Duplicate"),
    (
        "Del",
        "删除所选（或所选顶点）",
        "Delete the selection (or the selected vertex)",
    ),
    ("+ / = / -", "放大 / 缩小", "Zoom in / out"),
    ("0", "显示整个规划范围", "Fit the whole plan area"),
    (
        "Esc",
        "取消绘制或取消选择",
        "Cancel the drawing, or clear the selection",
    ),
    ("Enter", "完成线或面", "Finish a line or polygon"),
    (
        "Backspace",
        "删除刚画的顶点",
        "Remove the last vertex drawn",
    ),
    (
        "S",
        "吸附开关（按住 Alt 自由绘制）",
        "Snap on or off (hold Alt to draw freely)",
    ),
    ("T", "项目表", "Placement table"),
    ("F5", "演示场景", "Present the scenes"),
    (
        "→ / Space / PgDn, ← / PgUp",
        "演示时：下一场景，上一场景",
        "Presenting: next scene, previous scene",
    ),
    ("H", "演示时：高对比度", "Presenting: high contrast"),
    ("Esc / F5", "演示时：退出", "Presenting: stop"),
];

/// A row per tool: its key, as [`Tool::key`] has it, and its name.
pub fn tool_rows(lang: crate::model::UiLanguage) -> Vec<(String, &'static str)> {
    Tool::ALL
        .iter()
        .map(|t| (format!("{:?}", t.key()), t.label(lang)))
        .collect()
}

/// How many of [`SHORTCUTS`] the sheet's first column holds (files, editing, the view); the
/// second has the tools, snapping, the table and presenting. Two columns of about fifteen
/// rows fit the smallest window without scrolling.
const FIRST_COLUMN: usize = 15;

/// The sheet's two columns: keys and what they do, in the interface language.
fn shortcut_columns(lang: crate::model::UiLanguage) -> [Vec<(String, String)>; 2] {
    let row =
        |(keys, zh, en): &(&str, &str, &str)| ((*keys).to_owned(), lang.pick(zh, en).to_owned());
    let (first, rest) = SHORTCUTS.split_at(FIRST_COLUMN);
    let tool_word = lang.pick("工具：", "Tool:");
    let mut second: Vec<(String, String)> = tool_rows(lang)
        .into_iter()
        .map(|(key, name)| (key, format!("{tool_word} {name}")))
        .collect();
    second.extend(rest.iter().map(row));
    [first.iter().map(row).collect(), second]
}

/// A window that sizes itself to its content takes a few frames to settle after it opens (its
/// grids measure their columns, then the window its content). When the user has only pressed a
/// key, nothing else asks for those frames and the window stays half-grown, its right part cut
/// off, until the pointer moves: so it asks for them itself, for its first few frames.
fn settle(ctx: &Context, id: egui::Id) {
    const FRAMES: u64 = 4;
    let now = ctx.cumulative_frame_nr();
    let (first, last) = ctx
        .data(|d| d.get_temp::<(u64, u64)>(id))
        .unwrap_or((now, now));
    // Not shown in the frame before: it has just opened.
    let first = if now > last + 1 { now } else { first };
    ctx.data_mut(|d| d.insert_temp(id, (first, now)));
    if now - first < FRAMES {
        ctx.request_repaint();
    }
}

/// The shortcut sheet, as large as its rows: nothing is hidden below an edge, and it fits the
/// app's smallest window.
pub fn shortcuts_window(ctx: &Context, commands: &mut Vec<AppCommand>) {
    let lang = ui_language(ctx);
    settle(ctx, egui::Id::unique("onemap-shortcuts-settle"));
    let mut open = true;
    egui::Window::new(tr(ctx, "键盘快捷键", "Keyboard shortcuts"))
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(super::centre_of(ctx))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            ui.horizontal_top(|ui| {
                let [first, second] = shortcut_columns(lang);
                shortcut_grid(ui, "shortcuts-general", &first);
                ui.separator();
                shortcut_grid(ui, "shortcuts-tools", &second);
            });
        });
    if !open {
        commands.push(AppCommand::ShowShortcuts(false));
    }
}

fn shortcut_grid(ui: &mut egui::Ui, id: &str, rows: &[(String, String)]) {
    egui::Grid::new(id)
        .striped(true)
        .num_columns(2)
        .show(ui, |ui| {
            for (keys, what) in rows {
                ui.monospace(keys);
                ui.label(what);
                ui.end_row();
            }
        });
}

/// The quick start's preferred width, and the widest it gets (a step on one line is easier
/// to read than one that breaks just before its end).
const QUICK_START_WIDTH: f32 = 440.0;
const QUICK_START_MAX_WIDTH: f32 = 760.0;

/// A width for texts of these single-line widths at which none leaves a few characters alone
/// on its last line. Chinese breaks between any two characters, so a step a little wider than
/// the window would end on a line of one character and a full stop. From `preferred` up to
/// `max`, the first width at which every text fits on one line or fills its last line at
/// least a third; `max` when none does.
pub fn balanced_width(widths: &[f32], preferred: f32, max: f32) -> f32 {
    let fits = |w: f32| {
        widths.iter().all(|&text| {
            let lines = (text / w).ceil();
            lines <= 1.0 || text - (lines - 1.0) * w >= w / 3.0
        })
    };
    let mut w = preferred.min(max);
    while w < max {
        if fits(w) {
            return w;
        }
        w += 8.0;
    }
    max
}

/// The quick start of a first run; "don't show again" dismisses it for good.
pub fn quick_start_window(ctx: &Context, commands: &mut Vec<AppCommand>) {
    let lang = ui_language(ctx);
    let steps: [(&str, &str); 5] = [
        (
            "拖动平移地图，滚轮缩放；0 键回到整个规划范围。",
            "Drag to pan, scroll to zoom; 0 brings back the whole plan area.",
        ),
        (
            "左侧「图层」开关图层和透明度；「搜索」按名称找到城市、地名和湖泊。",
            "Layers on the left switch layers and opacity; Search finds cities, places and lakes by name.",
        ),
        (
            "点、线、面工具画新的项目布局；每一步都可撤销（Ctrl+Z），并自动保存恢复副本。",
            "The Point, Line and Polygon tools draw new placements; every step can be undone (Ctrl+Z) and a recovery copy is kept.",
        ),
        (
            "「场景」保存视图，F5 演示；文件 > 导出图片… 写出 PNG 或 SVG。",
            "Scenes keep views, F5 presents them; File > Export image… writes PNG or SVG.",
        ),
        (
            "带「示意」的要素是 OneMap 的草绘，不是规划官方图。F1 查看全部快捷键。",
            "Features marked indicative are OneMap's sketches, not the official plan map. F1 lists every shortcut.",
        ),
    ];
    let steps: Vec<String> = steps
        .iter()
        .enumerate()
        .map(|(i, (zh, en))| format!("{}. {}", i + 1, lang.pick(zh, en)))
        .collect();
    let font = egui::TextStyle::Body.resolve(&ctx.global_style());
    let widths: Vec<f32> = steps
        .iter()
        .map(|s| {
            ctx.fonts_mut(|f| f.layout_no_wrap(s.clone(), font.clone(), egui::Color32::WHITE))
                .size()
                .x
        })
        .collect();
    settle(ctx, egui::Id::unique("onemap-quick-start-settle"));
    let max = (ctx.content_rect().width() - 80.0).clamp(240.0, QUICK_START_MAX_WIDTH);
    let width = balanced_width(&widths, QUICK_START_WIDTH, max);
    egui::Window::new(tr(ctx, "快速入门", "Quick start"))
        .collapsible(false)
        .resizable(false)
        .default_width(width)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            ui.set_width(width);
            for step in &steps {
                ui.add(egui::Label::new(step).wrap());
            }
            ui.horizontal(|ui| {
                if ui.button(tr(ctx, "知道了", "Got it")).clicked() {
                    commands.push(AppCommand::ShowQuickStart(false));
                }
                if ui.button(tr(ctx, "不再显示", "Don't show again")).clicked() {
                    commands.push(AppCommand::DismissQuickStart);
                }
            });
        });
}

/// Where the user guide is: the README beside the data, read offline.
pub fn readme_window(ctx: &Context, readme: &Path, commands: &mut Vec<AppCommand>) {
    let mut open = true;
    egui::Window::new(tr(ctx, "使用说明", "User guide"))
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(super::centre_of(ctx))
        .open(&mut open)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.label(tr(
                ctx,
                "使用说明在 README 的“使用”各节，随程序一起提供，无需联网：",
                "The user guide is the README's user sections, shipped with OneMap and read offline:",
            ));
            let path = readme.display().to_string();
            ui.label(RichText::new(&path).monospace());
            if !readme.is_file() {
                ui.colored_label(
                    egui::Color32::from_rgb(200, 50, 40),
                    tr(ctx, "此处没有找到该文件。", "The file is not there."),
                );
            }
            if ui.button(tr(ctx, "复制路径", "Copy the path")).clicked() {
                ui.ctx().copy_text(path);
            }
        });
    if !open {
        commands.push(AppCommand::ShowReadme(false));
    }
}

/// F1 toggles the shortcut sheet.
pub fn help_keys(ctx: &Context, shown: bool, commands: &mut Vec<AppCommand>) {
    if ctx.input(|i| i.key_pressed(egui::Key::F1)) {
        commands.push(AppCommand::ShowShortcuts(!shown));
    }
}

#[cfg(test)]
mod tests {
    use super::balanced_width;

    #[test]
    fn a_width_that_would_leave_a_character_alone_is_widened() {
        // 450 at 440 wide: a last line of 10 points, a character and a stop.
        assert_eq!(balanced_width(&[450.0, 300.0], 440.0, 720.0), 456.0);
        // A full line and most of another are fine as they are.
        assert_eq!(balanced_width(&[800.0], 440.0, 720.0), 440.0);
        // Nothing fits: the widest allowed.
        assert_eq!(balanced_width(&[450.0], 440.0, 448.0), 448.0);
    }
}
