//! The script protocol: how a test driver talks to an executable built in script mode.
//!
//! The driver writes one command per line to the executable's stdin; the executable answers
//! each with exactly one line on stdout. Values travel as the hexadecimal form of their raw
//! bits (`{:x}` of the little-endian value zero-extended to 128 bits): floats keep their NaN
//! payloads, references their pointer-sized value (null is 0).
//!
//! ```text
//! instantiate <instance>                  -> ok | trap <code>
//! invoke <instance> <export> <arg>...     -> ok <result>... | trap <code>
//! get <instance> <export>                 -> ok <value>
//! ```
//!
//! `<instance>` and `<export>` are decimal indices (instances in program order, exports in the
//! module's export order); `<code>` is a decimal [`crate::Trap`] code. A malformed command is
//! answered with `error <text>`.

/// Answer to a command that completed.
pub const OK: &str = "ok";
/// Answer to a command that trapped.
pub const TRAP: &str = "trap";
/// Answer to a command the executable could not understand.
pub const ERROR: &str = "error";
