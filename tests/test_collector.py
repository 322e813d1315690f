"""The garbage collector is paused around analysis and given back as it was."""

from __future__ import annotations

import gc

import pytest

from briefing.adapters.collector import collector_paused, freeze_survivors, thaw


@pytest.mark.parametrize("enabled", [True, False])
def test_collector_paused_restores_the_state_it_found(enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(RuntimeError), collector_paused():
            raise RuntimeError("analysis failed")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_frozen_objects_go_back_to_the_collector_on_thaw() -> None:
    freeze_survivors()
    assert gc.get_freeze_count() > 0
    thaw()
    assert gc.get_freeze_count() == 0
