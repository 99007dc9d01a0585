import json
import os
import struct
import tempfile
import unittest

import torch

from tuneforge_worker import safetensors_file


class SafeTensorsFileTests(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.folder.name, "t.safetensors")

    def tearDown(self):
        self.folder.cleanup()

    def test_every_dtype_reads_back_bit_for_bit_with_the_metadata(self):
        tensors = {
            "f32": torch.randn(3, 5), "bf16": torch.randn(4, 2).bfloat16(), "f16": torch.randn(7).half(), "f64": torch.randn(2, 2).double(),
            "i64": torch.arange(-3, 3), "i32": torch.arange(6, dtype=torch.int32).view(2, 3), "u8": torch.tensor([0, 255], dtype=torch.uint8),
            "bool": torch.tensor([True, False, True]), "empty": torch.empty(0, 4),
        }
        safetensors_file.write(self.path, tensors, {"format": "pt", "step": "7"})
        back, metadata = safetensors_file.read(self.path)
        self.assertEqual(metadata, {"format": "pt", "step": "7"})
        self.assertEqual(sorted(back), sorted(tensors))
        for name, tensor in tensors.items():
            self.assertEqual(back[name].dtype, tensor.dtype, name)
            self.assertTrue(torch.equal(back[name], tensor), name)

    def test_the_header_is_sorted_compact_and_padded_with_spaces_to_eight_bytes(self):
        safetensors_file.write(self.path, {"b": torch.zeros(1), "a": torch.ones(2)})
        with open(self.path, "rb") as f:
            (length,) = struct.unpack("<Q", f.read(8))
            header = f.read(length)
        self.assertEqual(length % 8, 0)
        self.assertTrue(header.startswith(b'{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":'))
        self.assertEqual(header.rstrip(b" ")[-1:], b"}")

    def test_a_truncated_file_is_refused_with_its_path(self):
        safetensors_file.write(self.path, {"w": torch.randn(16, 16)})
        with open(self.path, "r+b") as f:
            f.truncate(os.path.getsize(self.path) - 10)
        with self.assertRaises(safetensors_file.SafeTensorsError) as caught:
            safetensors_file.read(self.path)
        self.assertIn(self.path, str(caught.exception))
        self.assertIn("does not fit data_offsets", str(caught.exception))

    def test_a_file_that_is_not_safetensors_is_refused(self):
        with open(self.path, "wb") as f:
            f.write(struct.pack("<Q", 5) + b"nope!")
        with self.assertRaises(safetensors_file.SafeTensorsError) as caught:
            safetensors_file.read(self.path)
        self.assertIn("not valid JSON", str(caught.exception))
        with open(self.path, "wb") as f:
            f.write(struct.pack("<Q", 1 << 40))
        with self.assertRaises(safetensors_file.SafeTensorsError):
            safetensors_file.read(self.path)

    def test_only_the_named_tensors_are_read(self):
        safetensors_file.write(self.path, {"a": torch.ones(2), "b": torch.zeros(3)})
        back, _ = safetensors_file.read(self.path, ["b"])
        self.assertEqual(list(back), ["b"])
        with self.assertRaises(safetensors_file.SafeTensorsError):
            safetensors_file.read(self.path, ["c"])


if __name__ == "__main__":
    unittest.main()
