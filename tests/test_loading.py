"""A malformed pack gives one error naming the file and the line; a pack
never half-loads."""
from __future__ import annotations

from pathlib import Path

import pytest

from replykit import PackError, ReplyKit


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(needle)


def _load_error(pack: Path) -> PackError:
    with pytest.raises(PackError) as err:
        ReplyKit.load(pack / "templates", pack / "rules", default_rules=False)
    return err.value


def test_malformed_yaml(pack_copy):
    path = pack_copy / "templates" / "da" / "outage.yaml"
    _edit(path, "inquiry_type: outage", "inquiry_type: outage\n  bad: [unclosed")
    err = _load_error(pack_copy)
    assert err.path == str(path) and err.line in (2, 3, 4)
    assert "invalid YAML" in str(err) and str(err).startswith(f"{path}:")


def test_unknown_inquiry_type(pack_copy):
    path = pack_copy / "templates" / "replies.yaml"
    _edit(path, "inquiry_type: praise", "inquiry_type: kudos")
    err = _load_error(pack_copy)
    assert err.path == str(path)
    assert err.line == _line_of(path, "inquiry_type: kudos")
    assert "inquiry_type" in str(err)


def test_unknown_language_in_pack_yaml(pack_copy):
    path = pack_copy / "templates" / "pack.yaml"
    _edit(path, "languages: [da, no, nl, ru]", "languages: [da, no, nl, ru, sv]")
    err = _load_error(pack_copy)
    assert err.path == str(path) and err.line == _line_of(path, "languages:")


def test_unknown_language_folder(pack_copy):
    (pack_copy / "templates" / "sv").mkdir()
    err = _load_error(pack_copy)
    assert "unknown language folder 'sv'" in str(err)


def test_duplicate_reply_id(pack_copy):
    path = pack_copy / "templates" / "replies.yaml"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("  - id: outage/public\n    inquiry_type: outage\n    visibility: public\n")
    err = _load_error(pack_copy)
    assert "duplicate reply id 'outage/public'" in str(err)
    assert err.line == len(path.read_text(encoding="utf-8").splitlines()) - 2


def test_duplicate_rule_id(pack_copy):
    src = pack_copy / "rules" / "common" / "casual-emoji.yaml"
    (pack_copy / "rules" / "common" / "copy.yaml").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    err = _load_error(pack_copy)
    assert "duplicate rule id 'common.casual.emoji'" in str(err) and err.line == 1


def test_jinja_syntax_error(pack_copy):
    path = pack_copy / "templates" / "nl" / "praise.yaml"
    _edit(path, "{{ signature }}", "{{ signature }")
    err = _load_error(pack_copy)
    assert err.path == str(path) and "Jinja syntax error" in str(err)
    assert err.line is not None


def test_undeclared_variable(pack_copy):
    path = pack_copy / "templates" / "no" / "idea.yaml"
    _edit(path, "{{ signature }}", "{{ coupon_code }} {{ signature }}")
    err = _load_error(pack_copy)
    assert err.path == str(path) and "coupon_code" in str(err) and err.line


def test_broken_regex_in_rule(pack_copy):
    path = pack_copy / "rules" / "common" / "casual-exclamation.yaml"
    _edit(path, "  - '!{2,}'", "  - '(unclosed'")
    err = _load_error(pack_copy)
    assert err.path == str(path) and err.line == _line_of(path, "(unclosed")
    assert "broken regular expression" in str(err)


def test_unknown_category_in_rule(pack_copy):
    path = pack_copy / "rules" / "common" / "casual-emoji.yaml"
    _edit(path, "category: tone.too_casual", "category: tone.too_cute")
    err = _load_error(pack_copy)
    assert err.path == str(path) and err.line == _line_of(path, "category:")


def test_typo_in_a_key_is_reported(pack_copy):
    path = pack_copy / "rules" / "common" / "casual-emoji.yaml"
    _edit(path, "message:", "mesage:")
    err = _load_error(pack_copy)
    assert err.line == _line_of(path, "mesage:") and "unknown key" in str(err)


def test_variant_for_unknown_reply(pack_copy):
    path = pack_copy / "templates" / "da" / "idea.yaml"
    _edit(path, "idea/public:", "idea/publik:")
    err = _load_error(pack_copy)
    assert "no such reply" in str(err) and err.line == _line_of(path, "idea/publik:")


def test_missing_rule_folder_or_template_folder(tmp_path):
    with pytest.raises(PackError, match="not found"):
        ReplyKit.load(tmp_path / "nope")


def test_norwegian_no_is_not_a_boolean(pack_copy):
    # YAML 1.1 would read `no` as false; PR staff write langs: [no].
    path = pack_copy / "rules" / "common" / "casual-emoji.yaml"
    _edit(path, "category: tone.too_casual", "category: tone.too_casual\nlangs: [da, no]")
    kit = ReplyKit.load(pack_copy / "templates", pack_copy / "rules", default_rules=False)
    assert kit._loaded.rules.specs["common.casual.emoji"].langs == ["da", "no"]


def test_a_broken_reload_keeps_the_last_good_pack(pack_copy):
    kit = ReplyKit.load(pack_copy / "templates", pack_copy / "rules", default_rules=False)
    before = kit.render("praise/public", lang="da", samples=True)
    _edit(pack_copy / "templates" / "da" / "praise.yaml", "{{ signature }}", "{{ signature }", 1)
    with pytest.raises(PackError):
        kit.reload()
    assert kit.render("praise/public", lang="da", samples=True) == before


def test_reload_swaps_in_an_updated_pack(pack_copy):
    kit = ReplyKit.load(pack_copy / "templates", pack_copy / "rules", default_rules=False)
    _edit(pack_copy / "templates" / "da" / "praise.yaml", "{{ signature }}", "Vi ses! {{ signature }}", 1)
    kit.reload()
    # The changed text is served once it is approved again (an edit alone needs re-approval).
    assert "Vi ses!" in kit.render("praise/public", lang="da", samples=True, include_drafts=True)


def test_brand_override_names_only_what_it_changes(pack_copy, tmp_path):
    brand = tmp_path / "brand"
    brand.mkdir()
    (brand / "off.yaml").write_text("id: common.casual.emoji\nenabled: false\n", encoding="utf-8")
    (brand / "limits.yaml").write_text("id: common.channel.length\nlimits: {twitter: 280, facebook: 100}\n",
                                       encoding="utf-8")
    kit = ReplyKit.load(rules=brand)
    draft = "Hej Bo 😊😊 " + "vi kigger på det. " * 8 + "Hilsen Line"
    result = kit.check(draft, lang="da", channel="facebook")
    rules = {f.rule_id for f in result.findings}
    assert "common.casual.emoji" not in rules and "common.channel.length" in rules
    assert "common.casual.emoji" in {f.rule_id for f in ReplyKit.load().check(draft, lang="da").findings}
