"""Bundled rules know no brand: names and web sites come from the loaded pack's variables.

A brand pack "Acme" with acme.dk links must pass the bundled rules' own examples, and a rule
that mentions the brand's site or name says it the way the brand does.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from replykit import ReplyKit
from replykit.brand_init import init_brand
from replykit.check.pack_values import resolve_spec, substitute
from replykit.lint import example_failures
from replykit.models import Example

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def acme_kit(tmp_path_factory) -> ReplyKit:
    brand = tmp_path_factory.mktemp("brand") / "acme"
    init_brand(brand, "Acme", ["da"])
    config = brand / "replykit.yaml"
    text = config.read_text(encoding="utf-8").replace("fibra.dk", "acme.dk")
    assert '"70 10 20 30"' in text  # init copies the base's hotline with the other links
    text = text.replace('"70 10 20 30"', '"33 44 55 66"')
    config.write_text(text, encoding="utf-8")
    return ReplyKit.load(brand)


def _resolved_good(kit: ReplyKit, rule_id: str, lang: str) -> list[str]:
    spec = kit._loaded.rules.specs[rule_id]  # noqa: SLF001
    values = kit._loaded.rules.values[lang]  # noqa: SLF001
    texts = [(e if isinstance(e, Example) else Example(text=e)) for e in spec.examples.good]
    return [substitute(e.text, values) or "" for e in texts if (e.lang or lang) == lang]


def test_no_bundled_rule_pattern_or_phrase_names_the_demo_brand():
    import yaml

    offenders = []
    for path in sorted((ROOT / "rules").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts = [*data.get("patterns", []), *data.get("unless", []), *data.get("phrases", []),
                 *data.get("none_of", []), *(p for g in data.get("all_of", []) for p in g)]
        examples = data.get("examples", {})
        texts += [e["text"] if isinstance(e, dict) else e for k in ("bad", "good") for e in examples.get(k, [])]
        offenders += [f"{path.name}: {t[:60]}" for t in texts if "fibra" in t.lower()]
    assert not offenders, offenders


def test_the_contact_rule_speaks_of_the_brands_own_address(acme_kit):
    good = _resolved_good(acme_kit, "common.pii.contact", "da")
    assert any("kundeservice@acme.dk" in t for t in good)
    assert not any("fibra" in t.lower() for t in good)
    # and the bundled pack still reads its own address
    bundled = ReplyKit.load()
    assert any("kundeservice@fibra.dk" in t for t in _resolved_good(bundled, "common.pii.contact", "da"))


def test_acme_brand_draft_is_judged_with_acme_names(acme_kit):
    # A team sign-off with the brand's name is impersonal; with the old brand's name it is just a word.
    draft = "Hej Jens. Vi har modtaget din henvendelse, og din sag er registreret. Med venlig hilsen Acme"
    ids = {f.rule_id for f in acme_kit.check(draft, lang="da", channel="facebook", models=False).findings}
    assert "da.value.impersonal" in ids


@pytest.mark.slow
def test_bundled_rule_examples_pass_for_a_brand_pack(acme_kit):
    specs = acme_kit._loaded.rules.specs  # noqa: SLF001
    failures = {rid: f for rid, spec in specs.items()
                if spec.enabled and (spec.langs is None or "da" in spec.langs)
                for f in [example_failures(acme_kit, spec)] if f}
    assert not failures, failures


def test_a_placeholder_value_is_escaped_in_patterns_and_plain_in_phrases():
    from replykit.models import RuleSpec

    spec = RuleSpec.model_validate({
        "id": "x.site", "kind": "existence", "category": "tone.too_casual", "message": "m", "description": "d",
        "patterns": [r"\b{{ brand_site }}/drift\b", r"\b{{ ideas_url }}\b"], "phrases": ["mit {{ brand_name }}"]})
    resolved = resolve_spec(spec, {"brand_site": "a+b.dk", "brand_name": "Acme"})
    assert resolved.patterns == [r"\ba\+b\.dk/drift\b"]  # ideas_url unset: that pattern cannot apply
    assert resolved.phrases == ["mit Acme"]


def test_the_brands_hotline_is_not_personal_data(acme_kit):
    draft = "Hej Bo, ring endelig til os på 33 44 55 66, så hjælper vi dig videre. Hilsen Line"
    ids = {f.rule_id for f in acme_kit.check(draft, lang="da", channel="facebook", models=False).findings}
    assert "common.pii.contact" not in ids
    # the same number in the bundled pack is someone's phone on a public wall
    bundled = {f.rule_id for f in ReplyKit.load().check(draft, lang="da", channel="facebook", models=False).findings}
    assert "common.pii.contact" in bundled


def test_a_brand_override_replaces_a_rules_examples(tmp_path):
    brand = tmp_path / "acme"
    init_brand(brand, "Acme", ["da"])
    (brand / "rules" / "acme").mkdir(parents=True, exist_ok=True)
    (brand / "rules" / "acme" / "contact.yaml").write_text(
        "id: common.pii.contact\nexamples:\n"
        "  bad: [{text: \"Hej Bo, skriv til bo@gmail.com. Hilsen Line\", lang: da}]\n"
        "  good: [{text: \"Hej Bo, skriv til os på {{ brand_site }}/kontakt. Hilsen Line\", lang: da}]\n",
        encoding="utf-8")
    kit = ReplyKit.load(brand)
    spec = kit._loaded.rules.specs["common.pii.contact"]  # noqa: SLF001
    assert [e.text for e in spec.examples.bad] == ["Hej Bo, skriv til bo@gmail.com. Hilsen Line"]
    assert len(spec.examples.good) == 1 and spec.detector == "pii"  # the rest of the rule is the bundled one
    assert example_failures(kit, spec) == []
