"""`Triage`: incoming posts in, the queue in the order to answer them out.

    from replykit import ReplyKit
    from replykit.triage import Triage
    result = Triage(ReplyKit.load()).run(posts, now=None, variables={"agent_name": "Sofie", "eta": "kl. 22"})

Each post is read once with the kit (language, inquiry type, escalation cues), checked for
personal data it exposes, given its escalations, team, answer policy, priority and due times;
then the posts are clustered into incidents, storms get their one reply in rotating wordings,
and the queue is sorted (earliest due first response first).
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict, deque
from typing import Any, Iterable, Mapping, cast

from ..errors import InputError, ReplyKitError
from ..requests import TriageRequest, parse_request
from ..vocabulary import CHANNELS
from . import escalation as esc
from .cluster import (
    Cluster,
    PostFeatures,
    cluster_posts,
    place_key,
    place_words,
    places,
    tfidf,
    type_vector,
    wording_features,
)
from .config import TriageConfig
from .exposure import exposed_kinds
from .policy import decide
from .queue import priority, queue_key
from .results import Storm, TriageItem, TriageResult
from .service_levels import levels_for
from .storm_reply import find_variant, reply_language, storm_reply

log = logging.getLogger("replykit.triage")


def _aware(t: dt.datetime) -> dt.datetime:
    """A time without a zone is read as UTC (documented): due times must be comparable."""
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.timezone.utc)


class _Post:
    """What triage learns about one post before clustering (internal)."""

    def __init__(self, request: TriageRequest, index: int):
        self.request = request
        self.index = index
        self.id = str(request.id)
        self.time = _aware(request.time)
        self.channel = request.channel
        self.lang = ""
        self.type: str | None = None
        self.candidates: dict[str, float] = {}
        self.flags: list[str] = []
        self.kinds: list[str] = []
        self.exposed: list[str] = []
        self.places: frozenset[str] = frozenset()


class Triage:
    """Triage posts with a loaded kit and its pack's `triage:` section (defaults when absent)."""

    def __init__(self, kit: Any, config: TriageConfig | None = None):
        self.kit = kit
        pack = kit._loaded.templates  # noqa: SLF001 - the pack's own configuration and texts
        self.config = config or pack.meta.triage or TriageConfig.model_validate({})
        self._vocabulary: dict[str, frozenset[str]] = {}

    def run(self, posts: Iterable[TriageRequest | Mapping[str, Any]], now: dt.datetime | None = None,
            variables: Mapping[str, object] | None = None) -> TriageResult:
        """`posts`: requests or dicts ({"id", "time", "channel", "text", "lang"?, "author"?}); a bad
        one is reported in `errors` and left out. `now` (default: the clock) decides `overdue`.
        `variables`: for storm replies (agent_name, and the incident's area, eta, incident_id, status_url)."""
        now = _aware(now or dt.datetime.now(dt.timezone.utc))
        loaded = self.kit._loaded  # noqa: SLF001 - the rules and texts of the pack this run started with
        config = self.config
        errors: list[dict] = []
        requests: list[TriageRequest] = []
        seen: set[str] = set()
        for raw in posts:
            try:
                request = raw if isinstance(raw, TriageRequest) else cast(TriageRequest, parse_request("triage", raw))
                if request.channel not in CHANNELS:
                    raise InputError(f"unknown channel {request.channel!r} (known: {', '.join(CHANNELS)})")
                if str(request.id) in seen:
                    raise InputError(f"duplicate id {request.id!r}")
            except ReplyKitError as exc:
                errors.append({"id": raw.get("id") if isinstance(raw, Mapping) else getattr(raw, "id", None),
                               "error": str(exc).splitlines()[0]})
                continue
            seen.add(str(request.id))
            requests.append(request)
        # Numbered in time order (then id), not input order: the same posts always give the same queue.
        requests.sort(key=lambda r: (_aware(r.time), str(r.id)))
        read: list[_Post] = []
        for request in requests:
            post = _Post(request, len(read))
            try:
                self._read(post, loaded)
            except ReplyKitError as exc:  # a post over the kit's size limit, a language the pack lacks
                errors.append({"id": post.id, "error": str(exc).splitlines()[0]})
                continue
            read.append(post)
        repeated = self._repeat_authors(read)
        for post in read:
            signs = esc.troll_signs(post.request.text, post.flags, post.type, post.index in repeated)
            post.kinds = esc.escalation_kinds(post.flags, signs, config)
        clusters = self._clusters(read)
        return self._result(read, clusters, now, variables or {}, errors, loaded.templates)

    # ------------------------------------------------------------------ steps

    def _read(self, post: _Post, loaded: Any) -> None:
        request = post.request
        result = self.kit.suggest(request.text, lang=request.lang, channel=request.channel, top=1)
        post.lang = result.lang
        post.type = result.inquiry_type
        post.candidates = {c.type: c.score for c in result.candidates}
        post.flags = [e.flag for e in result.escalation]
        post.exposed = exposed_kinds(loaded.rules, request.text, post.lang, request.channel, request.author,
                                     self.config.personal_data_rules)
        post.places = places(request.text, post.lang, self._brand_words(loaded, post.lang))
        log.debug("triage %s: lang %s, type %s, flags %s", post.id, post.lang, post.type, post.flags)

    def _brand_words(self, loaded: Any, lang: str) -> frozenset[str]:
        """The pack's vocabulary (brand and product names): capitalised after "på", but no place."""
        words = self._vocabulary.get(lang)
        if words is None:
            words = self._vocabulary[lang] = frozenset(w.lower() for w in loaded.templates.langs[lang].spec.vocabulary)
        return words

    def _repeat_authors(self, posts: list[_Post]) -> set[int]:
        """Posts whose author has posted `troll.repeat_posts` times within the storm window up to them."""
        window, need = self.config.storm.window, self.config.troll.repeat_posts
        recent: dict[str, deque] = defaultdict(deque)
        out = set()
        for post in sorted(posts, key=lambda p: (p.time, p.index)):
            author = (post.request.author or "").strip().lower()
            if not author:
                continue
            times = recent[author]
            times.append(post.time)
            while post.time - times[0] > window:
                times.popleft()
            if len(times) >= need:
                out.add(post.index)
        return out

    def _individual(self, post: _Post) -> bool:
        return bool(post.kinds or post.exposed) or post.type in self.config.storm.individual_types

    def _clusters(self, posts: list[_Post]) -> list[Cluster]:
        vectors = tfidf([wording_features(p.request.text, p.lang) for p in posts])
        features = []
        groups: list[list[str]] = [list(g) for g in self.config.storm.type_groups]
        for post, vec in zip(posts, vectors, strict=True):
            features.append(PostFeatures(post.index, post.time, type_vector(post.candidates, groups),
                                         vec, post.places, self._individual(post)))
        return cluster_posts(features, self.config.storm)

    def _result(self, posts: list[_Post], clusters: list[Cluster], now: dt.datetime,
                variables: Mapping[str, object], errors: list[dict], pack: Any) -> TriageResult:
        config = self.config
        member_of = {i: c for c in clusters for i in c.members}
        related_to = {i: c for c in clusters for i in c.related}
        storms = [c for c in clusters if len(c.members) >= config.storm.threshold]
        storm_ids = {c.number for c in storms}
        by_index = {p.index: p for p in posts}
        replies = {}
        notices: dict[int, str] = {}
        storm_models = []
        for c in storms:
            members = sorted((by_index[i] for i in c.members), key=lambda p: (p.time, p.index))
            storm_type = most_common_value([m.type for m in members])  # one reply for all: the storm's type
            storm_lang = most_common_value([m.lang for m in members])
            turns: dict[tuple[str, str], int] = defaultdict(int)
            for member in members:
                lang = reply_language(member.lang, storm_lang, member.request.lang is not None)
                cv = find_variant(pack, storm_type, lang, member.channel) if storm_type else None
                if cv is None:
                    continue
                key = (cv.template_id, member.channel)
                replies[member.index] = storm_reply(pack, cv, turns[key], member.request.author, variables)
                turns[key] += 1
            reply_langs = sorted({replies[m.index].template_id.split("/")[0] for m in members if m.index in replies})
            storm = _storm_model(c, members, [by_index[i] for i in c.related], reply_langs)
            storm_models.append(storm)
            for i in c.members + c.related:
                notices[i] = storm.notice
        items = []
        for post in posts:
            first, solution = levels_for(config.service_levels, post.channel, post.type, post.kinds)
            team, others = esc.route(post.kinds, config)
            decision = decide(config.answer, post.type, post.kinds, bool(post.exposed), post.channel)
            prio = priority(config.priorities, post.type, post.kinds, bool(post.exposed))
            cluster = member_of.get(post.index)
            related = related_to.get(post.index)
            due_first = post.time + first
            items.append(TriageItem(
                id=post.id, time=post.time, channel=post.channel, lang=post.lang, type=post.type,
                escalation=post.kinds, signals=post.flags, route=team, also_notify=others,
                answer=decision.mode, answer_where=decision.where, answer_note=decision.note, priority=prio,
                due_first_response=due_first, due_solution=post.time + solution, overdue=now > due_first,
                cluster=f"c{cluster.number}" if cluster else None,
                related_cluster=f"c{related.number}" if related else None,
                storm=bool(cluster and cluster.number in storm_ids), exposes_personal_data=bool(post.exposed),
                reply=replies.get(post.index),
                notices=[notices[post.index]] if post.index in notices else []))
        items.sort(key=lambda it: queue_key(it.due_first_response, it.priority, it.time, it.id))
        return TriageResult(items=items, storms=storm_models, errors=errors)


def _storm_model(c: Cluster, members: list[_Post], related: list[_Post], langs: list[str]) -> Storm:
    types = most_common_value([m.type for m in members])
    area_key = c.places.most_common(1)[0][0] if c.places else None
    area = None
    if area_key:  # the place as most members wrote it
        written = [w for m in members for w in place_words(m.request.text, m.lang)]
        area = most_common_value([w for w in written if place_key(w) == area_key])
    langs = langs or sorted({m.lang for m in members})
    first, last = members[0].time, members[-1].time
    notice = (f"storm {len(members)} posts about one incident ({types or 'unknown type'}"
              f"{', ' + area if area else ''}; {', '.join(langs)}) from {first.isoformat()} to {last.isoformat()}: "
              f"one approved reply goes to each member in rotating wordings; {len(related)} related posts "
              "(complaints, trolls, escalations) stay individual")
    return Storm(cluster=f"c{c.number}", size=len(members), type=types, area=area, first=first, last=last,
                 langs=langs, individual=len(related), notice=notice)


def most_common_value(values: list[str | None]) -> str | None:
    """The most common value (ties: the alphabetically first, for a stable answer)."""
    counts: dict[str, int] = defaultdict(int)
    for v in values:
        if v:
            counts[v] += 1
    return min(counts, key=lambda v: (-counts[v], v)) if counts else None
