//! OneMap: an offline map viewer and editor for the Shanghai Metropolitan Area Spatial
//! Coordination Plan (上海大都市圈空间协同规划, 2022).
//!
//! # Layers
//!
//! Dependencies point down: a module names only the layers below it. From the bottom:
//!
//! - `model`: the plan, projects and their checks as plain data. Imports no other layer.
//! - `edit`, `io`, `map`: the core, on `model` alone today. `edit` changes a project through
//!   the undo history; `io` reads and writes every file; `map` prepares, paints and hit-tests
//!   the map, the only place with screen pixels.
//! - `doc`: the headless document layer: the data read at start, an open project with its
//!   sketches applied, the fonts, the legend and scale bar.
//! - `present`: slides and the PNG/SVG export, headless. `cli`: the command line, headless
//!   too. Both build on `doc` and never name `command`, `ui` or `app`.
//! - `command`: what `ui` and `app` share: the commands panels push and the state they read.
//! - `ui`: the panels. They read, push commands, and never touch files (`io`) or the `app`.
//! - `app`: the top. It owns the state, lays out the panels, and applies the frame's commands
//!   in one place, the only one that changes the project or opens a file dialog.
//!
//! `tests/structure.rs` checks these rules on the source text.
//!
//! # Data-flow rules (see `README.md`)
//!
//! 1. `model`, `edit` and `io` are plain Rust: no egui, eframe, walkers or rfd.
//! 2. The UI reads the plan and the view settings; it changes them only through commands the
//!    app applies, so that every change goes through the undo history.
//! 3. Coordinates are WGS84 lon/lat everywhere; screen pixels exist only inside `map` (and
//!    the panels and slides that draw with it).
//! 4. Plan content is data (`layers/`, `assets/`), never code.

pub mod app;
pub mod cli;
pub mod command;
pub mod doc;
pub mod edit;
pub mod io;
pub mod map;
pub mod memory;
pub mod model;
pub mod present;
pub mod ui;
