using Tuneforge.Pipeline.Spec;
using Tuneforge.Protocol;
using Tuneforge.Stages.Engine;
using Tuneforge.Targets;

namespace Tuneforge.Stages.Tests;

/// <summary>What a user reads when the engine fails: another program stands in for the engine (as $TUNEFORGE_ENGINE can),
/// speaking the protocol or crashing.</summary>
public class EngineClientTests
{
    static readonly EngineJob Job = TrainStage.Job(new ModelSpec(), new TrainSpec(), "/data/train.jsonl", null, "/repo");

    // A bash script as the engine: it gets `<verb> --job FILE --out DIR` like the real one.
    static EngineCommand FakeEngine(Scratch scratch, string body)
    {
        var script = scratch.Write("engine.sh", "#!/usr/bin/env bash\n" + body + "\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new EngineCommand("bash", [script]);
    }

    [Fact]
    public async Task An_error_event_becomes_the_build_error_with_its_hint()
    {
        using var scratch = new Scratch();
        var engine = FakeEngine(scratch, """echo '{"event":"error","message":"the train job has no train section","hint":"Write one."}'; exit 1""");
        var error = await Assert.ThrowsAsync<BuildException>(() => new EngineClient(scratch.Path, engine).RunAsync(Job, scratch.File("out")));
        Assert.Equal("the train job has no train section\n  Write one.", error.Message);
    }

    [Fact]
    public async Task A_kill_by_the_out_of_memory_killer_says_what_to_lower_and_that_nothing_was_cached()
    {
        using var scratch = new Scratch();
        var engine = FakeEngine(scratch, "echo 'allocating 12 GB' >&2; kill -9 $$");
        var error = await Assert.ThrowsAsync<BuildException>(() => new EngineClient(scratch.Path, engine).RunAsync(Job, scratch.File("out")));
        Assert.StartsWith("The engine's train failed: it was killed (exit 137): usually the system ran out of memory; lower per_device_train_batch_size or max_seq_length, or use method: qlora.", error.Message);
        Assert.Contains("Last output:\n    allocating 12 GB", error.Message);
        Assert.EndsWith("Nothing was cached; the full output is in .nuke/temp/build.log.", error.Message);
    }

    [Fact]
    public async Task A_silent_nonzero_exit_is_reported_with_its_code()
    {
        using var scratch = new Scratch();
        var engine = FakeEngine(scratch, "exit 3");
        var error = await Assert.ThrowsAsync<BuildException>(() => new EngineClient(scratch.Path, engine).RunAsync(Job, scratch.File("out")));
        Assert.StartsWith("The engine's train failed: it exited with code 3 without reporting an error.", error.Message);
    }

    [Fact]
    public async Task The_engine_gets_the_job_file_and_its_output_folder_and_its_result_is_read_typed()
    {
        using var scratch = new Scratch();
        var engine = FakeEngine(scratch, """
            [ "$1" = train ] && [ "$2" = --job ] && [ -f "$3" ] && [ "$4" = --out ] || exit 9
            grep -q '"verb": "train"' "$3" || exit 8
            echo 'a native library prints this'
            echo '{"event":"result","verb":"train","data":{"method":"lora","loss":1.84,"eval_loss":2.02,"tokens_per_s":950.5,"compute_dtype":"bfloat16","weights":"adapter","peak_rss_bytes":1073741824}}'
            """);
        var run = await new EngineClient(scratch.Path, engine).RunAsync(Job, scratch.File("out"));
        var result = StageResult.Read<TrainResult>(run.Result, TrainStage.Verb);
        Assert.Equal(1.84, result.Loss);
        Assert.Equal(2.02, result.EvalLoss);
        Assert.Equal(950.5, result.TokensPerS);
        Assert.Equal("adapter", result.Weights);
        Assert.Equal("/data/train.jsonl", EngineJob.Read(scratch.File("out/job.json"), "train").Input(TrainStage.TrainInput));
    }

    // What the engine's serve does when SIGTERM comes while it still loads its model: a "cancelled" error, exit 130.
    const string ServerStoppedWhileLoading = """
        trap 'echo "{\"event\":\"error\",\"message\":\"cancelled\",\"code\":\"cancelled\"}"; exit 130' TERM
        echo '{"event":"log","message":"listening; loading the model"}'
        while true; do sleep 0.1; done
        """;

    [Fact]
    public async Task A_server_stopped_while_it_still_loads_has_ended_as_servers_end()
    {
        using var scratch = new Scratch();
        using var stop = new CancellationTokenSource();
        var run = await new EngineClient(scratch.Path, FakeEngine(scratch, ServerStoppedWhileLoading))
            .RunAsync(Job, scratch.File("out"), e => { if (e is LogEvent) stop.Cancel(); }, stopGrace: TimeSpan.FromSeconds(10), cancellation: stop.Token);
        Assert.Equal("cancelled", run.Error?.Code);
    }

    [Fact]
    public async Task A_verb_that_does_not_run_until_stopped_is_cancelled_by_the_same_signal()
    {
        using var scratch = new Scratch();
        using var stop = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new EngineClient(scratch.Path, FakeEngine(scratch, ServerStoppedWhileLoading))
            .RunAsync(Job, scratch.File("out"), e => { if (e is LogEvent) stop.Cancel(); }, cancellation: stop.Token));
    }

    [Fact]
    public async Task An_engine_that_exits_without_a_result_is_a_clear_error()
    {
        using var scratch = new Scratch();
        var engine = FakeEngine(scratch, "exit 0");
        var run = await new EngineClient(scratch.Path, engine).RunAsync(Job, scratch.File("out"));
        var error = Assert.Throws<StageFileException>(() => StageResult.Read<TrainResult>(run.Result, TrainStage.Verb));
        Assert.Equal("The engine's train finished without a result event.", error.Message);
    }
}
