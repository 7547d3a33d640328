//! Linking in-process with the Wild linker (`libwild`), in rayon's global thread pool (the
//! one that compiled the functions). Wild's warnings are kept and reported only with an
//! error: a successful link prints nothing.

use crate::error::{Error, Result};
use std::ffi::OsString;
use std::sync::{Arc, Mutex};

/// Links with `args` (GNU ld options, as `command_line` makes them).
pub(super) fn link(args: Vec<OsString>) -> Result<()> {
    // Wild signs its output in `.comment` unless told not to; lld's is dropped by the
    // external linker's script.
    let mut argv: Vec<String> = ["wild", "-flavor", "gnu", "--no-identity-comment"]
        .map(String::from)
        .into();
    for a in args {
        argv.push(
            a.into_string()
                .map_err(|a| Error::Link(format!("path is not UTF-8: {}", a.to_string_lossy())))?,
        );
    }
    let fail = |what: &str, e: &dyn std::fmt::Debug, warnings: &[String]| {
        let mut message = format!("{what}: {e:?}");
        for w in warnings {
            message.push_str("\nwarning: ");
            message.push_str(w);
        }
        Error::Link(message)
    };
    let warnings = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut parsed = libwild::Args::new(|| argv.iter()).map_err(|e| fail("linker", &e, &[]))?;
    let sink = Arc::clone(&warnings);
    parsed.on_warning(Box::new(move |w| {
        sink.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(w.to_string());
    }));
    parsed
        .parse(|| argv.iter())
        .map_err(|e| fail("linker arguments", &e, &[]))?;
    let linker = libwild::Linker::new();
    let result = linker.run(&parsed).map(drop);
    let warnings = warnings.lock().unwrap_or_else(|e| e.into_inner());
    result.map_err(|e| fail("linking", &e, &warnings))
}
