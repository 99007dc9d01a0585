import math
import unittest

from tuneforge_worker.config import ModelConfig
from tuneforge_worker.errors import WorkerError

LLAMA_8B = {
    "architectures": ["LlamaForCausalLM"], "hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 32,
    "num_attention_heads": 32, "num_key_value_heads": 8, "vocab_size": 128256, "rms_norm_eps": 1e-5, "rope_theta": 500000.0,
    "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192},
    "torch_dtype": "bfloat16",
}


class ConfigTests(unittest.TestCase):
    def test_llama3_rope_scaling_keeps_short_wavelengths_divides_long_ones_and_blends_between(self):
        config = ModelConfig.parse(LLAMA_8B, "config.json")
        self.assertEqual((config.head_dim, config.num_key_value_heads, config.qkv_bias, config.qk_norm), (128, 8, False, False))
        plain = [1.0 / 500000.0 ** (2 * i / 128) for i in range(64)]
        scaled = config.inverse_frequencies()
        self.assertEqual(scaled[0], plain[0])                        # wavelength 2π < 8192 / 4
        self.assertAlmostEqual(scaled[-1], plain[-1] / 8, places=18)  # wavelength > 8192
        between = [i for i in range(64) if 8192 / 4 <= 2 * math.pi / plain[i] <= 8192]
        self.assertTrue(between)
        for i in between:
            self.assertTrue(plain[i] / 8 <= scaled[i] <= plain[i])

    def test_qwen2_has_qkv_bias_and_qwen3_has_qk_norm_and_its_own_head_dim(self):
        qwen2 = ModelConfig.parse({"architectures": ["Qwen2ForCausalLM"], "hidden_size": 1536, "intermediate_size": 8960, "num_hidden_layers": 28,
                                   "num_attention_heads": 12, "num_key_value_heads": 2, "vocab_size": 151936}, "c")
        self.assertEqual((qwen2.qkv_bias, qwen2.o_bias, qwen2.qk_norm, qwen2.head_dim), (True, False, False, 128))
        qwen3 = ModelConfig.parse({"architectures": ["Qwen3ForCausalLM"], "hidden_size": 1024, "head_dim": 128, "intermediate_size": 3072,
                                   "num_hidden_layers": 28, "num_attention_heads": 16, "num_key_value_heads": 8, "vocab_size": 151936,
                                   "tie_word_embeddings": True}, "c")
        self.assertEqual((qwen3.qkv_bias, qwen3.qk_norm, qwen3.head_dim, qwen3.tie_word_embeddings), (False, True, 128, True))

    def test_unsupported_configs_name_the_file_and_key(self):
        for change, key in (({"architectures": ["GPT2LMHeadModel"]}, "architectures"), ({"num_key_value_heads": 5}, "num_key_value_heads"),
                            ({"rope_scaling": {"rope_type": "yarn", "factor": 4}}, "rope_scaling.rope_type"), ({"hidden_act": "gelu"}, "hidden_act"),
                            ({"vocab_size": 0}, "vocab_size")):
            with self.subTest(key=key):
                with self.assertRaises(WorkerError) as caught:
                    ModelConfig.parse(dict(LLAMA_8B, **change), "/models/x/config.json")
                self.assertTrue(caught.exception.message.startswith(f"/models/x/config.json: {key}: "), caught.exception.message)


if __name__ == "__main__":
    unittest.main()
