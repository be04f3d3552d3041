"""A background thread that samples something every `interval` seconds while a benchmark runs."""

import threading


class Sampling:
    """Use as a context manager: `sample()` runs every `interval` seconds in a thread, and once more on
    leaving when `final_sample` is set. Subclasses define `sample`."""

    interval = 0.5
    final_sample = False

    def __init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self):
        raise NotImplementedError

    def _run(self):
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        if self.final_sample:
            self.sample()
