//! The `onemap` binary: parses the command line, runs a headless subcommand or opens the
//! window. Everything else is in the library, so that tests drive the same code.

use std::process::ExitCode;

use clap::Parser as _;
use onemap::app::{AppData, OneMapApp, install_fonts};
use onemap::cli::Cli;
use onemap::io::DataDir;

/// See Cargo.toml: keeps per-frame buffers instead of returning them to the kernel.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct App(OneMapApp);

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.0.ui(ui);
    }
}

/// mimalloc asks the kernel for transparent huge pages. When none are free (right after
/// another large process exits, say) the kernel zeroes and compacts memory on the spot, and a
/// half-second export spends most of its time there. Small pages cost a little on every run
/// instead, never that much on one.
#[cfg(target_os = "linux")]
fn disable_transparent_huge_pages() {
    // SAFETY: prctl with PR_SET_THP_DISABLE takes plain integers and touches no memory of ours.
    let _ = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

fn main() -> ExitCode {
    #[cfg(target_os = "linux")]
    disable_transparent_huge_pages();
    env_logger::init();
    let cli = Cli::parse();
    if let Some(command) = &cli.command {
        return onemap::cli::run_command(command, cli.data.as_deref());
    }
    let dir = match cli
        .data
        .clone()
        .map(DataDir::at)
        .map(Ok)
        .unwrap_or_else(DataDir::locate)
    {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("onemap: {e}");
            return ExitCode::from(2);
        }
    };
    let started = std::time::Instant::now();
    let data = match AppData::load(&dir) {
        Ok(data) => data,
        Err(e) => {
            eprintln!("onemap: {e}");
            return ExitCode::from(2);
        }
    };
    for problem in &data.problems {
        eprintln!("onemap: {problem}");
    }
    let project = cli.project.clone().unwrap_or_else(|| dir.default_project());
    let review = cli.review.clone();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1400.0, 900.0])
            .with_title("OneMap 上海大都市圈一张图")
            .with_drag_and_drop(true),
        // The bundled font is used everywhere; system fonts would make screens differ.
        system_font_fallback: false,
        ..Default::default()
    };
    let result = eframe::run_native(
        "OneMap",
        options,
        Box::new(move |cc| {
            install_fonts(&cc.egui_ctx);
            let mut app = OneMapApp::new(data);
            app.enable_desktop_services();
            match &review {
                Some(file) => app.open_for_review_at_start(file),
                None => app.open_at_start(&project),
            }
            log::info!(
                "ready in {:.0} ms",
                started.elapsed().as_secs_f64() * 1000.0
            );
            Ok(Box::new(App(app)))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("onemap: could not open the window: {e}");
            ExitCode::FAILURE
        }
    }
}
