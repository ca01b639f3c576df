"""Re-encode a GGUF with another tensor type (Q8_0, F32…) using gguf-py, for bench_llamacpp.py.

    .venv/bin/python benchmarks/model/requant_gguf.py IN.gguf OUT.gguf Q8_0

Metadata (architecture, tokenizer) is copied; each 2-D tensor is de-quantized and re-quantized.
"""

from __future__ import annotations

import sys

import gguf
import numpy as np
from gguf import GGMLQuantizationType as Q
from gguf import GGUFReader, GGUFWriter
from gguf.quants import dequantize, quantize


def main() -> None:
    src, dst, qtype = sys.argv[1], sys.argv[2], getattr(Q, sys.argv[3])
    r = GGUFReader(src)
    arch = r.get_field("general.architecture").contents()
    w = GGUFWriter(dst, arch=arch)
    for name, field in r.fields.items():
        if (
            name.startswith("GGUF.")
            or name == "general.architecture"
            or name == "general.file_type"
        ):
            continue
        vtype = field.types[0]
        if vtype == gguf.GGUFValueType.ARRAY:
            w.add_key_value(name, field.contents(), vtype, sub_type=field.types[-1])
        else:
            w.add_key_value(name, field.contents(), vtype)
    for t in r.tensors:
        data = (
            dequantize(t.data, t.tensor_type)
            .reshape([int(x) for x in reversed(t.shape)])
            .astype(np.float32)
        )
        if data.ndim == 2 and data.shape[-1] % 32 == 0 and qtype != Q.F32:
            w.add_tensor(t.name, quantize(data, qtype), raw_dtype=qtype)
        else:
            w.add_tensor(t.name, data)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


if __name__ == "__main__":
    main()
