//! The command line. Headless subcommands are contracts: other tools rely on their names,
//! arguments and exit codes, which later issues add here.

use std::path::PathBuf;

use clap::Parser;

/// OneMap: the Shanghai Metropolitan Area Spatial Coordination Plan (2022) as one map, offline.
///
/// With no arguments it opens the built-in plan. Plan layers are read from `layers/` and the
/// basemap and style from `assets/`, found beside the working folder or the executable, or in
/// the folder named by the ONEMAP_DATA environment variable.
#[derive(Debug, Parser)]
#[command(name = "onemap", version)]
pub struct Cli {
    /// A project file to open (*.onemap). Without one, the built-in plan opens.
    pub project: Option<PathBuf>,

    /// The folder holding `layers/` and `assets/` (default: found automatically).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
}
