#!/usr/bin/env bash
# Vendor the WASI 0.2 WIT packages, unchanged, from the published `wasip2` crate.
#
#   wit/vendor.sh
#
# Downloads the pinned crate through cargo (crates.io, checksum checked against the index),
# checks the downloaded .crate against the checksum cargo recorded, extracts the crate's
# `wit/deps/` from that .crate, and replaces `wit/deps/` with it:
#
#   crate: wit/deps/<package>.wit   ->   here: wit/deps/<package>/<package>.wit
#   crate: wit/deps/<package>/...   ->   here: wit/deps/<package>/...
#
# File contents are copied byte for byte. `wit/deps.lock` records the source crate, its
# version and checksum, and the sha256 of every vendored file; `tests/tests/wit.rs` checks
# `wit/deps/` against it (and against the crate itself) on every test run.
#
# To move to another WASI 0.2.N: change CRATE_VERSION (the crate's version names the WASI
# release in its build metadata), run this script, and update `smelt.wit`'s versions.
set -euo pipefail

CRATE=wasip2
CRATE_VERSION=2.0.1+wasi-0.2.12

wit_dir="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 1. A throwaway crate that depends on exactly that version; cargo resolves and downloads it.
mkdir -p "$work/fetch/src"
cat >"$work/fetch/Cargo.toml" <<EOF
[package]
name = "smelt-wit-fetch"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
$CRATE = "=$CRATE_VERSION"

[workspace]
EOF
: >"$work/fetch/src/lib.rs"
(cd "$work/fetch" && cargo generate-lockfile --quiet && cargo fetch --quiet)

# 2. Where cargo put it, and the checksum of the published .crate (from the index, via the lock).
metadata="$(cd "$work/fetch" && cargo metadata --format-version 1 --locked --offline)"
manifest="$(printf '%s' "$metadata" |
    grep -o "\"manifest_path\":\"[^\"]*/$CRATE-$CRATE_VERSION/Cargo.toml\"" |
    head -n 1 | sed -e 's/^"manifest_path":"//' -e 's/"$//')"
[ -n "$manifest" ] || { echo "vendor.sh: cargo did not resolve $CRATE $CRATE_VERSION" >&2; exit 1; }
src_dir="$(dirname "$manifest")"
checksum="$(awk -v name="$CRATE" -v version="$CRATE_VERSION" '
    $1 == "name" && $3 == "\"" name "\"" { in_pkg = 1; next }
    in_pkg && $1 == "version" { in_pkg = ($3 == "\"" version "\""); next }
    in_pkg && $1 == "checksum" { gsub(/"/, "", $3); print $3; exit }
    /^\[\[package\]\]/ { in_pkg = 0 }
' "$work/fetch/Cargo.lock")"
[ -n "$checksum" ] || { echo "vendor.sh: no checksum for $CRATE in Cargo.lock" >&2; exit 1; }

# cargo keeps the downloaded archive next to the unpacked source:
# $CARGO_HOME/registry/{src,cache}/<index>/<crate>-<version>[.crate]
registry_dir="$(dirname "$src_dir")"
crate_file="$(dirname "$(dirname "$registry_dir")")/cache/$(basename "$registry_dir")/$CRATE-$CRATE_VERSION.crate"
[ -f "$crate_file" ] || { echo "vendor.sh: $crate_file not found" >&2; exit 1; }
actual="$(sha256sum "$crate_file" | cut -d' ' -f1)"
if [ "$actual" != "$checksum" ]; then
    echo "vendor.sh: $crate_file has sha256 $actual, the index says $checksum" >&2
    exit 1
fi

# 3. Extract wit/deps from the .crate itself (not from the unpacked copy, which is writable).
tar -xzf "$crate_file" -C "$work" "$CRATE-$CRATE_VERSION/wit/deps" "$CRATE-$CRATE_VERSION/.cargo_vcs_info.json"
from="$work/$CRATE-$CRATE_VERSION/wit/deps"
[ -d "$from" ] || { echo "vendor.sh: $CRATE $CRATE_VERSION has no wit/deps" >&2; exit 1; }
# The commit of the crate's repository it was published from (provenance only).
git_sha1="$(grep -o '"sha1": *"[0-9a-f]*"' "$work/$CRATE-$CRATE_VERSION/.cargo_vcs_info.json" |
    grep -o '[0-9a-f]\{40\}' || true)"

staged="$work/deps"
mkdir -p "$staged"
entries=()
for entry in "$from"/*; do
    name="$(basename "$entry")"
    if [ -d "$entry" ]; then
        cp -R "$entry" "$staged/$name"
        while IFS= read -r f; do
            entries+=("$name/${f#"$entry"/}	wit/deps/$name/${f#"$entry"/}")
        done < <(find "$entry" -type f | LC_ALL=C sort)
    elif [[ "$name" == *.wit ]]; then
        package="${name%.wit}"
        mkdir -p "$staged/$package"
        cp "$entry" "$staged/$package/$name"
        entries+=("$package/$name	wit/deps/$name")
    else
        echo "vendor.sh: unexpected entry in the crate's wit/deps: $name" >&2
        exit 1
    fi
done

# 4. Replace wit/deps and write the lock file.
rm -rf "$wit_dir/deps"
cp -R "$staged" "$wit_dir/deps"
chmod -R u=rwX,go=rX "$wit_dir/deps"

lock="$wit_dir/deps.lock"
{
    echo "# Written by wit/vendor.sh; do not edit. Checked by tests/tests/wit.rs."
    echo "# wit/deps/ is the published crate's wit/deps/, unchanged: every file's sha256 is below."
    echo
    echo "[source]"
    echo "crate = \"$CRATE\""
    echo "version = \"$CRATE_VERSION\""
    echo "# sha256 of the .crate as published on crates.io (cargo's Cargo.lock checksum)"
    echo "crate-sha256 = \"$checksum\""
    echo "# commit of the crate's repository it was published from (.cargo_vcs_info.json)"
    echo "git-sha1 = \"$git_sha1\""
    echo
    echo "# path under wit/deps/ = { sha256, path of the same file inside the crate }"
    echo "[files]"
    while IFS=$'\t' read -r here there; do
        sum="$(sha256sum "$wit_dir/deps/$here" | cut -d' ' -f1)"
        echo "\"$here\" = { sha256 = \"$sum\", crate-path = \"$there\" }"
    done < <(printf '%s\n' "${entries[@]}" | LC_ALL=C sort)
} >"$lock"

echo "vendored $CRATE $CRATE_VERSION (${#entries[@]} files) into $wit_dir/deps"
