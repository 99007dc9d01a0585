using System.Text;

namespace Tuneforge.Hub.Tests.Fakes;

/// <summary>Repository contents shaped like real causal-LM repos, with deterministic bytes.</summary>
public static class Models
{
    public const string Commit1 = "1111111111111111111111111111111111111111";
    public const string Commit2 = "2222222222222222222222222222222222222222";

    public static byte[] Bytes(int length, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    public static FakeFile Text(string path, string content) => new(path, Encoding.UTF8.GetBytes(content), Lfs: false);

    public static FakeFile Lfs(string path, int length, int seed) => new(path, Bytes(length, seed), Lfs: true);

    /// <summary>A single-file model with files a causal LM does not need beside it.</summary>
    public static List<FakeFile> SingleFile(int seed = 1) =>
    [
        Text("config.json", $$"""{"architectures":["Qwen2ForCausalLM"],"hidden_size":64,"seed":{{seed}}}"""),
        Text("generation_config.json", """{"temperature":0.6,"top_p":0.95}"""),
        Text("tokenizer.json", "{\"model\":{\"type\":\"BPE\"}," + new string('x', 40_000) + "\"\":1}"),
        Text("tokenizer_config.json", """{"add_bos_token":true}"""),
        Text("special_tokens_map.json", """{"eos_token":"<|end|>"}"""),
        Text("README.md", "# a model card"),
        Lfs("model.safetensors", 300_000, seed),
        Lfs("pytorch_model.bin", 50_000, seed + 100),
        Lfs("flax_model.msgpack", 20_000, seed + 200),
        Lfs("onnx/model.safetensors", 10_000, seed + 300),
    ];

    /// <summary>A sharded model: an index naming two shards, and a consolidated copy that must not be fetched.</summary>
    public static List<FakeFile> Sharded() =>
    [
        Text("config.json", """{"architectures":["LlamaForCausalLM"]}"""),
        Text("tokenizer.json", """{"model":{"type":"BPE"}}"""),
        Text("model.safetensors.index.json", """
            {"metadata":{"total_size":180000},"weight_map":{
              "model.embed_tokens.weight":"model-00001-of-00002.safetensors",
              "model.layers.0.mlp.up_proj.weight":"model-00001-of-00002.safetensors",
              "lm_head.weight":"model-00002-of-00002.safetensors"}}
            """),
        Lfs("model-00001-of-00002.safetensors", 100_000, 11),
        Lfs("model-00002-of-00002.safetensors", 80_000, 12),
        Lfs("consolidated.safetensors", 180_000, 13),
    ];
}
