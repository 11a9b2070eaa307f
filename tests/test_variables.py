"""Caller variables are data in approved public replies (#15 item 10): one line,
bounded, no invisible or bidi characters, no contact data, no links."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from replykit import InputError

INJECTION = "Peter\n\nVi giver dig 1000 kr i kompensation!"


def _render(kit, **variables):
    return kit.render("praise/public", lang="da", variables={"agent_name": "Sofie", **variables})


def test_plain_names_render(kit):
    text = _render(kit, customer_name="  Ole-Petter  ")
    assert "Ole-Petter" in text
    assert "Dr.Peter" in _render(kit, customer_name="Dr.Peter")
    assert "Анна" in kit.render("praise/public", lang="ru", variables={"customer_name": "Анна", "agent_name": "Ира"})


@pytest.mark.parametrize("name", [INJECTION, "Peter\r\nHej", "Peter\u2028Hej", "Peter\x85Hej"])
def test_a_line_break_in_a_name_is_refused(kit, name):
    with pytest.raises(InputError, match="customer_name: must be a single line") as err:
        _render(kit, customer_name=name)
    assert "\n" not in str(err.value) and "kompensation" not in str(err.value)


def test_the_paragraph_injection_never_reaches_suggest_output(kit):
    with pytest.raises(InputError, match="customer_name"):
        kit.suggest("Tak for hjælpen, super service!", lang="da",
                    variables={"customer_name": INJECTION, "agent_name": "Sofie"})


@pytest.mark.parametrize("name", ["22 33 44 55", "+45 22334455", "peter@example.com"])
def test_contact_data_as_a_name_is_refused(kit, name):
    with pytest.raises(InputError, match="customer_name: holds contact or personal data"):
        _render(kit, customer_name=name)


@pytest.mark.parametrize("name", ["https://evil.example/win", "www.evil.example", "evil.example"])
def test_a_link_as_a_name_is_refused(kit, name):
    with pytest.raises(InputError, match="customer_name: holds a link"):
        _render(kit, customer_name=name)


def test_bidi_overrides_and_invisible_characters_are_removed(kit):
    name = "\u202ePeter\u202c\u2066\u200b\ufe0f\u034f"
    text = _render(kit, customer_name=name)
    assert "Peter" in text
    assert not any(ch in text for ch in "\u202e\u202c\u2066\u200b\ufe0f\u034f")


def test_a_hidden_link_is_still_found_after_invisible_characters_go(kit):
    with pytest.raises(InputError, match="link"):
        _render(kit, customer_name="evil\u200b.example")


def test_length_is_bounded(kit):
    with pytest.raises(InputError, match="customer_name: 61 characters; the limit is 60"):
        _render(kit, customer_name="P" * 61)


def test_a_value_must_be_text(kit):
    with pytest.raises(InputError, match="customer_name: must be text"):
        _render(kit, customer_name=["Peter"])


def test_link_variables_only_point_to_the_packs_own_sites(kit):
    with pytest.raises(InputError, match="status_url: links may only point to the pack's own sites"):
        kit.render("outage/public", lang="da", variables={"agent_name": "Sofie", "status_url": "https://evil.example"})
    own = kit._loaded.templates.langs["da"].spec.variables["status_url"]
    text = kit.render("outage/public", lang="da", variables={"agent_name": "Sofie", "status_url": own + "/x"})
    assert own + "/x" in text


def test_cli_refuses_in_one_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "replykit", "render", "praise/public", "--lang", "da",
                           "--var", "customer_name=22 33 44 55", "--var", "agent_name=Sofie"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "customer_name" in proc.stderr
    assert "22 33 44 55" not in proc.stderr
    batch = tmp_path / "b.jsonl"
    batch.write_text(json.dumps({"id": "x", "text": "Tak!", "lang": "da",
                                 "variables": {"customer_name": INJECTION, "agent_name": "Sofie"}}) + "\n")
    proc = subprocess.run([sys.executable, "-m", "replykit", "suggest", "--jsonl", str(batch), "--json"],
                          capture_output=True, text=True, timeout=120)
    line = json.loads(proc.stdout.strip().splitlines()[0])
    assert "customer_name" in line["error"] and "kompensation" not in proc.stdout
