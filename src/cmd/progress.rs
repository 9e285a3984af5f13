//! A progress bar on stderr while the inbox is read.

use baocao::engine;

/// A progress bar on stderr for long runs; indicatif draws nothing when stderr is not a terminal.
#[derive(Default)]
pub struct Bar(std::sync::OnceLock<indicatif::ProgressBar>);

impl engine::Progress for Bar {
    fn start(&self, files: usize) {
        let bar = indicatif::ProgressBar::with_draw_target(Some(files as u64), indicatif::ProgressDrawTarget::stderr());
        if let Ok(style) = indicatif::ProgressStyle::with_template("Đang đọc {pos}/{len} tệp {wide_bar} {eta}") {
            bar.set_style(style);
        }
        let _ = self.0.set(bar);
    }
    fn file_done(&self) {
        if let Some(bar) = self.0.get() {
            bar.inc(1);
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(bar) = self.0.get() {
            bar.finish_and_clear();
        }
    }
}
