//! The little the watch mode needs from a terminal: keys as they are
//! pressed, a clear screen, and its width. Plain escape codes and, on
//! Unix, termios; nothing else. Where stdin is not a terminal (a pipe, a
//! file), keys arrive as lines, and that works too.

use std::io::{IsTerminal, Read, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::Duration;

/// Keys as the student presses them, read on a thread of their own so
/// that the watch loop can wait for a key or a saved file, whichever comes
/// first.
pub struct Keys {
    pressed: Receiver<u8>,
    _raw: RawMode,
}

/// What waiting for a key gave.
pub enum Key {
    Pressed(char),
    /// None within the time given.
    None,
    /// stdin is closed: no key will come.
    Closed,
}

impl Keys {
    pub fn start() -> Keys {
        let raw = RawMode::start();
        let (press, pressed) = mpsc::channel();
        thread::spawn(move || {
            let mut byte = [0u8; 1];
            let mut stdin = std::io::stdin();
            while let Ok(1) = stdin.read(&mut byte) {
                if press.send(byte[0]).is_err() {
                    return;
                }
            }
        });
        Keys { pressed, _raw: raw }
    }

    /// The next key pressed within `limit`.
    pub fn next(&self, limit: Duration) -> Key {
        match self.pressed.recv_timeout(limit) {
            Ok(byte) => Key::Pressed(char::from(byte)),
            Err(RecvTimeoutError::Timeout) => Key::None,
            Err(RecvTimeoutError::Disconnected) => Key::Closed,
        }
    }
}

/// Clears the screen, if there is one to clear; else draws a line, so
/// that one screenful can be told from the next.
pub fn clear_screen() {
    let mut stdout = std::io::stdout();
    if stdout.is_terminal() && std::env::var("TERM").map_or(true, |term| term != "dumb") {
        let _ = write!(stdout, "\x1b[2J\x1b[H");
    } else {
        let _ = writeln!(stdout, "\n{}", "-".repeat(width().min(72)));
    }
    let _ = stdout.flush();
}

/// The terminal's width in columns: `COLUMNS` if set, else what the
/// terminal says, else 80.
pub fn width() -> usize {
    if let Some(columns) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return columns;
    }
    platform::width().unwrap_or(80)
}

/// While it lives, the terminal hands over each key as it is pressed,
/// without echoing it; dropped, it puts the terminal back as it was.
struct RawMode {
    #[cfg(unix)]
    saved: Option<libc::termios>,
}

impl RawMode {
    fn start() -> RawMode {
        RawMode {
            #[cfg(unix)]
            saved: platform::keys_as_pressed(),
        }
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(saved) = &self.saved {
            platform::restore(saved);
        }
    }
}

#[cfg(unix)]
mod platform {
    use std::io::IsTerminal;
    use std::mem::MaybeUninit;

    /// Turns off line editing, echo and signal keys (Ctrl-C arrives as a
    /// key, and quits as `q` does, so the terminal is always put back).
    /// Gives the settings to restore, or `None` if stdin is no terminal.
    pub fn keys_as_pressed() -> Option<libc::termios> {
        if !std::io::stdin().is_terminal() {
            return None;
        }
        let mut settings = MaybeUninit::<libc::termios>::uninit();
        // SAFETY: tcgetattr fills in `settings` when it returns 0.
        if unsafe { libc::tcgetattr(libc::STDIN_FILENO, settings.as_mut_ptr()) } != 0 {
            return None;
        }
        // SAFETY: tcgetattr returned 0, so `settings` is filled in.
        let saved = unsafe { settings.assume_init() };
        let mut raw = saved;
        raw.c_lflag &= !(libc::ICANON | libc::ECHO | libc::ISIG);
        raw.c_cc[libc::VMIN] = 1;
        raw.c_cc[libc::VTIME] = 0;
        // SAFETY: `raw` is a whole termios, read from this terminal.
        unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &raw) };
        Some(saved)
    }

    pub fn restore(saved: &libc::termios) {
        // SAFETY: `saved` is what tcgetattr gave for this terminal.
        unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, saved) };
    }

    pub fn width() -> Option<usize> {
        if !std::io::stdout().is_terminal() {
            return None;
        }
        let mut size = MaybeUninit::<libc::winsize>::zeroed();
        // SAFETY: TIOCGWINSZ fills in a winsize, and `size` is one.
        let asked =
            unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, size.as_mut_ptr()) };
        // SAFETY: zeroed, and filled in if the ioctl succeeded.
        let size = unsafe { size.assume_init() };
        (asked == 0 && size.ws_col > 0).then_some(usize::from(size.ws_col))
    }
}

#[cfg(not(unix))]
mod platform {
    pub fn width() -> Option<usize> {
        None
    }
}
