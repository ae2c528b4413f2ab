//! The module rules of `src/lib.rs`, checked on the source text: which layer may name which.
//! Rust forbids cycles between crates, not between the modules of one crate, so this test
//! does it for us. It reads every file of a layer with comments and string literals blanked
//! out, resolves each `crate::…`, `super::…` and `self::…` path (grouped imports too) to the
//! top-level module it names, and fails with the file, the line and the rule broken.

// An integration test is a crate of its own, which clippy's allow-unwrap-in-tests (clippy.toml)
// does not cover outside #[test] functions: its helpers unwrap too, a panic being a failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

/// The top-level modules of the library, each a layer.
const LAYERS: [&str; 10] = [
    "model", "edit", "io", "map", "doc", "present", "command", "ui", "app", "cli",
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The files of a layer: `src/NAME.rs` and everything under `src/NAME/`.
fn layer_files(layer: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let single = src().join(format!("{layer}.rs"));
    if single.is_file() {
        files.push(single);
    }
    let mut dirs = vec![src().join(layer)];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(!files.is_empty(), "no source files for layer {layer}");
    files
}

/// The module path of a file: `src/present/export.rs` is `["present", "export"]`, a `mod.rs`
/// is its folder's module.
fn module_of(file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src()).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The code with comments, string and character literals replaced by spaces (newlines kept,
/// so that line numbers still hold): a rule mentioned in a doc comment is not a dependency.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let rest = &chars[i..];
        if rest.starts_with(&['/', '/']) {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if rest.starts_with(&['/', '*']) {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i..].starts_with(&['/', '*']) {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i..].starts_with(&['*', '/']) {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if chars[i] == '"' || (chars[i] == 'r' && raw_string_hashes(rest).is_some()) {
            let hashes = if chars[i] == 'r' {
                raw_string_hashes(rest).unwrap_or(0)
            } else {
                0
            };
            let raw = chars[i] == 'r';
            let open = if raw { 2 + hashes } else { 1 };
            out.extend(std::iter::repeat_n(' ', open));
            i += open;
            while i < chars.len() {
                let closes = chars[i] == '"'
                    && chars[i + 1..]
                        .iter()
                        .take(hashes)
                        .filter(|c| **c == '#')
                        .count()
                        == hashes;
                if !raw && chars[i] == '\\' {
                    out.push(' ');
                    out.push(blank(*chars.get(i + 1).unwrap_or(&' ')));
                    i += 2;
                } else if closes {
                    out.extend(std::iter::repeat_n(' ', 1 + hashes));
                    i += 1 + hashes;
                    break;
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if chars[i] == '\'' && char_literal_len(rest).is_some() {
            let n = char_literal_len(rest).unwrap_or(1);
            out.extend(std::iter::repeat_n(' ', n));
            i += n;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// `r"`, `r#"`, `r##"`…: the number of hashes of a raw string starting here.
fn raw_string_hashes(rest: &[char]) -> Option<usize> {
    let hashes = rest[1..].iter().take_while(|c| **c == '#').count();
    (rest.get(1 + hashes) == Some(&'"')).then_some(hashes)
}

/// The length of a character literal starting here (`'a'`, `'\n'`, `'\''`), or `None` for a
/// lifetime.
fn char_literal_len(rest: &[char]) -> Option<usize> {
    if rest.get(1) == Some(&'\\') {
        let end = rest[2..].iter().position(|c| *c == '\'')?;
        Some(end + 3)
    } else {
        (rest.get(2) == Some(&'\'')).then_some(3)
    }
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The identifier at the start of `s`, after spaces.
fn leading_ident(s: &str) -> &str {
    let s = s.trim_start();
    let end = s.find(|c: char| !is_ident(c)).unwrap_or(s.len());
    &s[..end]
}

/// The items of a `{…}` group at the start of `s`, split at its top-level commas.
fn group_items(s: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 1);
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    items.push(&s[start..i]);
                    break;
                }
            }
            ',' if depth == 1 => {
                items.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items
}

/// The top-level modules that a path after a `crate::`-like prefix names: the next segment,
/// or each item of a group.
fn tops_after(rest: &str) -> Vec<String> {
    if rest.trim_start().starts_with('{') {
        group_items(rest.trim_start())
            .into_iter()
            .map(|item| leading_ident(item).to_owned())
            .filter(|name| !name.is_empty())
            .collect()
    } else {
        vec![leading_ident(rest).to_owned()]
    }
}

/// Every top-level module the code of `module` names, with its line: through `crate::`, and
/// through `super::` or `self::` when they climb to the crate root. A `super::` that stays
/// inside the layer names the layer itself.
fn named_modules(code: &str, module: &[String]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let mut at = 0;
        while let Some(offset) = line[at..].find(['c', 's']) {
            let start = at + offset;
            at = start + 1;
            let before = line[..start].chars().next_back();
            if before.is_some_and(|c| is_ident(c) || c == ':') {
                continue;
            }
            let rest = &line[start..];
            let (base, after): (Vec<String>, &str) =
                if let Some(after) = rest.strip_prefix("crate::") {
                    (Vec::new(), after)
                } else if rest.starts_with("super::") {
                    let mut after = rest;
                    let mut base = module.to_vec();
                    while let Some(next) = after.strip_prefix("super::") {
                        base.pop();
                        after = next;
                    }
                    (base, after)
                } else if let Some(after) = rest.strip_prefix("self::") {
                    (module.to_vec(), after)
                } else {
                    continue;
                };
            let names = match base.first() {
                Some(top) => vec![top.clone()],
                None => tops_after(after),
            };
            found.extend(names.into_iter().map(|name| (n + 1, name)));
        }
    }
    found
}

/// A file's path as shown in a failure: relative to the repository.
fn shown(file: &Path) -> String {
    let root = src().parent().unwrap().to_owned();
    file.strip_prefix(root).unwrap().display().to_string()
}

/// Every place in `layer` that names one of `forbidden`.
fn violations(layer: &str, forbidden: &[&str]) -> Vec<String> {
    let mut broken = Vec::new();
    for file in layer_files(layer) {
        let code = code_only(&std::fs::read_to_string(&file).unwrap());
        for (line, name) in named_modules(&code, &module_of(&file)) {
            if forbidden.contains(&name.as_str()) {
                broken.push(format!("{}:{line} names {name}", shown(&file)));
            }
        }
    }
    broken
}

/// Fails with every place in `layers` that names one of `forbidden`, and the reason.
fn assert_layers_avoid(layers: &[&str], forbidden: &[&str], why: &str) {
    let broken: Vec<String> = layers
        .iter()
        .flat_map(|layer| violations(layer, forbidden))
        .collect();
    assert!(broken.is_empty(), "{why}\n{}", broken.join("\n"));
}

/// Fails with every place in `layers` that names one of the GUI crates.
fn assert_no_gui_crate(layers: &[&str]) {
    let mut broken = Vec::new();
    for file in layers.iter().flat_map(|layer| layer_files(layer)) {
        let code = code_only(&std::fs::read_to_string(&file).unwrap());
        for (n, line) in code.lines().enumerate() {
            for gui in ["egui", "eframe", "walkers", "rfd"] {
                let named = line.match_indices(gui).any(|(i, _)| {
                    let before = line[..i].chars().next_back();
                    before.is_none_or(|c| !is_ident(c) && c != ':')
                        && line[i + gui.len()..].starts_with("::")
                });
                if named {
                    broken.push(format!("{}:{} names {gui}", shown(&file), n + 1));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "model, edit and io are plain Rust, testable without a window\n{}",
        broken.join("\n")
    );
}

#[test]
fn present_and_the_cli_never_name_the_gui() {
    assert_layers_avoid(
        &["present", "cli"],
        &["app", "ui", "command"],
        "present/ and cli.rs are headless: they build on doc/, never on the GUI",
    );
}

#[test]
fn ui_never_touches_files_nor_the_app() {
    assert_layers_avoid(
        &["ui"],
        &["io", "app", "cli"],
        "ui/ panels read state and push commands: files are the app's (io), and ui never \
         names app (that was the app <-> ui cycle)",
    );
}

#[test]
fn the_document_layer_is_below_everything_with_a_window() {
    assert_layers_avoid(
        &["doc"],
        &["present", "command", "ui", "app", "cli"],
        "doc/ is the headless document layer under present/, the CLI and the GUI",
    );
}

#[test]
fn the_shared_commands_are_below_the_panels_and_the_app() {
    assert_layers_avoid(
        &["command"],
        &["ui", "app", "cli"],
        "command/ is what ui/ and app/ share: it names neither",
    );
}

#[test]
fn the_core_never_names_the_layers_above_it() {
    assert_layers_avoid(&["model"], &LAYERS[1..], "model/ imports no other layer");
    assert_layers_avoid(
        &["edit", "io", "map"],
        &["doc", "present", "command", "ui", "app", "cli"],
        "model, edit, io and map are the core: nothing above them leaks in",
    );
}

#[test]
fn model_edit_and_io_use_no_gui_crate() {
    assert_no_gui_crate(&["model", "edit", "io"]);
}

/// The checker itself: a rule it cannot break would be no rule.
#[test]
fn the_checker_resolves_grouped_imports_and_climbing_super_paths() {
    let module = ["present".to_owned(), "export".to_owned()];
    let code = code_only(
        "use crate::{io::IoError, app::{AppData, X}};\n\
         fn f() { super::super::ui::swatch(); super::render(); }\n\
         use self::inner::Y;",
    );
    let named: Vec<String> = named_modules(&code, &module)
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    assert_eq!(named, ["io", "app", "ui", "present", "present"]);
}

#[test]
fn the_checker_ignores_comments_strings_and_lookalikes() {
    let code = code_only(
        "// crate::app is named in a comment\n\
         /* crate::ui /* nested */ crate::app */\n\
         let s = \"crate::ui\"; let r = r#\"crate::app\"#; let c = '\"';\n\
         let t = my_crate::app::x; fn g<'a>(x: &'a str) {}\n",
    );
    assert_eq!(named_modules(&code, &["ui".to_owned()]), []);
}
