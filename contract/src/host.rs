//! The WASI host: which interfaces the runtime implements.
//!
//! The functions of these interfaces, their flat signatures and their runtime symbols come
//! from `wit/` through `smelt-hostgen`: runtime-lib's build script generates its bindings for
//! exactly [`INTERFACES`] (so an interface listed here without a complete implementation
//! does not compile), and the compiler's build script generates its import table from the
//! same list. A component importing any other interface is refused at build time.
//!
//! Calling convention (see `smelt_hostgen`): `smelt_host_<namespace>_<package>_<interface>_<fn>`
//! uses the platform C calling convention and takes a pointer to the lowering's static
//! [`VMLowering`](crate::layout::VMLowering) first, then the function's flat core
//! parameters as the Canonical ABI's `flatten_functype` gives them for `canon lower`.
//! Every patch version 0.2.0 to [`MAX_PATCH`] of an interface maps to the same functions.

/// The newest WASI 0.2 patch version whose interfaces `wit/` holds.
pub const MAX_PATCH: u32 = 12;

/// Every interface (without its version) the runtime implements, in `wit/` world order.
pub const INTERFACES: &[&str] = &[
    "wasi:io/error",
    "wasi:io/poll",
    "wasi:io/streams",
    "wasi:cli/environment",
    "wasi:cli/exit",
    "wasi:cli/stdin",
    "wasi:cli/stdout",
    "wasi:cli/stderr",
    "wasi:cli/terminal-input",
    "wasi:cli/terminal-output",
    "wasi:cli/terminal-stdin",
    "wasi:cli/terminal-stdout",
    "wasi:cli/terminal-stderr",
    "wasi:clocks/monotonic-clock",
    "wasi:clocks/wall-clock",
    "wasi:filesystem/types",
    "wasi:filesystem/preopens",
    "wasi:sockets/network",
    "wasi:sockets/instance-network",
    "wasi:sockets/udp",
    "wasi:sockets/udp-create-socket",
    "wasi:sockets/tcp",
    "wasi:sockets/tcp-create-socket",
    "wasi:sockets/ip-name-lookup",
    "wasi:random/random",
    "wasi:random/insecure",
    "wasi:random/insecure-seed",
];
