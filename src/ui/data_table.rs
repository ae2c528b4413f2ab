//! The attribute table of a data layer, a window per layer: the fields in the file's order,
//! sortable by any column and filtered by a text found in any of them, with the row count.
//! A click selects the feature on the map and centres it; Ctrl-click and Shift-click select
//! several, for copying them to placements; a feature selected on the map is shown here.
//!
//! Large layers stay responsive: the rows are virtual (only those in view are laid out), and
//! the order is sorted once per change of sort column or data, filtered once per change of the
//! filter text, never per frame.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};
use serde_json::Value;

use super::tr;
use crate::command::AppCommand;
use crate::doc::ImportedFeature;
use crate::doc::document::{attribute_text, data_feature_id, parse_data_feature_id};
use crate::model::FeatureId;

/// A data layer's table as the user left it: sorting, filter, selected rows.
#[derive(Clone, Debug, Default)]
pub struct DataTableState {
    /// The field sorted by and whether descending; `None` is the file's order.
    pub sort: Option<(String, bool)>,
    pub filter: String,
    /// The selected features (by index in the layer): the map's selection, and others
    /// Ctrl- or Shift-clicked.
    pub selected: BTreeSet<usize>,
    /// Where a Shift-click range starts.
    anchor: Option<usize>,
    /// The map's selection as last seen, to notice when it changes elsewhere.
    seen_selection: Option<FeatureId>,
    /// A row to bring into view.
    scroll_to: Option<usize>,
    cache: RowCache,
}

/// The column sorted by and whether ascending, if any.
type SortedBy = Option<(String, bool)>;

/// The rows in the table's order, kept until what they come from changes.
#[derive(Clone, Debug, Default)]
struct RowCache {
    sorted_for: Option<(u64, SortedBy)>,
    sorted: Vec<usize>,
    /// Each row's cells, lower-cased and joined, for the filter (made when first filtered).
    haystack_for: Option<u64>,
    haystack: Vec<String>,
    shown_for: Option<(u64, SortedBy, String)>,
    shown: Vec<usize>,
    widths_for: Option<u64>,
    widths: Vec<f32>,
}

/// What the table shows of one layer.
pub struct DataTableInput<'a> {
    pub layer_id: &'a str,
    pub layer_name: &'a str,
    pub features: &'a [ImportedFeature],
    /// Field names in the file's order.
    pub fields: &'a [String],
    /// [`crate::doc::Document::sketches_generation`]: the features change only with it.
    pub generation: u64,
    /// The map's selection.
    pub selection: Option<&'a FeatureId>,
    /// Review mode: nothing can be copied into the project.
    pub read_only: bool,
}

/// How a cell sorts: numbers by value (also when written as text), then text, then nothing.
#[derive(Clone, Debug, PartialEq)]
enum SortKey {
    Number(f64),
    Text(String),
    Missing,
}

impl SortKey {
    fn of(value: Option<&Value>) -> Self {
        match value {
            None | Some(Value::Null) => Self::Missing,
            Some(Value::Number(n)) => n.as_f64().map_or(Self::Missing, Self::Number),
            Some(Value::String(s)) => match s.trim().parse::<f64>() {
                Ok(n) if n.is_finite() => Self::Number(n),
                _ if s.is_empty() => Self::Missing,
                _ => Self::Text(s.clone()),
            },
            Some(other) => Self::Text(attribute_text(other)),
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Self::Number(_) => 0,
            Self::Text(_) => 1,
            Self::Missing => 2,
        }
    }
}

impl Eq for SortKey {}

impl Ord for SortKey {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Number(a), Self::Number(b)) => a.total_cmp(b),
            (Self::Text(a), Self::Text(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl PartialOrd for SortKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The features' indices sorted by `field` (the file's order for `None`, and among equals).
pub fn sorted_rows(features: &[ImportedFeature], sort: Option<(&str, bool)>) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..features.len()).collect();
    if let Some((field, descending)) = sort {
        // Stable: equal cells keep the file's order, either way round.
        rows.sort_by_cached_key(|i| SortKey::of(features[*i].properties.get(field)));
        if descending {
            rows.reverse();
            // Reversing turned runs of equal cells round too; put them back in file order.
            let keys: Vec<SortKey> = rows
                .iter()
                .map(|i| SortKey::of(features[*i].properties.get(field)))
                .collect();
            let mut start = 0;
            while start < rows.len() {
                let end = (start..rows.len())
                    .find(|j| keys[*j] != keys[start])
                    .unwrap_or(rows.len());
                rows[start..end].sort_unstable();
                start = end;
            }
        }
    }
    rows
}

/// Each row's cells lower-cased and joined, for the filter.
pub fn haystack(features: &[ImportedFeature], fields: &[String]) -> Vec<String> {
    features
        .iter()
        .map(|f| {
            let mut row = String::new();
            for field in fields {
                if let Some(v) = f.properties.get(field) {
                    row.push_str(&attribute_text(v).to_lowercase());
                }
                // A separator no query holds, so that a match never spans two cells.
                row.push('\u{1f}');
            }
            row
        })
        .collect()
}

/// The rows of `sorted` whose cells hold `filter` (any case), in order.
pub fn filtered(sorted: &[usize], haystack: &[String], filter: &str) -> Vec<usize> {
    let query = filter.trim().to_lowercase();
    if query.is_empty() {
        return sorted.to_vec();
    }
    sorted
        .iter()
        .copied()
        .filter(|i| haystack.get(*i).is_some_and(|row| row.contains(&query)))
        .collect()
}

impl DataTableState {
    /// Brings the rows shown up to date (`cache.shown`, in order): redone only when the data,
    /// the sort or the filter changed.
    fn rows(&mut self, input: &DataTableInput<'_>) {
        let c = &mut self.cache;
        let sorted_for = Some((input.generation, self.sort.clone()));
        if c.sorted_for != sorted_for {
            let sort = self.sort.as_ref().map(|(f, d)| (f.as_str(), *d));
            c.sorted = sorted_rows(input.features, sort);
            c.sorted_for = sorted_for;
        }
        let shown_for = Some((input.generation, self.sort.clone(), self.filter.clone()));
        if c.shown_for != shown_for {
            let filtering = !self.filter.trim().is_empty();
            if filtering && c.haystack_for != Some(input.generation) {
                c.haystack = haystack(input.features, input.fields);
                c.haystack_for = Some(input.generation);
            }
            c.shown = filtered(&c.sorted, &c.haystack, &self.filter);
            c.shown_for = shown_for;
        }
    }

    /// Column widths to start with: each field's longest text among the first rows.
    fn widths(&mut self, ui: &Ui, input: &DataTableInput<'_>) -> Vec<f32> {
        let c = &mut self.cache;
        if c.widths_for != Some(input.generation) || c.widths.len() != input.fields.len() {
            let font = egui::TextStyle::Body.resolve(ui.style());
            let width = |text: &str| {
                ui.fonts_mut(|f| {
                    f.layout_no_wrap(text.to_owned(), font.clone(), egui::Color32::WHITE)
                        .size()
                        .x
                })
            };
            c.widths = input
                .fields
                .iter()
                .map(|field| {
                    let cells =
                        input.features.iter().take(50).filter_map(|f| {
                            f.properties.get(field).map(|v| width(&attribute_text(v)))
                        });
                    (cells.fold(width(&format!("{field} ▼")) + 28.0, f32::max) + 12.0)
                        .clamp(48.0, 280.0)
                })
                .collect();
            c.widths_for = Some(input.generation);
        }
        c.widths.clone()
    }

    /// Follows the map: a feature of this layer selected elsewhere becomes the selected row
    /// and is brought into view; anything else selected clears the rows.
    fn follow_map(&mut self, input: &DataTableInput<'_>) {
        if self.seen_selection.as_ref() == input.selection {
            return;
        }
        self.seen_selection = input.selection.cloned();
        let index = input
            .selection
            .and_then(parse_data_feature_id)
            .filter(|(layer, _)| *layer == input.layer_id)
            .map(|(_, i)| i);
        match index {
            // Selected from this table (a Ctrl-click keeps the others).
            Some(i) if self.selected.contains(&i) => {}
            Some(i) => {
                self.selected = BTreeSet::from([i]);
                self.anchor = Some(i);
                self.scroll_to = Some(i);
            }
            None => {
                self.selected.clear();
                self.anchor = None;
            }
        }
    }

    /// A click on the row of feature `index` among the `shown` rows, with its modifiers.
    fn click(
        &mut self,
        input: &DataTableInput<'_>,
        shown: &[usize],
        index: usize,
        modifiers: egui::Modifiers,
    ) -> Vec<AppCommand> {
        let id = |i: usize| data_feature_id(input.layer_id, i);
        if modifiers.shift
            && let Some(anchor) = self.anchor
        {
            let at = |i: usize| shown.iter().position(|r| *r == i);
            if let (Some(a), Some(b)) = (at(anchor), at(index)) {
                let (from, to) = (a.min(b), a.max(b));
                self.selected = shown[from..=to].iter().copied().collect();
                return vec![AppCommand::Select(Some(id(index)))];
            }
        }
        self.anchor = Some(index);
        if modifiers.command {
            if self.selected.remove(&index) {
                let next = self.selected.iter().next().copied();
                return vec![AppCommand::Select(next.map(id))];
            }
            self.selected.insert(index);
            return vec![AppCommand::Select(Some(id(index)))];
        }
        self.selected = BTreeSet::from([index]);
        vec![AppCommand::SelectAndCentre(id(index))]
    }
}

/// The window title of a layer's table.
pub fn window_title(ctx: &egui::Context, layer_name: &str) -> String {
    format!("{} — {layer_name}", tr(ctx, "属性表", "Attribute table"))
}

/// The table of one data layer in a window of its own. Returns whether it stays open, and
/// where it is on the screen.
pub fn data_table_window(
    ctx: &egui::Context,
    input: &DataTableInput<'_>,
    state: &mut DataTableState,
    commands: &mut Vec<AppCommand>,
) -> (bool, Option<egui::Rect>) {
    let mut open = true;
    let shown = egui::Window::new(window_title(ctx, input.layer_name))
        .id(egui::Id::unique(("onemap.data_table", input.layer_id)))
        .open(&mut open)
        .default_size([640.0, 320.0])
        .default_pos(ctx.content_rect().center_bottom() - egui::vec2(320.0, 380.0))
        .resizable(true)
        .show(ctx, |ui| data_table_ui(ui, input, state, commands));
    (open, shown.map(|r| r.response.rect))
}

fn data_table_ui(
    ui: &mut Ui,
    input: &DataTableInput<'_>,
    state: &mut DataTableState,
    commands: &mut Vec<AppCommand>,
) {
    state.follow_map(input);
    state.rows(input);
    // Taken out for the frame and put back (not copied: it may hold 100,000 rows).
    let shown = std::mem::take(&mut state.cache.shown);
    rows_ui(ui, input, state, &shown, commands);
    state.cache.shown = shown;
}

fn rows_ui(
    ui: &mut Ui,
    input: &DataTableInput<'_>,
    state: &mut DataTableState,
    shown: &[usize],
    commands: &mut Vec<AppCommand>,
) {
    toolbar_ui(ui, input, state, shown.len(), commands);
    ui.separator();
    let widths = state.widths(ui, input);
    let scroll_to = state
        .scroll_to
        .take()
        .and_then(|i| shown.iter().position(|r| *r == i));
    egui::ScrollArea::horizontal().show(ui, |ui| {
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        let mut table = TableBuilder::new(ui)
            .id_salt(("onemap.data_table.rows", input.layer_id))
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::auto().at_least(40.0));
        for w in &widths {
            table = table.column(Column::initial(*w).at_least(40.0).clip(true));
        }
        if let Some(position) = scroll_to {
            table = table.scroll_to_row(position, Some(egui::Align::Center));
        }
        table
            .header(row_height + 2.0, |mut header| {
                header.col(|ui| sort_button(ui, state, None, "#"));
                for field in input.fields {
                    header.col(|ui| sort_button(ui, state, Some(field), field));
                }
            })
            .body(|body| {
                body.rows(row_height, shown.len(), |mut row| {
                    let index = shown[row.index()];
                    row.set_selected(state.selected.contains(&index));
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(RichText::new((index + 1).to_string()).weak())
                                .selectable(false),
                        );
                    });
                    let feature = &input.features[index];
                    for field in input.fields {
                        row.col(|ui| {
                            let text = feature
                                .properties
                                .get(field)
                                .map(attribute_text)
                                .unwrap_or_default();
                            ui.add(egui::Label::new(text).selectable(false).truncate());
                        });
                    }
                    let response = row.response();
                    if response.clicked() {
                        let modifiers = response.ctx.input(|i| i.modifiers);
                        commands.extend(state.click(input, shown, index, modifiers));
                    }
                });
            });
    });
}

/// The count, the filter, and what acts on the selected rows.
fn toolbar_ui(
    ui: &mut Ui,
    input: &DataTableInput<'_>,
    state: &mut DataTableState,
    shown: usize,
    commands: &mut Vec<AppCommand>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!(
                "{shown} / {} {}",
                input.features.len(),
                tr(ui.ctx(), "行", "rows")
            ))
            .strong(),
        );
        ui.separator();
        let filter_name = tr(ui.ctx(), "筛选", "Filter");
        let label = ui.label(filter_name);
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut state.filter)
                    .hint_text(tr(ui.ctx(), "任一列包含…", "any column contains…"))
                    .desired_width(160.0),
            )
            .labelled_by(label.id);
        response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, filter_name));
        if !state.filter.is_empty() && ui.small_button("×").clicked() {
            state.filter.clear();
        }
        ui.separator();
        let count = state.selected.len();
        let copy = ui
            .add_enabled(
                count > 0 && !input.read_only,
                egui::Button::new(format!(
                    "{} ({count})",
                    tr(ui.ctx(), "复制为规划项目", "Copy to placements")
                )),
            )
            .on_hover_text(tr(
                ui.ctx(),
                "以所选要素的几何新建规划项目（示意），一步撤销",
                "New placements with the selected features' geometry (indicative), one undo step",
            ));
        if copy.clicked() {
            let ids = state
                .selected
                .iter()
                .map(|i| data_feature_id(input.layer_id, *i))
                .collect();
            commands.push(AppCommand::CopyToPlacements(ids));
        }
        if count > 0
            && ui
                .button(tr(ui.ctx(), "清除选择", "Clear selection"))
                .clicked()
        {
            state.selected.clear();
            commands.push(AppCommand::Select(None));
        }
    });
}

/// A column header: sorts by the column, and again the other way round. The arrow comes first,
/// where a narrow column does not cut it off.
fn sort_button(ui: &mut Ui, state: &mut DataTableState, field: Option<&String>, title: &str) {
    let current = state.sort.as_ref().map(|(f, d)| (f, *d));
    let arrow = match (current, field) {
        (Some((f, false)), Some(c)) if f == c => "▲ ",
        (Some((f, true)), Some(c)) if f == c => "▼ ",
        _ => "",
    };
    let button = egui::Button::new(RichText::new(format!("{arrow}{title}")).strong()).frame(false);
    let response = ui.add(button).on_hover_text(tr(
        ui.ctx(),
        "按此列排序；再点一次倒序",
        "Sort by this column; again to reverse",
    ));
    if response.clicked() {
        state.sort = field.map(|f| {
            let descending = current.is_some_and(|(c, d)| c == f && !d);
            (f.clone(), descending)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feature(name: &str, value: Value) -> ImportedFeature {
        let mut properties = serde_json::Map::new();
        properties.insert("名称".into(), Value::String(name.into()));
        properties.insert("v".into(), value);
        ImportedFeature {
            geometry: geo::Point::new(121.0, 31.0).into(),
            properties: properties.into(),
            id: None,
        }
    }

    fn layer() -> Vec<ImportedFeature> {
        vec![
            feature("苏州", serde_json::json!(12)),
            feature("上海", serde_json::json!("3")),
            feature("无锡", Value::Null),
            feature("南通", serde_json::json!(3)),
            feature("嘉兴", serde_json::json!("n/a")),
        ]
    }

    #[test]
    fn numbers_sort_by_value_then_text_then_nothing_and_ties_keep_the_file_order() {
        let rows = sorted_rows(&layer(), Some(("v", false)));
        assert_eq!(rows, [1, 3, 0, 4, 2]);
        let rows = sorted_rows(&layer(), Some(("v", true)));
        assert_eq!(rows, [2, 4, 0, 1, 3], "equal 3s still in file order");
        assert_eq!(sorted_rows(&layer(), None), [0, 1, 2, 3, 4]);
    }

    #[test]
    fn the_filter_finds_a_text_in_any_column_and_any_case() {
        let features = layer();
        let fields = vec!["名称".to_owned(), "v".to_owned()];
        let hay = haystack(&features, &fields);
        let sorted = sorted_rows(&features, None);
        assert_eq!(filtered(&sorted, &hay, "上海"), [1]);
        assert_eq!(filtered(&sorted, &hay, "N/A"), [4]);
        assert_eq!(filtered(&sorted, &hay, " "), sorted);
        assert!(
            filtered(&sorted, &hay, "苏州12").is_empty(),
            "never across two cells"
        );
    }
}
