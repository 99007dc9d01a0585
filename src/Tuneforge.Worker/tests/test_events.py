import io
import json
import os
import sys
import tempfile
import unittest

from tuneforge_worker.events import Events


class EventsTests(unittest.TestCase):
    def test_rank_zero_writes_each_event_to_stdout_and_events_jsonl_with_nulls_left_out(self):
        with tempfile.TemporaryDirectory() as folder:
            stdout, sys.stdout = sys.stdout, io.StringIO()
            try:
                events = Events(folder, enabled=True)
                events.step(3, 10, 0.3, 2.5, 1e-4, float("nan"), None, 12.0)
                events.result("train", {"loss": 2.5, "eval_loss": None})
                events.close()
                printed = sys.stdout.getvalue()
            finally:
                sys.stdout = stdout
            with open(os.path.join(folder, "events.jsonl"), encoding="utf-8") as f:
                self.assertEqual(f.read(), printed)
        first, second = [json.loads(line) for line in printed.splitlines()]
        self.assertEqual(first, {"event": "step", "step": 3, "total_steps": 10, "epoch": 0.3, "loss": 2.5, "lr": 1e-4, "eta_s": 12.0})
        self.assertEqual(second, {"event": "result", "verb": "train", "data": {"loss": 2.5, "eval_loss": None}})

    def test_other_ranks_write_nothing(self):
        with tempfile.TemporaryDirectory() as folder:
            Events(folder, enabled=False).log("hello")
            self.assertFalse(os.path.exists(os.path.join(folder, "events.jsonl")))


if __name__ == "__main__":
    unittest.main()
