#!/usr/bin/env python3
"""Prints the OpenBLAS kernel core type this machine's BLAS uses (what torch from Debian links).

Debian's python3-torch links libblas.so.3; with libopenblas0-pthread installed that alternative is
OpenBLAS, which picks its kernels from the CPU or from OPENBLAS_CORETYPE. Output: one line, e.g.
`Haswell (OPENBLAS_CORETYPE=Haswell; OpenBLAS 0.3.21 ...)`, or an error on stderr and exit 1 when
libblas.so.3 is not OpenBLAS.
"""
import ctypes
import os
import sys

try:
    lib = ctypes.CDLL("libblas.so.3")
    lib.openblas_get_corename.restype = ctypes.c_char_p
    lib.openblas_get_config.restype = ctypes.c_char_p
except (OSError, AttributeError) as err:
    sys.exit(f"libblas.so.3 is not OpenBLAS ({err}); install libopenblas0-pthread")
core = lib.openblas_get_corename().decode()
config = lib.openblas_get_config().decode().strip()
env = os.environ.get("OPENBLAS_CORETYPE")
print(f"{core} (OPENBLAS_CORETYPE={env if env is not None else 'unset'}; {config})")
