//! OneMap: an offline map viewer and editor for the Shanghai Metropolitan Area Spatial
//! Coordination Plan (上海大都市圈空间协同规划, 2022).
//!
//! Data-flow rules (see `README.md`):
//! 1. `model`, `io` (and later `edit`) are plain Rust: no egui, eframe, walkers or rfd.
//! 2. The UI reads the plan and the view settings; it changes them only through one place
//!    (`app`), so that every change can later go through the undo history.
//! 3. Coordinates are WGS84 lon/lat everywhere; screen pixels exist only inside `map`.
//! 4. Plan content is data (`layers/`, `assets/`), never code.

pub mod app;
pub mod cli;
pub mod command;
pub mod doc;
pub mod edit;
pub mod io;
pub mod map;
pub mod model;
pub mod present;
pub mod ui;
