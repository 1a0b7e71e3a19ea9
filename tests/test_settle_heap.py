"""What ``tidtam serve`` built while starting is frozen out of the collector's full passes (``settle_heap``), and
what comes after is still collected."""

from __future__ import annotations

import gc
import weakref

from api.http_server import settle_heap


class _Cycle:
    """An object that only the cycle collector can free."""

    def __init__(self) -> None:
        self.me = self


def test_settle_heap_freezes_what_exists_and_collects_what_comes_after() -> None:
    before = _Cycle()
    try:
        settle_heap()
        assert gc.get_freeze_count() > 1000  # the interpreter's and the test run's own objects at least
        frozen = weakref.ref(before)
        del before
        gc.collect()
        assert frozen() is not None  # frozen: a full collection does not look at it
        after = _Cycle()
        collected = weakref.ref(after)
        del after
        gc.collect()
        assert collected() is None  # created after the freeze: collected as before
    finally:
        gc.unfreeze()
