"""The pack cache holds data, never code, and only a private, intact, current cache is used."""
from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path

import pytest

from replykit import PackError, ReplyKit
from replykit.kit import bundled_path

VARS = {"customer_name": "Peter", "agent_name": "Sofie"}
PHRASE = "undskyld forstyrrelsen"  # in da/outage/public


@pytest.fixture
def pack(tmp_path, monkeypatch) -> Path:
    """A copy of the bundled templates, one rule (the whole rule set takes seconds to read), a fresh cache."""
    shutil.copytree(bundled_path("templates"), tmp_path / "templates")
    (tmp_path / "rules").mkdir()
    shutil.copy(bundled_path("rules") / "common" / "casual-exclamation.yaml", tmp_path / "rules")
    monkeypatch.setenv("REPLYKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("REPLYKIT_NO_CACHE", raising=False)
    return tmp_path


def load(pack: Path) -> ReplyKit:
    return ReplyKit.load(templates=pack / "templates", rules=pack / "rules", default_rules=False)


def outage_text(kit: ReplyKit) -> str:
    # The cache must see edits; approval is not the point here (an edited text needs re-approval).
    return kit.render("outage/public", lang="da", variables=VARS, include_drafts=True)


def entries(pack: Path) -> list[Path]:
    return sorted(p for p in (pack / "cache").iterdir() if not p.name.startswith("."))


def _digest(path: Path) -> bytes:
    return path.name.rsplit(".", 1)[0].split("-", 1)[1].encode()


def plant(pack: Path) -> None:
    """Put the cache entry of an edited pack under the current pack's name, as anyone who can write there could."""
    load(pack)
    current = {p.name.split("-")[0]: p for p in entries(pack)}
    yaml = pack / "templates" / "da" / "outage.yaml"
    original, st = yaml.read_bytes(), yaml.stat()
    yaml.write_bytes(original.replace(PHRASE.encode(), b"PLANTED TEXT"))
    load(pack)
    for path in entries(pack):
        target = current[path.name.split("-")[0]]
        if path != target:
            target.write_bytes(path.read_bytes().replace(_digest(path), _digest(target)))
            path.unlink()
    yaml.write_bytes(original)
    os.utime(yaml, ns=(st.st_atime_ns, st.st_mtime_ns))


class _MakesMarker:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))  # runs on unpickling


def test_the_cache_is_json_in_a_private_folder_and_is_used(pack, monkeypatch):
    assert PHRASE in outage_text(load(pack))
    assert (pack / "cache").stat().st_mode & 0o777 == 0o700
    names = [p.name for p in entries(pack)]
    assert len(names) == 2 and all(n.endswith(".json") for n in names), names
    for path in entries(pack):
        json.loads(path.read_text(encoding="utf-8"))
        assert path.stat().st_mode & 0o077 == 0
    _no_yaml(monkeypatch)  # a second load reads no YAML at all
    assert PHRASE in outage_text(load(pack))


def test_a_planted_pickle_is_never_unpickled(pack, tmp_path):
    payload = pickle.dumps(_MakesMarker(tmp_path / "proof"))
    pickle.loads(payload)  # the payload really does run code when unpickled ...
    assert (tmp_path / "proof").is_dir()

    marker = tmp_path / "pwned"
    payload = pickle.dumps(_MakesMarker(marker))
    load(pack)
    for path in entries(pack):  # ... planted under every name the cache uses
        path.write_bytes(payload)
    for kind in ("templates", "rules+needles+leads"):
        (pack / "cache" / f"{kind}-0123456789abcdef.pickle").write_bytes(payload)
    kit = load(pack)
    assert not marker.exists()
    assert PHRASE in outage_text(kit)


def test_a_same_size_edit_with_the_same_mtime_is_seen(pack):
    path = pack / "templates" / "da" / "outage.yaml"
    assert PHRASE in outage_text(load(pack))
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(PHRASE, PHRASE.upper()), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    assert PHRASE.upper() in outage_text(load(pack))


def test_a_new_folder_in_the_pack_is_seen(pack):
    load(pack)
    (pack / "templates" / "sv").mkdir()
    with pytest.raises(PackError, match="unknown language folder"):
        load(pack)


def test_a_planted_entry_is_served_only_from_a_private_folder(pack):
    plant(pack)
    # The cache's owner may of course change it (the control for the tests below).
    assert "PLANTED TEXT" in outage_text(load(pack))


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o703, 0o1777], ids=oct)
def test_a_cache_folder_others_can_write_to_is_ignored(pack, mode):
    plant(pack)
    (pack / "cache").chmod(mode)
    before = entries(pack)
    assert PHRASE in outage_text(load(pack))
    assert entries(pack) == before  # not written to either
    assert (pack / "cache").stat().st_mode & 0o7777 == mode  # and left as it was


def test_a_cache_file_others_can_write_to_is_ignored(pack):
    plant(pack)
    for path in entries(pack):
        path.chmod(0o666)
    assert PHRASE in outage_text(load(pack))


def test_a_cache_folder_of_another_user_is_ignored(pack, monkeypatch):
    plant(pack)
    if os.getuid() == 0:
        for path in [pack / "cache", *entries(pack)]:
            os.chown(path, 65534, 65534)
    else:  # without root, the files cannot be given away: become someone else instead
        uid = os.getuid() + 1
        monkeypatch.setattr(os, "getuid", lambda: uid)
    assert PHRASE in outage_text(load(pack))


def test_a_symlinked_cache_file_is_not_followed(pack, tmp_path):
    plant(pack)
    for path in entries(pack):
        elsewhere = tmp_path / ("elsewhere-" + path.name)
        path.rename(elsewhere)
        path.symlink_to(elsewhere)
    assert PHRASE in outage_text(load(pack))


def _no_yaml(monkeypatch):
    monkeypatch.setattr("replykit.pack.yamlio.yaml.load", lambda *a, **k: pytest.fail("YAML parsed"))


@pytest.mark.parametrize("damage", [b"", b"{", bytes(range(256)), "half"])
def test_a_corrupt_cache_file_rebuilds(pack, monkeypatch, damage):
    load(pack)
    for path in entries(pack):
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2] if damage == "half" else damage)
    assert PHRASE in outage_text(load(pack))
    _no_yaml(monkeypatch)  # rebuilt and written again
    assert PHRASE in outage_text(load(pack))


@pytest.mark.parametrize("damage", ["wrong shape", "invalid model", "other name"])
def test_a_cache_file_that_does_not_validate_rebuilds(pack, monkeypatch, damage):
    load(pack)
    for path in entries(pack):
        raw = path.read_bytes()
        doc = json.loads(raw)
        if damage == "wrong shape":
            raw = json.dumps({**doc, "data": {"specs": 3}}).encode()
        elif damage == "invalid model":  # valid JSON, right shape, a value no pack file could hold
            raw = raw.replace(b'"visibility":"public"', b'"visibility":"everywhere"')
            raw = raw.replace(b'"kind":"existence"', b'"kind":"whatever"')
        else:
            raw = json.dumps({**doc, "name": "templates-0.json"}).encode()
        assert raw != path.read_bytes()
        path.write_bytes(raw)
    assert PHRASE in outage_text(load(pack))
    _no_yaml(monkeypatch)
    assert PHRASE in outage_text(load(pack))


def test_a_file_vanishing_while_the_key_is_computed_means_no_cache(pack, monkeypatch):
    import replykit.pack.cache as cache

    def vanished(*args, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", "templates/da/outage.yaml")

    monkeypatch.setattr(cache, "_hash_tree", vanished)
    assert PHRASE in outage_text(load(pack))


def test_an_unusable_cache_location_is_not_an_error(pack, monkeypatch):
    (pack / "not-a-folder").write_text("x")
    monkeypatch.setenv("REPLYKIT_CACHE_DIR", str(pack / "not-a-folder"))
    assert PHRASE in outage_text(load(pack))
    monkeypatch.setenv("REPLYKIT_CACHE_DIR", str(pack / "not-a-folder" / "below"))
    assert PHRASE in outage_text(load(pack))
