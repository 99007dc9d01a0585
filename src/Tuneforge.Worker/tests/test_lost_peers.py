import types
import unittest

from tuneforge_worker.__main__ import lost_peers


class LostPeersTest(unittest.TestCase):
    def test_a_closed_gloo_connection_with_other_ranks_is_a_lost_peer(self):
        error = RuntimeError("[../third_party/gloo/gloo/transport/tcp/pair.cc:598] Connection closed by peer [127.0.0.1]:29871")
        self.assertTrue(lost_peers(error, types.SimpleNamespace(world_size=2)))

    def test_the_same_text_in_a_single_process_run_is_not(self):
        error = RuntimeError("Connection closed by peer")
        self.assertFalse(lost_peers(error, types.SimpleNamespace(world_size=1)))
        self.assertFalse(lost_peers(error, None))

    def test_another_runtime_error_is_not(self):
        self.assertFalse(lost_peers(RuntimeError("mat1 and mat2 shapes cannot be multiplied"), types.SimpleNamespace(world_size=2)))


if __name__ == "__main__":
    unittest.main()
