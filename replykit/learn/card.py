"""The model card: what a language's model learnt from and how well it holds, for people."""
from __future__ import annotations

from .model import LangModel


def card_markdown(model: LangModel) -> str:
    c = model.card
    data, inquiry = c["data"], c["inquiry"]
    lines = [
        f"# Model card: {model.lang}",
        "",
        "Written by `replykit train`; figures are 5-fold cross-validated on the pack's own labelled data",
        "(grouped by record), so they describe wording like the training data. Blind figures are in the README.",
        "",
        f"Data: {data['posts']} posts, {data['drafts']} drafts, {data['clean']} clean replies "
        f"({data['writers']} writers), {data['recognition_examples']} recognition examples, "
        f"{data['approved_replies']} approved replies; {data['sentences']} sentences, {data['features']} features. "
        f"Data digest `{model.digest[:12]}`. Trained in {c['seconds']} s.",
        "",
        f"## Inquiry type: top-1 {inquiry['cv_top1']:.3f}, top-3 {inquiry['cv_top3']:.3f}",
        "",
        "| type | top-1 |",
        "|---|---|",
        *[f"| {t} | {v:.2f} |" for t, v in inquiry["cv_top1_per_type"].items()],
        "",
        "## Meaning categories (a draft counts once, by its strongest sentence)",
        "",
        "`rules miss`: positives no rule of the category reports; `adds`: how many of them the model's own",
        "findings catch at the warning threshold (cross-validated; a small, noisy count).",
        "`confirm`: below it, a rule's hit is taken as a false alarm.",
        "",
        "| category | positives | rules miss | warning: precision / recall / clean flagged | error: precision / "
        "recall | thresholds warning / error / confirm |",
        "|---|---|---|---|---|---|",
    ]
    for cat, cc in c["categories"].items():
        if "thresholds" not in cc:
            lines.append(f"| {cat} | {cc['positives']} | | {cc['model']} | | |")
            continue
        w, e, t = cc["warning"], cc["error"], cc["thresholds"]
        if w:
            warn = f"{w['precision']:.2f} / {w['recall']:.2f} / {w['clean_flagged']:.3f} (adds {w['adds']})"
        else:
            warn = "off (precision not held)"
        err = f"{e['precision']:.2f} / {e['recall']:.2f}" if e else "off"
        if "private_error" in t:  # a warning in a DM or e-mail, an error there only from this score
            p = cc.get("private_error") or {}
            err += f"; in private channels {p['precision']:.2f} / {p['recall']:.2f}" if p else \
                "; in private channels off (a warning there)"
        private = f" / private error {_t(t['private_error'])}" if "private_error" in t else ""
        lines.append(f"| {cat} | {cc['positives']} | {cc.get('rules_miss', '')} | {warn} | {err} | "
                     f"{_t(t['warning'])} / {_t(t['error'])} / "
                     f"{_t(t['confirm'])}{private} |")
    whole = c.get("whole_draft", {})
    if whole:
        lines += ["", "## Whole replies (texts of three sentences or more)", "",
                  "| category | positives | warning: precision / recall / clean flagged | threshold |",
                  "|---|---|---|---|"]
        for cat, cc in whole.items():
            w = cc.get("warning")
            figures = f"{w['precision']:.2f} / {w['recall']:.2f} / {w['clean_flagged']:.3f}" if w else \
                cc.get("model", "off (precision not held)")
            lines.append(f"| {cat} | {cc['positives']} | {figures} | {_t(cc.get('threshold'))} |")
    confirm = c.get("rules_needing_confirmation", {})
    lines += ["", "## Rules that need the model's confirmation", "",
              "These rules were right less than 90 % of the time on the labelled data (right / wrong: records",
              "where their category was / was not expected); their hits stand only where the model does not",
              "rule the sentence out. Every other rule has proved itself here and always stands.", ""]
    lines += [f"- `{rule}`: {v['right']} right, {v['wrong']} wrong" for rule, v in confirm.items()] or ["- none"]
    return "\n".join(lines) + "\n"


def _t(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
