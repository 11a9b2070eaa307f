"""The contract in the repository: UTF-16 offsets, JSON Schema of requests and results,
the documented examples validating against it, and no path outside the repository."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from replykit.offsets import utf16_converter


def js_slice(text: str, start: int, end: int) -> str:
    """What `text.slice(start, end)` gives in JavaScript: UTF-16 code units."""
    units = text.encode("utf-16-le", "surrogatepass")
    return units[2 * start:2 * end].decode("utf-16-le", "surrogatepass")


# ------------------------------------------------------------------ offsets

ASTRAL_DRAFT = "Hej Bo 😀🎉 𝔘𝔫𝔦 👩‍👩‍👧, ring til mig på 22 33 44 55. Hilsen Line"


def test_finding_spans_in_utf16_match_python_spans(kit):
    result = kit.check(ASTRAL_DRAFT, lang="da", channel="facebook")
    pii = [f for f in result.findings if f.category == "forbidden.personal_data"]
    assert pii, result.findings
    for f in result.findings:
        assert f.start_utf16 is not None and f.end_utf16 is not None
        assert js_slice(ASTRAL_DRAFT, f.start_utf16, f.end_utf16) == ASTRAL_DRAFT[f.start:f.end]
    # 😀 🎉 𝔘 𝔫 𝔦 and the three people of 👩‍👩‍👧 are astral: eight extra units before the phone number.
    assert pii[0].start_utf16 == pii[0].start + 8
    assert ASTRAL_DRAFT[pii[0].start:pii[0].end] == "22 33 44 55"


def test_utf16_offsets_equal_code_points_without_astral_characters(kit):
    draft = "Hej Bo, ring til mig på 22 33 44 55. Hilsen Line ÆØÅ €"
    result = kit.check(draft, lang="da", channel="facebook")
    assert result.findings
    assert all((f.start_utf16, f.end_utf16) == (f.start, f.end) for f in result.findings)


def test_utf16_offsets_in_json_output(kit):
    data = kit.check(ASTRAL_DRAFT, lang="da", channel="facebook").model_dump(mode="json")
    assert {"start", "end", "start_utf16", "end_utf16"} <= set(data["findings"][0])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=()), max_size=40), st.data())
def test_utf16_converter_agrees_with_encoding(text, data):
    to_utf16 = utf16_converter(text)
    offset = data.draw(st.integers(0, len(text)))
    assert to_utf16(offset) == len(text[:offset].encode("utf-16-le", "surrogatepass")) // 2
    end = data.draw(st.integers(offset, len(text)))
    assert js_slice(text, to_utf16(offset), to_utf16(end)) == text[offset:end]
