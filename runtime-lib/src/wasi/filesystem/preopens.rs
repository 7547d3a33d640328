//! `wasi:filesystem/preopens`: the granted directories (see `wasi::capabilities`), each call
//! handing out new descriptors (duplicates of the ones opened at start-up).

use super::types::{Descriptor, READ, WRITE, dup, new_descriptor};
use crate::wasi::abi::{Cx, List, Own, Str};
use crate::wasi::bindings::filesystem_preopens::Descriptor as DescriptorRes;
use crate::wasi::capabilities;

/// `get-directories`: every granted directory with its guest path, in grant order.
pub fn get_directories(cx: &mut Cx) -> List<(Own<DescriptorRes>, Str)> {
    let caps = capabilities::get();
    let list = cx.new_list::<(Own<DescriptorRes>, Str)>(caps.preopen_count() as u32);
    for i in 0..caps.preopen_count() {
        let Some(p) = caps.preopen(i) else { break };
        let Ok(fd) = dup(p.fd) else {
            crate::io::fatal("cannot duplicate a preopened directory's descriptor");
        };
        let perms = if p.read_only { READ } else { READ | WRITE };
        let own = new_descriptor(Descriptor {
            fd,
            dir: true,
            dir_perms: perms,
            file_perms: perms,
            mode: perms,
        });
        let name = cx.new_string(p.guest);
        cx.set(list, i as u32, (own, name));
    }
    list
}
