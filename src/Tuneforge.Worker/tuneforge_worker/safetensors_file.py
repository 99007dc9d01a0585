"""The safetensors format without the safetensors package: an 8-byte little-endian header length, a JSON header
(name -> dtype, shape, data_offsets; optional __metadata__ of strings), then the raw little-endian bytes.

Reading maps the file copy-on-write, so a tensor costs memory only once it is used or converted; writing sorts the
names, pads the header with spaces to 8 bytes (as the engine's writer does) and renames a finished temporary file.
"""
import json
import mmap
import os
import struct

import torch

DTYPES = {
    "F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool,
}
NAMES = {dtype: name for name, dtype in DTYPES.items()}
# Integer types of each element size: the bytes of any tensor are those of its same-size integer view.
_RAW = {1: torch.uint8, 2: torch.int16, 4: torch.int32, 8: torch.int64}
MAX_HEADER = 100 * 1024 * 1024


class SafeTensorsError(Exception):
    """A file that is not a readable safetensors file; the message names the file and the problem."""


def read_header(path):
    """(header dict without __metadata__, metadata dict, offset of the data section)."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            prefix = f.read(8)
            if len(prefix) < 8:
                raise SafeTensorsError(f"{path}: {size} bytes is too short for a safetensors file")
            (length,) = struct.unpack("<Q", prefix)
            if length > min(size - 8, MAX_HEADER):
                raise SafeTensorsError(f"{path}: the header length {length} runs past the end of the {size}-byte file")
            header = json.loads(f.read(length))
    except OSError as e:
        raise SafeTensorsError(f"{path}: {e.strerror}") from e
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise SafeTensorsError(f"{path}: the header is not valid JSON ({e})") from e
    if not isinstance(header, dict):
        raise SafeTensorsError(f"{path}: the header is not a JSON object")
    metadata = header.pop("__metadata__", None) or {}
    data_length = size - 8 - length
    for name, info in header.items():
        dtype = info.get("dtype")
        if dtype not in DTYPES:
            raise SafeTensorsError(f"{path}: tensor '{name}': unknown dtype {dtype!r}")
        begin, end = info["data_offsets"]
        count = 1
        for dim in info["shape"]:
            count *= dim
        if not 0 <= begin <= end <= data_length or (end - begin) != count * _element_size(DTYPES[dtype]):
            raise SafeTensorsError(f"{path}: tensor '{name}': shape {info['shape']} of {dtype} does not fit data_offsets [{begin}, {end}]"
                                   f" of the {data_length}-byte data section")
    return header, metadata, 8 + length


def read(path, names=None):
    """(dict name -> tensor, metadata). ``names`` limits what is read (all by default)."""
    header, metadata, base = read_header(path)
    wanted = header.keys() if names is None else names
    missing = [n for n in wanted if n not in header]
    if missing:
        raise SafeTensorsError(f"{path}: no tensor {missing[0]!r} (it has {len(header)})")
    tensors = {}
    with open(path, "rb") as f:
        if os.path.getsize(path) == base:
            view = b""
        else:
            view = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
        for name in wanted:
            info = header[name]
            dtype = DTYPES[info["dtype"]]
            begin, end = info["data_offsets"]
            if begin == end:
                tensors[name] = torch.empty(info["shape"], dtype=dtype)
                continue
            raw = torch.frombuffer(view, dtype=torch.uint8, count=end - begin, offset=base + begin)
            tensors[name] = raw.view(_RAW[_element_size(dtype)]).view(dtype).reshape(info["shape"])
    return tensors, metadata


def write(path, tensors, metadata=None):
    """Writes ``tensors`` (name -> tensor) deterministically; the file appears whole or not at all."""
    names = sorted(tensors)
    header = {"__metadata__": dict(sorted((metadata if metadata is not None else {"format": "pt"}).items()))}
    blobs, offset = [], 0
    for name in names:
        tensor = tensors[name].detach().cpu().contiguous()
        if tensor.dtype not in NAMES:
            raise ValueError(f"tensor '{name}': dtype {tensor.dtype} cannot be stored")
        data = tensor.reshape(-1).view(_RAW[_element_size(tensor.dtype)]).numpy().tobytes() if tensor.numel() else b""
        header[name] = {"dtype": NAMES[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    temporary = f"{path}.tmp-{os.getpid()}"
    try:
        with open(temporary, "wb") as f:
            f.write(struct.pack("<Q", len(text)))
            f.write(text)
            for data in blobs:
                f.write(data)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _element_size(dtype):
    return torch.empty((), dtype=dtype).element_size()
