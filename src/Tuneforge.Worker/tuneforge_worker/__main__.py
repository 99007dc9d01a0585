"""python -m tuneforge_worker --out DIR [--inputs DIR/worker]   (under torchrun for several processes)

Trains on the inputs ``tuneforge-engine prepare-train`` wrote and writes DIR/adapter (or DIR/model),
DIR/trainer_state.json and DIR/checkpoints/, with the engine's JSON-lines events on rank 0's stdout and in
DIR/events.jsonl. Exit codes: 0 done, 1 a problem with the inputs, the data or the numerics (an error event says
what and what to do), 70 a bug."""
import argparse
import os
import sys
import traceback

import torch

from .distributed import Runtime
from .errors import WorkerError
from .events import Events
from .inputs import WorkerInputs
from .train import Trainer


BUG_HINT = "This is a bug in tuneforge_worker; please report it with the output folder's worker/worker.json."

# What gloo and NCCL raise in a collective whose peer is gone.
PEER_LOST = ("Connection closed by peer", "Connection reset by peer", "Broken pipe", "NCCL communicator was aborted", "Socket Timeout")


def lost_peers(error, runtime):
    return runtime is not None and runtime.world_size > 1 and any(text in str(error) for text in PEER_LOST)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tuneforge_worker", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="the Train output folder (prepare-train wrote OUT/worker/)")
    parser.add_argument("--inputs", help="the worker's inputs (default OUT/worker)")
    args = parser.parse_args(argv)
    rank = int(os.environ.get("RANK", "0"))
    events = Events(args.out, enabled=rank == 0)
    runtime = None
    try:
        inputs = WorkerInputs(args.inputs or os.path.join(args.out, "worker"))
        runtime = Runtime(inputs.settings)
        # model.num_threads, else this machine's cores shared by its ranks (Debian's torch starts with 1 thread, the engine uses all).
        local_ranks = int(os.environ.get("LOCAL_WORLD_SIZE", "1"))
        torch.set_num_threads(inputs.settings["num_threads"] or max(1, (os.cpu_count() or 1) // local_ranks))
        # Each rank draws its own LoRA dropout masks; the stream is saved with checkpoints.
        torch.manual_seed(inputs.settings["seed"] + 1 + runtime.rank)
        runtime.start()
        weights_directory, result = Trainer(inputs, args.out, runtime, events).run()
        for path, kind in ((weights_directory, "adapter" if result["method"] != "full" else "model"),
                           (os.path.join(args.out, "trainer_state.json"), "trainer_state"),
                           (os.path.join(args.out, "train_args.json"), "train_args")):
            if os.path.exists(path):
                events.artifact(os.path.abspath(path), kind, os.path.getsize(path) if os.path.isfile(path) else None)
        events.result("train", result)
        return 0
    except WorkerError as e:
        events.error(e.message, e.hint, e.code)
        print(f"tuneforge_worker rank {rank}: error: {e.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        events.error("cancelled", None, "cancelled")
        return 130
    except RuntimeError as e:
        if not lost_peers(e, runtime):
            traceback.print_exc()
            events.error(f"internal error ({type(e).__name__}): {e}", BUG_HINT, "internal")
            return 70
        # Another rank ended first (killed, out of memory, its own error): not this rank's bug; torchrun reports the first failure.
        print(f"tuneforge_worker rank {rank}: lost the other processes: {e}", file=sys.stderr)
        events.error(f"rank {rank} lost the other processes of the run: {str(e).splitlines()[0]}",
                     f"Another process ended first; torchrun's report and each rank's output in {os.path.join(args.out, 'torchrun-logs')} say which and why.", "peer")
        return 1
    except Exception as e:  # a bug: the traceback goes to stderr, the event says where to report it
        traceback.print_exc()
        events.error(f"internal error ({type(e).__name__}): {e}", BUG_HINT, "internal")
        return 70
    finally:
        if runtime is not None:
            runtime.stop()
        events.close()


if __name__ == "__main__":
    sys.exit(main())
