//! Isolating one unit of work (an article) so that a bug met while processing it costs only that unit.
//!
//! Untrusted text reaches every stage, and a rule that has never seen some input may still hit an internal
//! error. [`run`] turns such a panic into an `Err` carrying its message and location, so the caller can name
//! the article, skip it and go on with the rest of the story; the process never dies with the runtime's
//! exit code 101. While a unit runs, the panic message is captured instead of being printed by the default
//! hook; panics elsewhere are printed as usual.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if DEPTH.with(Cell::get) > 0 {
                let payload = info.payload();
                let msg = payload
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".to_string());
                let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
                LAST.with(|l| *l.borrow_mut() = Some(format!("{msg}{at}")));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`; a panic inside it becomes `Err(message)` instead of unwinding further.
///
/// `f` is treated as unwind-safe: callers pass closures whose partial results are dropped on `Err`, so no
/// half-updated state survives a panic.
pub fn run<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    DEPTH.with(|d| d.set(d.get() + 1));
    let out = panic::catch_unwind(AssertUnwindSafe(f));
    DEPTH.with(|d| d.set(d.get() - 1));
    out.map_err(|_| LAST.with(|l| l.borrow_mut().take()).unwrap_or_else(|| "unknown panic".to_string()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_becomes_an_error_with_its_message() {
        assert_eq!(super::run(|| 2 + 2), Ok(4));
        let got = super::run(|| -> usize { panic!("boom {}", 7) });
        let msg = got.unwrap_err();
        assert!(msg.starts_with("boom 7 at "), "{msg}");
        // Nested units report to the innermost caller.
        let outer = super::run(|| super::run(|| -> () { panic!("inner") }).is_err());
        assert_eq!(outer, Ok(true));
    }
}
