"""Just enough ELF to tell a statically linked executable from a dynamic one."""
from __future__ import annotations

import struct

PT_INTERP = 3


def is_elf(data: bytes) -> bool:
    return data[:4] == b"\x7fELF"


def is_static(data: bytes) -> bool:
    """True when the executable asks for no program interpreter (no dynamic loader)."""
    if not is_elf(data) or len(data) < 64:
        return False
    wide = data[4] == 2
    order = "<" if data[5] == 1 else ">"
    if wide:
        phoff, = struct.unpack_from(order + "Q", data, 0x20)
        phentsize, phnum = struct.unpack_from(order + "HH", data, 0x36)
    else:
        phoff, = struct.unpack_from(order + "I", data, 0x1C)
        phentsize, phnum = struct.unpack_from(order + "HH", data, 0x2A)
    for index in range(phnum):
        offset = phoff + index * phentsize
        if offset + 4 > len(data):
            return False
        p_type, = struct.unpack_from(order + "I", data, offset)
        if p_type == PT_INTERP:
            return False
    return True
