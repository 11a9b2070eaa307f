"""Every draft of the 10,000-character adversarial suite finishes with a verdict.

Speed is measured in bench/adversarial.py (section 11 of `make bench`), never asserted here; a hang
would show as this test not finishing.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

GENERATOR = Path(__file__).parent / "data" / "adversarial" / "generate.py"


def _requests() -> list[dict[str, str]]:
    spec = importlib.util.spec_from_file_location("adversarial_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.requests()


REQUESTS = _requests()


def test_suite_covers_every_kind_in_every_language():
    kinds = {r["kind"] for r in REQUESTS}
    assert {"long-compounds", "one-long-word", "promise-repeated", "dotted-capital-i", "digit-soup",
            "url-dutch-address", "mixed-scripts"} <= kinds
    assert {r["lang"] for r in REQUESTS} == {"da", "no", "nl", "ru"}
    assert all(len(r["draft"]) <= 10_000 for r in REQUESTS)


@pytest.mark.slow
@pytest.mark.parametrize("request_", REQUESTS, ids=[r["id"] for r in REQUESTS])
def test_adversarial_draft_gets_a_verdict(kit, request_):
    kw = {k: v for k, v in request_.items() if k not in ("id", "kind")}
    result = kit.check(**kw)
    assert result.verdict in ("ok", "revise", "blocked")
    if request_["kind"] == "promise-repeated":
        assert result.verdict == "blocked"  # the promise is still caught, however often it is repeated
    assert not any(f.rule_id == "internal.timeout" for f in result.findings)
