//! The `onemap` binary: parses the command line, runs a headless subcommand or opens the
//! window. Everything else is in the library, so that tests drive the same code.

use std::process::ExitCode;

use clap::Parser as _;
use onemap::app::{AppData, OneMapApp, install_fonts};
use onemap::cli::db::DbCommand;
use onemap::cli::{Cli, Command};
use onemap::io::DataDir;

/// See Cargo.toml: keeps per-frame buffers instead of returning them to the kernel.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct App(OneMapApp);

impl eframe::App for App {
    /// Runs for a minimized window too, where `ui` does not: a close request is always asked
    /// about.
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.0.logic(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.0.ui(ui);
    }
}

/// `SIGTERM` (`kill`, a session that ends) becomes a close request of the window, so that it
/// takes the close button's path: unsaved work is written to the recovery journal at once and
/// the user is asked whether to save it; with nothing unsaved the app quits cleanly. The
/// handler only writes a byte to a pipe (async-signal-safe); a thread waiting on the pipe sends
/// the close request. `SIGKILL` cannot be caught: the journal, at most 30 s old, covers it.
#[cfg(target_os = "linux")]
mod terminate {
    use std::sync::atomic::{AtomicI32, Ordering};

    /// The pipe's write end, for the handler; -1 until it is made.
    static WRITE_END: AtomicI32 = AtomicI32::new(-1);

    extern "C" fn on_sigterm(_signal: libc::c_int) {
        let fd = WRITE_END.load(Ordering::Relaxed);
        if fd >= 0 {
            let byte = 1u8;
            // SAFETY: write(2) is async-signal-safe; it reads one byte of a local.
            let _ = unsafe { libc::write(fd, (&raw const byte).cast(), 1) };
        }
    }

    /// Turns every `SIGTERM` from now on into a close request of `ctx`'s window.
    pub fn forward_to_window(ctx: egui::Context) {
        let mut fds: [libc::c_int; 2] = [-1, -1];
        // SAFETY: pipe2 writes two descriptors into the local array.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
            log::warn!("SIGTERM will end OneMap without asking: no pipe for it");
            return;
        }
        let [read_end, write_end] = fds;
        let waiting = std::thread::Builder::new()
            .name("sigterm".into())
            .spawn(move || {
                let mut byte = 0u8;
                loop {
                    // SAFETY: reads one byte of our own pipe into a local.
                    let n = unsafe { libc::read(read_end, (&raw mut byte).cast(), 1) };
                    if n == 1 {
                        ctx.send_viewport_cmd_to(
                            egui::ViewportId::ROOT,
                            egui::ViewportCommand::Close,
                        );
                    } else if n < 0
                        && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted
                    {
                        continue;
                    } else {
                        return;
                    }
                }
            });
        if waiting.is_err() {
            log::warn!("SIGTERM will end OneMap without asking: no thread for it");
            return;
        }
        WRITE_END.store(write_end, Ordering::Relaxed);
        let handler = on_sigterm as extern "C" fn(libc::c_int);
        // SAFETY: the handler only loads an atomic and calls write(2), both async-signal-safe.
        unsafe { libc::signal(libc::SIGTERM, handler as libc::sighandler_t) };
    }
}

fn main() -> ExitCode {
    onemap::memory::disable_transparent_huge_pages();
    env_logger::init();
    let cli = Cli::parse();
    // `onemap db open URL PROJECT` reads the project before any window opens, so that a bad
    // URL or an unknown project is said on the terminal, with exit code 2.
    let mut from_db = None;
    if let Some(command) = &cli.command {
        let Command::Db {
            command: DbCommand::Open { url, project },
        } = command
        else {
            return onemap::cli::run_command(command, cli.data.as_deref());
        };
        match onemap::cli::db::load_for_open(url, project) {
            Ok((project, edition)) => {
                if let Some((e, version)) = &edition {
                    eprintln!(
                        "onemap db open: plan edition {} version {version} from the database ({} layers)",
                        e.edition.id,
                        e.plan.layers.len()
                    );
                }
                from_db = Some((url.clone(), project, edition));
            }
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        }
    }
    // The window's app gives freed memory back to the kernel at once (see `onemap::memory`);
    // headless subcommands, which end within seconds, keep the allocator's default.
    onemap::memory::set_allocator_options();
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
            .with_min_inner_size(OneMapApp::MIN_WINDOW_SIZE)
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
            #[cfg(target_os = "linux")]
            terminate::forward_to_window(cc.egui_ctx.clone());
            let mut app = OneMapApp::new(data);
            app.enable_desktop_services();
            match (from_db, &review) {
                (Some((url, project, edition)), _) => {
                    app.open_from_db_at_start(&url, onemap::app::db::FromDb { project, edition })
                }
                (None, Some(file)) => app.open_for_review_at_start(file),
                (None, None) => app.open_at_start(&project),
            }
            // The window says it too, and that the app started on a new project instead.
            if let Some(e) = &app.files.start_error {
                eprintln!("onemap: {e}");
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
