//! The app's tile basemap: the source the view's choice names, read and decoded by two worker
//! threads (never the UI thread), whose textures the map draws. A tile that fails stays blank
//! (or shows its lower-zoom stand-in) and the status bar says why; nothing waits for a tile
//! and no dialog opens.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex};

use egui::{ColorImage, Context, TextureHandle, TextureOptions};

use crate::io::tiles::{OpenOptions, TileContent, TileSource, load_tile, open_source};
use crate::map::tiles::{TileLook, TileTextures};
use crate::model::tile_basemap::{BasemapChoice, TileId};

use super::OneMapApp;
use super::tile_note::TileNote;
use crate::edit::Edit;
use crate::model::UiLanguage;
use crate::model::view::ViewCommand;

const WORKERS: usize = 2;
/// Textures kept; the least recently drawn go first beyond this (about 100 MB at 256 px).
const KEPT: usize = 384;

/// What the workers share with the UI: the tiles still to read, and those being read.
#[derive(Default)]
struct Queue {
    todo: Vec<TileId>,
    busy: HashSet<TileId>,
    stop: bool,
}

type Shared = Arc<(Mutex<Queue>, Condvar)>;

/// A tile loaded: a texture (kept: a dropped handle frees it), or a vector tile.
enum Kept {
    Texture(TextureHandle),
    Vector(Arc<crate::model::tile_basemap::VectorTile>),
}

impl Kept {
    fn look(&self) -> TileLook {
        match self {
            Self::Texture(t) => TileLook::Texture(t.id()),
            Self::Vector(v) => TileLook::Vector(v.clone()),
        }
    }
}

enum Loaded {
    Ready(TileId, Kept),
    /// The source has no tile there: drawn blank, not a failure.
    Absent(TileId),
    Failed(TileId, crate::io::tiles::TileError),
}

/// An open source and its workers.
struct Active {
    source: Arc<dyn TileSource>,
    shared: Shared,
    results: Receiver<Loaded>,
    textures: HashMap<TileId, (Kept, u64)>,
    ctx: Context,
    done: HashSet<TileId>,
    failed: usize,
    /// Tiles asked for this frame, most wanted first.
    wanted: Vec<TileId>,
    frame: u64,
}

impl Drop for Active {
    fn drop(&mut self) {
        if let Ok(mut q) = self.shared.0.lock() {
            q.stop = true;
        }
        self.shared.1.notify_all();
    }
}

/// The tile basemap of the map on screen.
#[derive(Default)]
pub struct BasemapTiles {
    /// The choice and the offline switch the source was opened for.
    opened_for: Option<(BasemapChoice, bool)>,
    active: Option<Active>,
    /// Why tiles are missing, for the status bar: the source could not be opened (the built-in
    /// basemap is drawn instead), or a tile failed.
    pub note: Option<TileNote>,
    /// The system file dialog the picker's Browse… opened: for the style file or not.
    browse: Option<(bool, Receiver<Option<std::path::PathBuf>>)>,
}

impl BasemapTiles {
    /// Opens the source `choice` names when it changed; `None` for the built-in basemap, or
    /// when it cannot be opened (the note says why).
    pub fn sync(&mut self, ctx: &Context, choice: &BasemapChoice, options: &OpenOptions) {
        let key = (choice.clone(), options.offline);
        if self.opened_for.as_ref() == Some(&key) {
            return;
        }
        self.opened_for = Some(key);
        self.active = None;
        self.note = None;
        match open_source(choice, options) {
            Ok(Some(source)) => self.active = Some(Active::start(source, ctx)),
            Ok(None) => {}
            Err(e) => self.note = Some(TileNote::Unusable(e)),
        }
    }

    /// The textures for this frame's map, after taking in what the workers finished.
    pub fn textures(&mut self) -> Option<&mut dyn TileTextures> {
        let active = self.active.as_mut()?;
        active.frame += 1;
        if let Some(last) = active.take_results() {
            self.note = Some(last);
        }
        Some(active)
    }

    /// Hands the tiles asked for this frame to the workers, the latest first.
    pub fn end_frame(&mut self) {
        if let Some(a) = self.active.as_mut() {
            a.queue_wanted();
        }
    }

    /// Opens the source again on the next frame (its tiles read afresh).
    pub fn reopen(&mut self) {
        self.opened_for = None;
        self.active = None;
    }

    /// Why tiles are missing, in the interface language.
    pub fn note_text(&self, lang: UiLanguage) -> Option<String> {
        self.note.as_ref().map(|n| n.text(lang))
    }

    /// Tiles being read or waiting, for the status bar.
    pub fn loading(&self) -> usize {
        self.active.as_ref().map_or(0, |a| {
            a.shared.0.lock().map_or(0, |q| q.todo.len() + q.busy.len())
        })
    }

    /// Tiles that failed since the source was opened.
    pub fn failed(&self) -> usize {
        self.active.as_ref().map_or(0, |a| a.failed)
    }

    /// Tiles loaded as textures.
    pub fn loaded(&self) -> usize {
        self.active.as_ref().map_or(0, |a| a.textures.len())
    }

    pub fn is_active(&self) -> bool {
        self.active.is_some()
    }
}

impl Active {
    fn start(source: Arc<dyn TileSource>, ctx: &Context) -> Self {
        let shared: Shared = Arc::default();
        let (send, results) = channel();
        for _ in 0..WORKERS {
            let (shared, send, source, ctx) =
                (shared.clone(), send.clone(), source.clone(), ctx.clone());
            std::thread::spawn(move || work(&shared, &send, source.as_ref(), &ctx));
        }
        Self {
            source,
            shared,
            results,
            textures: HashMap::new(),
            ctx: ctx.clone(),
            done: HashSet::new(),
            failed: 0,
            wanted: Vec::new(),
            frame: 0,
        }
    }

    /// Takes in finished tiles; returns the last failure, if any.
    fn take_results(&mut self) -> Option<TileNote> {
        let mut note = None;
        while let Ok(loaded) = self.results.try_recv() {
            match loaded {
                Loaded::Ready(id, t) => {
                    self.textures.insert(id, (t, self.frame));
                }
                Loaded::Absent(id) => {
                    self.done.insert(id);
                }
                Loaded::Failed(id, error) => {
                    self.done.insert(id);
                    self.failed += 1;
                    note = Some(TileNote::Failed {
                        count: self.failed,
                        last: error,
                    });
                }
            }
        }
        if self.textures.len() > KEPT {
            let mut ages: Vec<(u64, TileId)> =
                self.textures.iter().map(|(id, (_, f))| (*f, *id)).collect();
            ages.sort_unstable();
            for (_, id) in ages.iter().take(self.textures.len() - KEPT) {
                self.textures.remove(id);
            }
        }
        note
    }

    fn queue_wanted(&mut self) {
        let wanted = std::mem::take(&mut self.wanted);
        if let Ok(mut q) = self.shared.0.lock() {
            // What is no longer in view is not read; the rest in the order the map asked.
            q.todo = wanted
                .into_iter()
                .rev()
                .filter(|id| !q.busy.contains(id))
                .collect();
        }
        self.shared.1.notify_all();
    }
}

impl TileTextures for Active {
    fn tile(&mut self, id: TileId, request: bool) -> Option<TileLook> {
        if let Some((t, used)) = self.textures.get_mut(&id) {
            *used = self.frame;
            return Some(t.look());
        }
        if request && !self.done.contains(&id) {
            self.wanted.push(id);
        }
        None
    }

    fn zooms(&self) -> (u8, u8) {
        self.source.zooms()
    }

    fn tile_pixels(&self) -> f64 {
        if self.source.vector_style().is_some() {
            512.0
        } else {
            256.0
        }
    }

    fn fonts(&self) -> Option<Context> {
        Some(self.ctx.clone())
    }
}

/// A worker: reads and decodes tiles until the source is closed.
fn work(shared: &Shared, send: &Sender<Loaded>, source: &dyn TileSource, ctx: &Context) {
    loop {
        let id = {
            let Ok(mut q) = shared.0.lock() else { return };
            loop {
                if q.stop {
                    return;
                }
                if let Some(id) = q.todo.pop() {
                    q.busy.insert(id);
                    break id;
                }
                q = match shared.1.wait(q) {
                    Ok(q) => q,
                    Err(_) => return,
                };
            }
        };
        let loaded = match load_tile(source, id) {
            Ok(Some(TileContent::Raster(tile))) => {
                let image =
                    ColorImage::from_rgba_unmultiplied([tile.width, tile.height], &tile.rgba);
                let name = format!("tile {}/{}/{}", id.z, id.x, id.y);
                let texture = ctx.load_texture(name, image, TextureOptions::LINEAR);
                Loaded::Ready(id, Kept::Texture(texture))
            }
            Ok(Some(TileContent::Vector(tile))) => Loaded::Ready(id, Kept::Vector(tile)),
            Ok(None) => Loaded::Absent(id),
            Err(e) => {
                source.discard(id);
                Loaded::Failed(id, e)
            }
        };
        if let Ok(mut q) = shared.0.lock() {
            q.busy.remove(&id);
        }
        if send.send(loaded).is_err() {
            return;
        }
        ctx.request_repaint();
    }
}

impl OneMapApp {
    pub(super) fn show_basemap_picker(&mut self) {
        let choice = self.view().basemap.clone();
        let prefs = &self.help.prefs;
        let (key, offline) = (prefs.tianditu_key.clone(), prefs.tiles_offline);
        self.basemap_picker.open_on(&choice, &key, offline);
    }

    /// Keeps the user's Tianditu key and offline switch (outside the project).
    pub(super) fn set_tile_preferences(&mut self, tianditu_key: String, offline: bool) {
        let prefs = &mut self.help.prefs;
        if prefs.tianditu_key != tianditu_key || prefs.tiles_offline != offline {
            prefs.tianditu_key = tianditu_key;
            prefs.tiles_offline = offline;
            self.save_preferences();
        }
    }

    /// Opens the picked basemap first: one that cannot be read is refused, the status bar
    /// says why, and the map keeps its basemap. A local source's attribution is taken from
    /// its metadata into the choice, so that slides carry it.
    pub(super) fn pick_basemap(&mut self, mut choice: BasemapChoice) {
        match open_source(&choice, &self.tile_options()) {
            Err(e) => {
                self.tiles.note = Some(TileNote::NotChanged(e));
                return;
            }
            Ok(Some(source)) => {
                if let BasemapChoice::Local { attribution, .. } = &mut choice {
                    *attribution = source.attribution();
                }
            }
            Ok(None) => {}
        }
        self.edit(Edit::View(ViewCommand::SetBasemap(choice)));
    }
}

impl OneMapApp {
    /// Opens the system file dialog on a worker thread (it blocks only that thread).
    pub(super) fn browse_basemap(&mut self, style: bool) {
        if !self.files.desktop {
            return;
        }
        let (tx, rx) = channel();
        let spawned = std::thread::Builder::new()
            .name("file-dialog".into())
            .spawn(move || {
                let dialog = if style {
                    rfd::FileDialog::new().add_filter("JSON", &["json"])
                } else {
                    rfd::FileDialog::new().add_filter("PMTiles, MBTiles", &["pmtiles", "mbtiles"])
                };
                let _ = tx.send(dialog.pick_file());
            });
        if spawned.is_ok() {
            self.tiles.browse = Some((style, rx));
        }
    }

    /// Takes the file dialog's answer, once it has come, into the picker's field.
    pub(super) fn poll_basemap_browse(&mut self, ctx: &Context) {
        let Some((style, rx)) = &self.tiles.browse else {
            return;
        };
        ctx.request_repaint_after(std::time::Duration::from_millis(100));
        match rx.try_recv() {
            Ok(answer) => {
                if let Some(path) = answer {
                    let field = if *style {
                        &mut self.basemap_picker.style
                    } else {
                        &mut self.basemap_picker.path
                    };
                    *field = path.display().to_string();
                }
                self.tiles.browse = None;
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
            Err(std::sync::mpsc::TryRecvError::Disconnected) => self.tiles.browse = None,
        }
    }
}

impl OneMapApp {
    /// Empties the online tiles' disk cache; the map asks for its tiles again.
    pub(super) fn clear_tile_cache(&mut self) {
        let Some(dir) = crate::io::tiles::cache_dir() else {
            return;
        };
        let lang = self.help.prefs.ui_language;
        let title = lang.pick("瓦片缓存", "Tile cache");
        match crate::io::tiles::freshness::clear_cache(&dir) {
            Ok(n) => {
                self.tiles.reopen();
                let text = match lang {
                    UiLanguage::Chinese => format!("已清除 {n} 个缓存瓦片（{}）。", dir.display()),
                    _ => format!("{n} cached tile(s) removed ({}).", dir.display()),
                };
                self.files.info(title, text);
            }
            Err(e) => {
                let text = match lang {
                    UiLanguage::Chinese => format!("无法清除 {}：{e}", dir.display()),
                    _ => format!("{} could not be cleared: {e}", dir.display()),
                };
                self.files.error(title, text);
            }
        }
    }
}
