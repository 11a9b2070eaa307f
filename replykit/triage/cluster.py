"""Posts about one incident within a time window: incident clusters, and storms.

Single-pass clustering, the classic method of event detection in a stream: posts are taken in
time order (then id), and each joins the open cluster it is most similar to, or starts a new
one. A cluster is open while its last post is at most `storm.window` old. Similarity is
language-aware and never exact text; a post joins the cluster with the highest wording cosine
among those where both hold:

  cos(inquiry-type scores, cluster's) >= storm.type_similarity
  cos(wording, cluster's)             >= storm.wording_similarity

* inquiry-type scores: the pack's trained model per language (so "nettet er nede" and
  "storing in de wijk" both read as an outage), types of one `storm.type_groups` group summed;
* wording: tf-idf over character n-grams (3-5, within words) and Snowball word stems of the
  normalised text, digits and links left out; idf from the batch itself;
* places: a capitalised word after a place preposition ("i Aarhus", "in Utrecht", "в Казани"),
  compared by its first five letters so Russian case endings match. A post naming places, none of
  which its cluster has seen, does not join it: two towns' outages in one hour stay apart.

Posts that need an individual answer are never members; one similar enough to an open cluster
is marked as related to it. Output is a pure function of the posts (no randomness, fixed order).
"""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field

import regex

from ..text.normalize import normalize
from ..text.tokens import tokenize
from .config import StormConfig

Vector = dict[str, float]

_PLACE_PREPOSITIONS = {
    "da": r"i|på|ved|omkring|rundt\s+om",
    "no": r"i|på|ved|rundt|omkring",
    "nl": r"in|bij|rond|rondom|omgeving",
    "ru": r"в|во|на|по|под",
}
_PLACE_WHOLE = {"da": r"hele\s+", "no": r"hele\s+", "nl": r"heel\s+|het\s+hele\s+", "ru": r"всей\s+|всём\s+|всем\s+"}
_NOISE = regex.compile(r"https?://\S+|www\.\S+|\S+@\S+|\d+")


def _place_pattern(lang: str) -> regex.Pattern:
    preps = _PLACE_PREPOSITIONS.get(lang, _PLACE_PREPOSITIONS["da"])
    whole = _PLACE_WHOLE.get(lang, "")
    return regex.compile(rf"(?<!\w)(?i:{preps})\s+(?i:{whole})?(\p{{Lu}}[\p{{L}}\-]{{2,}})")


def place_words(text: str, lang: str) -> list[str]:
    """The places a post names, as written."""
    return [m.group(1) for m in _place_pattern(lang).finditer(text)]


def places(text: str, lang: str, ignore: frozenset[str]) -> frozenset[str]:
    """Keys (first five letters, lower-cased) of the places a post names; brand words ignored."""
    return frozenset(place_key(w) for w in place_words(text, lang) if w.lower() not in ignore)


def place_key(word: str) -> str:
    return word.lower().replace("ё", "е")[:5]


def wording_features(text: str, lang: str) -> Counter:
    clean = _NOISE.sub(" ", normalize(text).text.lower())
    feats: Counter = Counter()
    for tok in tokenize(clean, lang):
        feats["s|" + tok.stem] += 1
        padded = f" {tok.text} "
        for n in (3, 4, 5):
            for i in range(len(padded) - n + 1):
                feats["c|" + padded[i:i + n]] += 1
    return feats


def _unit(vec: Vector) -> Vector:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm else {}


def tfidf(counts: list[Counter]) -> list[Vector]:
    """Sublinear tf-idf, unit length; idf from these posts (smoothed, as scikit-learn does)."""
    df: Counter = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(counts)
    idf = {f: math.log((1 + n) / (1 + d)) + 1 for f, d in df.items()}
    return [_unit({f: (1 + math.log(tf)) * idf[f] for f, tf in c.items()}) for c in counts]


@dataclass
class PostFeatures:
    index: int
    time: dt.datetime
    types: Vector  # unit vector of inquiry-type scores
    wording: Vector  # unit tf-idf vector
    places: frozenset[str]
    individual: bool


@dataclass
class Cluster:
    number: int
    first: dt.datetime
    last: dt.datetime
    types: Vector = field(default_factory=dict)  # sums of member vectors
    wording: Vector = field(default_factory=dict)
    places: Counter = field(default_factory=Counter)
    members: list[int] = field(default_factory=list)
    related: list[int] = field(default_factory=list)
    _norms: tuple[float, float] | None = None

    def add(self, post: PostFeatures) -> None:
        for k, v in post.types.items():
            self.types[k] = self.types.get(k, 0.0) + v
        for k, v in post.wording.items():
            self.wording[k] = self.wording.get(k, 0.0) + v
        self.places.update(post.places)
        self.members.append(post.index)
        self.last = max(self.last, post.time)
        self._norms = None

    def similarity(self, post: PostFeatures, config: StormConfig) -> float | None:
        """The wording cosine when the post (or a centroid) may join, else None."""
        if self._norms is None:
            self._norms = (math.sqrt(sum(v * v for v in self.types.values())) or 1.0,
                           math.sqrt(sum(v * v for v in self.wording.values())) or 1.0)
        type_cos = sum(v * self.types.get(k, 0.0) for k, v in post.types.items()) / self._norms[0]
        if type_cos < config.type_similarity:
            return None
        word_cos = sum(v * self.wording.get(k, 0.0) for k, v in post.wording.items()) / self._norms[1]
        return word_cos if word_cos >= config.wording_similarity else None

    def conflicts(self, post: PostFeatures) -> bool:
        return bool(post.places) and bool(self.places) and not (post.places & set(self.places))

    def _unit_centroid(self) -> PostFeatures:
        return PostFeatures(-1, self.first, _unit(self.types), _unit(self.wording), frozenset(self.places), False)

    def absorb(self, other: Cluster) -> None:
        for k, v in other.types.items():
            self.types[k] = self.types.get(k, 0.0) + v
        for k, v in other.wording.items():
            self.wording[k] = self.wording.get(k, 0.0) + v
        self.places.update(other.places)
        self.members += other.members
        self.related += other.related
        self.first, self.last = min(self.first, other.first), max(self.last, other.last)
        self._norms = None

    def close_to(self, other: Cluster, config: StormConfig) -> bool:
        """Two clusters of one incident: their spans meet within the window, no place conflict,
        and their centroids are as similar as a post must be to join."""
        if other.first - self.last > config.window or self.first - other.last > config.window:
            return False
        centroid = other._unit_centroid()
        return not self.conflicts(centroid) and self.similarity(centroid, config) is not None


def type_vector(scores: dict[str, float], groups: list[list[str]]) -> Vector:
    """Inquiry-type scores as a unit vector, the types of one group summed into the group's first."""
    name = {t: group[0] for group in groups for t in group}
    out: Vector = {}
    for t, s in scores.items():
        out[name.get(t, t)] = out.get(name.get(t, t), 0.0) + s
    return _unit(out)


def cluster_posts(posts: list[PostFeatures], config: StormConfig) -> list[Cluster]:
    """Clusters of two or more members, numbered 1.. in order of their first post.

    Three steps: the single pass; merging clusters of one incident; then every member must clear
    both thresholds against its final cluster (a merge can carry a few posts that only resembled
    a part of it), and those that do not are clustered again among themselves."""
    clusters = _merge(_single_pass(posts, config), config)
    by_index = {p.index: p for p in posts}
    evicted: list[PostFeatures] = []
    for c in clusters:
        keep = [i for i in c.members if c.similarity(by_index[i], config) is not None]
        if len(keep) < len(c.members):
            evicted += [by_index[i] for i in c.members if i not in set(keep)]
            start = min((by_index[i].time for i in keep), default=c.first)
            rebuilt = Cluster(number=c.number, first=start, last=start)
            for i in keep:
                rebuilt.add(by_index[i])
            rebuilt.related = c.related
            c.__dict__.update(rebuilt.__dict__)
    clusters += _single_pass(evicted, config)
    kept = sorted((c for c in clusters if len(c.members) >= 2), key=lambda c: (c.first, c.members[0]))
    for i, c in enumerate(kept, 1):
        c.number = i
    return kept


def _single_pass(posts: list[PostFeatures], config: StormConfig) -> list[Cluster]:
    ordered = sorted(posts, key=lambda p: (p.time, p.index))
    clusters: list[Cluster] = []
    for post in ordered:
        best: tuple[float, int] | None = None
        for n, c in enumerate(clusters):
            if post.time - c.last > config.window or c.conflicts(post):
                continue
            sim = c.similarity(post, config)
            if sim is not None and (best is None or sim > best[0]):
                best = (sim, n)
        if post.individual:
            if best is not None:
                clusters[best[1]].related.append(post.index)
            continue
        if best is None:
            clusters.append(Cluster(number=len(clusters), first=post.time, last=post.time))
            best = (1.0, len(clusters) - 1)
        clusters[best[1]].add(post)
    return clusters


def _merge(clusters: list[Cluster], config: StormConfig) -> list[Cluster]:
    """A single pass splits an incident when an early post reads ambiguously (half outage, half
    technical issue) and others follow it; clusters whose centroids are close are one incident.
    Merged into the earlier, repeatedly, until nothing changes (order fixed: deterministic)."""
    merged = True
    while merged:
        merged = False
        for i, a in enumerate(clusters):
            for b in clusters[i + 1:]:
                if a.close_to(b, config):
                    a.absorb(b)
                    clusters = [c for c in clusters if c is not b]
                    merged = True
                    break
            if merged:
                break
    for c in clusters:
        c.members.sort()
    return clusters
