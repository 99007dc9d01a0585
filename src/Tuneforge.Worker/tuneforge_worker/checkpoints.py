"""checkpoints/checkpoint-N/ folders, as the engine's CheckpointStore: each written whole into a hidden staging
folder and renamed; the oldest beyond save_total_limit deleted, never the best one nor the latest."""
import os
import re
import shutil

PREFIX = "checkpoint-"
STAGING_PREFIX = ".staging-"
STATE_FILE = "trainer_state.json"


class CheckpointStore:
    def __init__(self, directory):
        self.directory = directory

    def path_of(self, step):
        return os.path.join(self.directory, f"{PREFIX}{step}")

    def steps(self):
        if not os.path.isdir(self.directory):
            return []
        found = []
        for name in os.listdir(self.directory):
            match = re.fullmatch(PREFIX + r"(\d+)", name)
            if match and os.path.exists(os.path.join(self.directory, name, STATE_FILE)):
                found.append(int(match.group(1)))
        return sorted(found)

    def delete_unfinished(self):
        if not os.path.isdir(self.directory):
            return 0
        unfinished = [n for n in os.listdir(self.directory) if n.startswith(STAGING_PREFIX)]
        for name in unfinished:
            shutil.rmtree(os.path.join(self.directory, name))
        return len(unfinished)

    def save(self, step, write):
        os.makedirs(self.directory, exist_ok=True)
        staging = os.path.join(self.directory, f"{STAGING_PREFIX}{step}-{os.getpid()}")
        shutil.rmtree(staging, ignore_errors=True)
        os.makedirs(staging)
        write(staging)
        target = self.path_of(step)
        shutil.rmtree(target, ignore_errors=True)
        os.replace(staging, target)
        return target

    def rotate(self, limit, best_step):
        if limit is None:
            return []
        steps = self.steps()
        if not steps:
            return []
        protected = {steps[-1]}
        if best_step in steps:
            protected.add(best_step)
        allowed = max(limit, len(protected))
        deleted, remaining = [], len(steps)
        for step in steps:
            if remaining <= allowed:
                break
            if step in protected:
                continue
            shutil.rmtree(self.path_of(step))
            deleted.append(step)
            remaining -= 1
        return deleted
