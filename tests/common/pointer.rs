//! The whole app in an egui_kittest harness, and pointer events as a hand makes them: for the
//! tests of drawing, navigation, measuring and the context menu.

use egui::{Event, Pos2};
use egui_kittest::Harness;
use onemap::app::{AppData, OneMapApp, install_fonts};
use onemap::io::DataDir;
use onemap::map::scene::merc;

/// The app on the default project in a 1400 × 900 window, after its first frames.
pub fn app_harness() -> Harness<'static, OneMapApp> {
    let data = AppData::load(&DataDir::at(super::root())).unwrap();
    let project = data.dir.default_project();
    let mut app = OneMapApp::new(data);
    app.open_at_start(&project);
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(8)
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut OneMapApp| app.ui(ui), app);
    h.run();
    h
}

/// Where a WGS84 position is on the screen, as the map last drew it.
pub fn screen_of(h: &Harness<'_, OneMapApp>, lon: f64, lat: f64) -> Pos2 {
    h.state()
        .last_transform
        .unwrap()
        .to_screen(merc(geo::Coord { x: lon, y: lat }))
}

/// A press or release of `button` at `pos`.
pub fn button_event(
    pos: Pos2,
    button: egui::PointerButton,
    pressed: bool,
    modifiers: egui::Modifiers,
) -> Event {
    Event::PointerButton {
        pos,
        button,
        pressed,
        modifiers,
    }
}

/// A click of `button` at `pos`: move there, press, release, a frame each, then the frames
/// egui asks for.
pub fn click_with(h: &mut Harness<'_, OneMapApp>, pos: Pos2, button: egui::PointerButton) {
    h.event(Event::PointerMoved(pos));
    h.step();
    h.event(button_event(pos, button, true, Default::default()));
    h.step();
    h.event(button_event(pos, button, false, Default::default()));
    h.run();
}

/// What the app last put on the clipboard.
pub fn copied(h: &Harness<'_, OneMapApp>) -> Option<String> {
    h.output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
}
