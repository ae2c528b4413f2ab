//! Panels. They read the app's data and view settings and push [`crate::command::AppCommand`]s;
//! they never change the plan or the settings themselves, and never touch files (`io`): what
//! reads or writes a file is a command the app runs. They import `command`, `doc`, `map`,
//! `edit` and `model`, never `app`.

pub mod about;
pub mod basemap_picker;
pub mod checks_panel;
pub mod comments_panel;
pub mod compare_panel;
pub mod context_menu;
pub mod data_feature;
pub mod data_style;
pub mod data_table;
pub mod db_dialogs;
pub mod dialogs;
pub mod drawing_note;
pub mod export_dialog;
pub mod help;
pub mod import_dialog;
pub mod inspector;
pub mod lang;
pub mod layers_panel;
pub mod legend_controls;
pub mod map_panel;
pub mod map_zoom;
pub mod measure;
pub mod merge_panel;
pub mod placement_form;
pub mod placement_table;
pub mod plan_about;
pub mod project_properties;
pub mod scenes_panel;
pub mod status_bar;
pub mod swatch;
pub mod toolbar;
pub mod tools;

pub use lang::{tr, ui_language};

/// Where a dialog first opens: the middle of the window, clear of the menu bar and the tools
/// (egui's default, the top left, covers them). The user can still drag it anywhere.
pub fn centre_of(ctx: &egui::Context) -> egui::Pos2 {
    ctx.content_rect().center()
}
