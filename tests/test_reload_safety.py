"""reload() keeps the last good pack unless the new one is complete, made of
regular files and bounded (#15 item 9): a rule file gone mid-update, a symlink
to /dev/zero, a FIFO, an oversized file."""
from __future__ import annotations

import os
import threading

import pytest

from replykit import PackError, ReplyKit
from replykit.pack import files

PHONE_DRAFT = "Hej Peter, ring til mig på 22 33 44 55. Hilsen Sofie"


@pytest.fixture
def loaded(pack_copy):
    kit = ReplyKit.load(pack_copy / "templates", pack_copy / "rules", default_rules=False)
    assert kit.check(PHONE_DRAFT, lang="da", channel="facebook").verdict == "blocked"
    return kit, pack_copy


def _still_serving(kit: ReplyKit, before) -> None:  # noqa: ANN001
    assert kit._loaded is before  # the last good pack, not a half one
    assert kit.check(PHONE_DRAFT, lang="da", channel="facebook").verdict == "blocked"


def _rule_file(pack, rule_id: str = "common.pii.contact"):  # noqa: ANN001
    for path in (pack / "rules").rglob("*.yaml"):
        if f"id: {rule_id}" in path.read_text(encoding="utf-8"):
            return path
    raise AssertionError(rule_id)


def test_a_rule_file_deleted_mid_update_keeps_the_last_good_pack(loaded):
    kit, pack = loaded
    before = kit._loaded
    path = _rule_file(pack)
    path.unlink()
    with pytest.raises(PackError, match="missing.*partial update") as err:
        kit.reload()
    assert err.value.path == str(path)
    _still_serving(kit, before)
    kit.reload(allow_removals=True)  # a deliberate removal, said so
    assert kit._loaded is not before


def test_a_rule_file_truncated_mid_update_keeps_the_last_good_pack(loaded):
    kit, pack = loaded
    before = kit._loaded
    path = _rule_file(pack)
    path.write_text(path.read_text(encoding="utf-8")[:40], encoding="utf-8")
    with pytest.raises(PackError):
        kit.reload()
    _still_serving(kit, before)


def test_a_type_file_missing_keeps_the_last_good_pack(loaded):
    kit, pack = loaded
    before = kit._loaded
    (pack / "templates" / "da" / "outage.yaml").unlink()
    with pytest.raises(PackError, match="outage.yaml"):
        kit.reload()
    _still_serving(kit, before)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_symlink_to_dev_zero_is_refused_without_reading_it(loaded):
    kit, pack = loaded
    before = kit._loaded
    path = _rule_file(pack)
    path.unlink()
    path.symlink_to("/dev/zero")
    with pytest.raises(PackError, match="a device, not a regular file") as err:
        kit.reload()
    assert err.value.path == str(path)
    _still_serving(kit, before)
    with pytest.raises(PackError, match="device"):
        ReplyKit.load(pack / "templates", pack / "rules", default_rules=False)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_blocking(loaded):
    kit, pack = loaded
    before = kit._loaded
    fifo = pack / "rules" / "common" / "zz-fifo.yaml"
    os.mkfifo(fifo)
    outcome: list[object] = []
    worker = threading.Thread(target=lambda: outcome.append(_catch(kit.reload)), daemon=True)
    worker.start()
    worker.join(30)
    if worker.is_alive():  # unblock the open so the test process can end, then fail
        with open(fifo, "w"):
            pass
        pytest.fail("reload blocked on a FIFO")
    assert isinstance(outcome[0], PackError) and "FIFO" in str(outcome[0])
    _still_serving(kit, before)


def _catch(call):  # noqa: ANN001, ANN202
    try:
        call()
    except Exception as exc:  # noqa: BLE001
        return exc
    return None


def test_an_oversized_rule_file_is_refused(loaded):
    kit, pack = loaded
    before = kit._loaded
    path = _rule_file(pack)
    with open(path, "a", encoding="utf-8") as f:
        f.write("#" * (files.MAX_YAML_BYTES + 1))
    with pytest.raises(PackError, match="may have at most"):
        kit.reload()
    _still_serving(kit, before)


def test_read_bytes_refuses_a_fifo_opened_after_the_check(tmp_path):
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    with pytest.raises(PackError, match="FIFO"):
        files.read_bytes(fifo)


def test_an_unchanged_pack_reloads(loaded):
    kit, _ = loaded
    before = kit._loaded
    kit.reload()
    assert kit._loaded is not before
