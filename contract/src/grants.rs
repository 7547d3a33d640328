//! The capabilities granted to a program at build time, as the compiler emits them.
//!
//! A smelt executable reaches no file, directory or environment variable unless `smelt
//! build` granted it (`--dir HOST[::GUEST]`, `--dir-ro`, `--env NAME[=VALUE]`,
//! `--inherit-env`, with the Wasmtime CLI's spellings). The compiler writes one [`GrantsDesc`]
//! that [`crate::program::ProgramDesc::grants`] points to; the runtime decodes it once at
//! start-up into its `Capabilities` value, which every WASI interface consults.
//!
//! Strings are pointer and length (UTF-8 for guest paths and variable names; a host path is
//! the raw bytes the builder gave, resolved at run time). Every array may be empty, its pointer
//! then unused.

use core::mem::{offset_of, size_of};

/// Every grant of the program.
#[repr(C)]
#[derive(Debug)]
pub struct GrantsDesc {
    /// Preopened directories, in the order they were granted.
    pub dirs: *const DirGrant,
    /// Number of `dirs`.
    pub dir_count: usize,
    /// Environment variables, in the order they were granted.
    pub env: *const EnvGrant,
    /// Number of `env`.
    pub env_count: usize,
    /// [`GrantsDesc::INHERIT_ENV`], [`GrantsDesc::RUNTIME_GRANTS`].
    pub flags: u32,
    /// Zero.
    pub reserved: u32,
}

impl GrantsDesc {
    /// `--inherit-env`: the program sees the executable's whole environment.
    pub const INHERIT_ENV: u32 = 1;
    /// `--allow-runtime-grants`: whoever runs the executable may add grants with the
    /// [`RUNTIME_GRANTS_VAR`] environment variable.
    pub const RUNTIME_GRANTS: u32 = 2;
    /// Offset of `dirs`.
    pub const DIRS_OFFSET: u32 = 0;
    /// Offset of `dir_count`.
    pub const DIR_COUNT_OFFSET: u32 = 8;
    /// Offset of `env`.
    pub const ENV_OFFSET: u32 = 16;
    /// Offset of `env_count`.
    pub const ENV_COUNT_OFFSET: u32 = 24;
    /// Offset of `flags`.
    pub const FLAGS_OFFSET: u32 = 32;
    /// Size of the structure.
    pub const SIZE: u32 = 40;
}

/// The environment variable holding run-time grants when the build allowed them.
pub const RUNTIME_GRANTS_VAR: &str = "SMELT_GRANTS";

/// A preopened directory.
#[repr(C)]
#[derive(Debug)]
pub struct DirGrant {
    /// The host directory (absolute, or relative to the working directory at run time).
    pub host: *const u8,
    /// Length of `host`.
    pub host_len: usize,
    /// The name the program sees it under.
    pub guest: *const u8,
    /// Length of `guest`.
    pub guest_len: usize,
    /// [`DirGrant::READ_ONLY`].
    pub flags: u32,
    /// Zero.
    pub reserved: u32,
}

impl DirGrant {
    /// `--dir-ro`: nothing below the directory may be changed.
    pub const READ_ONLY: u32 = 1;
    /// Offset of `host`.
    pub const HOST_OFFSET: u32 = 0;
    /// Offset of `host_len`.
    pub const HOST_LEN_OFFSET: u32 = 8;
    /// Offset of `guest`.
    pub const GUEST_OFFSET: u32 = 16;
    /// Offset of `guest_len`.
    pub const GUEST_LEN_OFFSET: u32 = 24;
    /// Offset of `flags`.
    pub const FLAGS_OFFSET: u32 = 32;
    /// Size of the structure.
    pub const SIZE: u32 = 40;
}

/// An environment variable.
#[repr(C)]
#[derive(Debug)]
pub struct EnvGrant {
    /// The variable's name.
    pub name: *const u8,
    /// Length of `name`.
    pub name_len: usize,
    /// Its value (`--env NAME=VALUE`); unused with [`EnvGrant::FROM_HOST`].
    pub value: *const u8,
    /// Length of `value`.
    pub value_len: usize,
    /// [`EnvGrant::FROM_HOST`].
    pub flags: u32,
    /// Zero.
    pub reserved: u32,
}

impl EnvGrant {
    /// `--env NAME`: the value is the executable's own at run time (the variable is absent
    /// when the executable's environment lacks it).
    pub const FROM_HOST: u32 = 1;
    /// Offset of `name`.
    pub const NAME_OFFSET: u32 = 0;
    /// Offset of `name_len`.
    pub const NAME_LEN_OFFSET: u32 = 8;
    /// Offset of `value`.
    pub const VALUE_OFFSET: u32 = 16;
    /// Offset of `value_len`.
    pub const VALUE_LEN_OFFSET: u32 = 24;
    /// Offset of `flags`.
    pub const FLAGS_OFFSET: u32 = 32;
    /// Size of the structure.
    pub const SIZE: u32 = 40;
}

const _: () = {
    assert!(offset_of!(GrantsDesc, dirs) as u32 == GrantsDesc::DIRS_OFFSET);
    assert!(offset_of!(GrantsDesc, dir_count) as u32 == GrantsDesc::DIR_COUNT_OFFSET);
    assert!(offset_of!(GrantsDesc, env) as u32 == GrantsDesc::ENV_OFFSET);
    assert!(offset_of!(GrantsDesc, env_count) as u32 == GrantsDesc::ENV_COUNT_OFFSET);
    assert!(offset_of!(GrantsDesc, flags) as u32 == GrantsDesc::FLAGS_OFFSET);
    assert!(size_of::<GrantsDesc>() as u32 == GrantsDesc::SIZE);
    assert!(offset_of!(DirGrant, host) as u32 == DirGrant::HOST_OFFSET);
    assert!(offset_of!(DirGrant, host_len) as u32 == DirGrant::HOST_LEN_OFFSET);
    assert!(offset_of!(DirGrant, guest) as u32 == DirGrant::GUEST_OFFSET);
    assert!(offset_of!(DirGrant, guest_len) as u32 == DirGrant::GUEST_LEN_OFFSET);
    assert!(offset_of!(DirGrant, flags) as u32 == DirGrant::FLAGS_OFFSET);
    assert!(size_of::<DirGrant>() as u32 == DirGrant::SIZE);
    assert!(offset_of!(EnvGrant, name) as u32 == EnvGrant::NAME_OFFSET);
    assert!(offset_of!(EnvGrant, name_len) as u32 == EnvGrant::NAME_LEN_OFFSET);
    assert!(offset_of!(EnvGrant, value) as u32 == EnvGrant::VALUE_OFFSET);
    assert!(offset_of!(EnvGrant, value_len) as u32 == EnvGrant::VALUE_LEN_OFFSET);
    assert!(offset_of!(EnvGrant, flags) as u32 == EnvGrant::FLAGS_OFFSET);
    assert!(size_of::<EnvGrant>() as u32 == EnvGrant::SIZE);
};
