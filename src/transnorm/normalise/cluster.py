"""Clustering the spellings of a corpus into people: blocking keys, pair evidence, constrained merging.

Input: `Spelling`s, one per written form of a name ("Oleg Tinkou", "Tinkou"), each with its counts per
document, the roles written before it, the source names it renders (`sources`) and, for a surname
written alone, the full name its document ties it to (`tied`). Output: `Person`s.

1. Blocking. Every full name gets the transliteration skeleton of its surname (`skeleton.py`), the
   skeletons one class shorter (a dropped or slipped letter: Tinkou/Tinkov, Kharlamova/Harlamova) and
   the keys of the source names it renders. Only names that share a key are compared, so the cost
   grows with the number of distinct spellings, not with its square.
2. Evidence for a pair: surname similarity after undoing transliteration conventions
   (`translit_similarity`); the same source name (Тинькова and Тиньков are one stem) lowers the bar;
   given names must be compatible (Vladimir/Volodymyr are one name, an initial fits its names, Pavel
   is not Ilya); genders must agree (the given name tells it first: Polina Gagarin is Polina
   Gagarina, Alexandra Lavrova is not Alexander Lavrov); roles must not contradict (a priest is not
   a president, a racing driver not a politician); two glossary entities never merge.
3. Merging: pairs in order of evidence, each merge only if it breaks no constraint against any
   member of either cluster (no chaining of A~B~C into a cluster where A and C conflict).
4. A surname alone joins the person its document ties it to; one never tied (no full name in its
   document) joins the one person whose surname it spells exactly, or, with a title or a source
   name, forms a person of its own.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from transnorm.normalise import _people_data as data
from transnorm.normalise.mentions import given_name, name_similarity
from transnorm.normalise.skeleton import name_gender, romanise, skeleton, translit_form, translit_similarity

SURNAME_MIN = 0.8  # translit similarity of two surnames to be one person's
ANCHORED_MIN = 0.5  # ... when both render the same source name
GIVEN_MIN = 0.75  # two unknown given names this similar are one (Olleg / Oleg)
MAX_BLOCK = 400  # a blocking key shared by more spellings than this is too generic to compare
_ANCHOR_BONUS = 0.2
_SAME_GIVEN_BONUS = 0.05
_ORPHAN_CONFIDENCE = 0.8
_EXCLUSIVE_ROLES = frozenset(["clergy", "sport"])  # roles that rule out every other role


@dataclass
class Spelling:
    """What the corpus says about one written form of a name; `merge` adds two of them up."""

    text: str
    given: str
    surname: str
    entity: str | None = None
    tied: str = ""  # a surname written alone: the full spelling its documents tie it to ("" if none)
    docs: list[str] = field(default_factory=list)  # a document id per mention (a list: 8 bytes each)
    roles: Counter[str] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)
    natives: Counter[str] = field(default_factory=Counter)

    @property
    def key(self) -> tuple[str, str, str]:
        return self.text, self.entity or "", self.tied

    @property
    def count(self) -> int:
        return len(self.docs)

    def merge(self, other: Spelling) -> None:
        self.docs.extend(other.docs)
        for name in _COUNTERS:
            counts = getattr(other, name)
            if counts:  # most spellings of a document have no roles, sources or natives
                getattr(self, name).update(counts)

    def to_row(self) -> dict[str, Any]:
        """A JSON-able form (for Ray rows): counters as sorted [key, count] pairs."""
        row: dict[str, Any] = {"text": self.text, "given": self.given, "surname": self.surname}
        row["entity"] = self.entity or ""
        row["tied"] = self.tied
        row["docs"] = sorted(self.docs)
        for name in _COUNTERS:
            row[name] = sorted(getattr(self, name).items())
        return row

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Spelling:
        counters = {name: Counter({k: int(n) for k, n in row[name]}) for name in _COUNTERS}
        docs = [str(d) for d in row["docs"]]
        return cls(
            row["text"], row["given"], row["surname"], row["entity"] or None, row["tied"], docs, **counters
        )


_COUNTERS = ("roles", "sources", "natives")


@dataclass
class Person:
    """One cluster: the spellings of one person, the glossary entity if it is one, and how sure we are."""

    spellings: list[Spelling]
    entity: str | None = None
    confidence: float = 1.0
    gender: str | None = None

    @property
    def count(self) -> int:
        return sum(s.count for s in self.spellings)

    def natives(self) -> Counter[str]:
        out: Counter[str] = Counter()
        for s in self.spellings:
            out.update(s.natives)
        return out

    def roles(self) -> set[str]:
        return {r for s in self.spellings for r in s.roles if r not in data.NEUTRAL_ROLES}


# ----------------------------------------------------------------------------------- nodes


@dataclass
class _Node:
    spelling: Spelling
    core: str
    skel: str
    gender: str | None
    given: str
    roles: frozenset[str]
    sources: frozenset[str]


def _core(surname: str) -> str:
    """The part of a surname that is compared: without particles, hyphens glued (von der Leyen -> Leyen)."""
    parts = [p for p in re.split(r"[\s]+", surname) if p]
    while len(parts) > 1 and parts[0].lower() in _PARTICLES:
        parts = parts[1:]
    return "".join(parts)


_PARTICLES = frozenset(data.PARTICLES)


def _node(s: Spelling, entity_roles: Mapping[str, frozenset[str]]) -> _Node:
    core = _core(s.surname)
    first = s.given.split()[0] if s.given else ""
    known = given_name(first) if first else None
    gender = known.gender if known is not None and known.gender else name_gender(core)
    roles = {r for r in s.roles if r not in data.NEUTRAL_ROLES}
    if s.entity:
        roles |= entity_roles.get(s.entity, frozenset())
    return _Node(s, core, skeleton(core), gender, first, frozenset(roles), frozenset(s.sources))


def _keys(node: _Node) -> set[str]:
    sk = node.skel
    keys = {"s:" + sk} if sk else set()
    if len(sk) >= 4:
        keys.update("s:" + sk[:i] + sk[i + 1 :] for i in range(len(sk)))
    keys.update("a:" + src for src in node.sources)
    return keys


def given_compatible(x: str, y: str) -> bool:
    """Can two given names (or initials) be one person's? Vladimir/Volodymyr yes, Pavel/Ilya no."""
    if not x or not y:
        return True
    if len(x) <= 2 or len(y) <= 2:  # an initial ("V.") fits the names that start with its sound
        a, b = romanise(x)[:1], romanise(y)[:1]
        return bool(a) and bool(b) and (a == b or skeleton(a) == skeleton(b) != "")
    gx, gy = given_name(x), given_name(y)
    if gx is not None and gy is not None:
        return gx.group == gy.group
    return translit_form(x) == translit_form(y) or translit_similarity(x, y) >= GIVEN_MIN


def _roles_conflict(a: Iterable[str], b: Iterable[str]) -> bool:
    a, b = set(a), set(b)
    return bool(a and b and not (a & b) and (a | b) & _EXCLUSIVE_ROLES)


_GENDER_ENDING = re.compile(r"(?<=[^aeiouy])a$|aya$|aia$|skaya$")


def _surname_similarity(a: _Node, b: _Node) -> float:
    if a.core == b.core:
        return 1.0
    ga, gb = name_gender(a.core), name_gender(b.core)
    if ga and gb and ga != gb:  # Gagarina / Gagarin: compare the stems, a little less sure
        stem_a, stem_b = _GENDER_ENDING.sub("", romanise(a.core)), _GENDER_ENDING.sub("", romanise(b.core))
        return 0.95 * name_similarity(stem_a, stem_b)
    return name_similarity(a.core, b.core)


def _pair_score(a: _Node, b: _Node) -> float | None:
    """How strongly two full names are one person (> 0), or None when they cannot be."""
    if a.spelling.entity and b.spelling.entity and a.spelling.entity != b.spelling.entity:
        return None
    if a.gender and b.gender and a.gender != b.gender:
        return None
    if not given_compatible(a.given, b.given) or _roles_conflict(a.roles, b.roles):
        return None
    anchored = bool(a.sources & b.sources)
    sim = _surname_similarity(a, b)
    if sim < (ANCHORED_MIN if anchored else SURNAME_MIN):
        return None
    same_given = bool(a.given) and translit_form(a.given) == translit_form(b.given)
    return sim + _ANCHOR_BONUS * anchored + _SAME_GIVEN_BONUS * same_given


# ----------------------------------------------------------------------------------- clustering


class _Clusters:
    """Union-find over nodes whose merges respect every member's constraints."""

    def __init__(self, nodes: list[_Node]) -> None:
        self.parent = list(range(len(nodes)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(nodes))}
        self.nodes = nodes
        self.confidence: dict[int, float] = {i: 1.0 for i in range(len(nodes))}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def can_merge(self, ra: int, rb: int) -> bool:
        ma, mb = self.members[ra], self.members[rb]
        na = [self.nodes[i] for i in ma]
        nb = [self.nodes[i] for i in mb]
        entities = {n.spelling.entity for n in na + nb} - {None}
        genders = {n.gender for n in na + nb} - {None}
        if len(entities) > 1 or len(genders) > 1:
            return False
        if _roles_conflict({r for n in na for r in n.roles}, {r for n in nb for r in n.roles}):
            return False
        givens_a = {n.given for n in na if n.given}
        givens_b = {n.given for n in nb if n.given}
        return all(given_compatible(x, y) for x in givens_a for y in givens_b)

    def union(self, i: int, j: int, score: float) -> bool:
        ra, rb = self.find(i), self.find(j)
        if ra == rb:
            return False
        if not self.can_merge(ra, rb):
            return False
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))
        self.confidence[ra] = min(self.confidence[ra], self.confidence.pop(rb), min(1.0, score))
        return True


def cluster_spellings(
    spellings: Iterable[Spelling], *, entity_roles: Mapping[str, frozenset[str]] | None = None
) -> list[Person]:
    """The people of a corpus from its spellings (see the module docstring), largest first."""
    roles = entity_roles or {}
    all_spellings = list(spellings)
    full = [s for s in all_spellings if s.given]
    alone = [s for s in all_spellings if not s.given]
    nodes = [_node(s, roles) for s in full]
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, node in enumerate(nodes):
        for key in _keys(node):
            blocks[key].append(i)
    pairs: dict[tuple[int, int], float] = {}
    for members in blocks.values():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if (i, j) in pairs:
                    continue
                score = _pair_score(nodes[i], nodes[j])
                if score is not None:
                    pairs[i, j] = score
    clusters = _Clusters(nodes)
    order = sorted(
        pairs.items(), key=lambda kv: (-kv[1], nodes[kv[0][0]].spelling.key, nodes[kv[0][1]].spelling.key)
    )
    for (i, j), score in order:
        clusters.union(i, j, score)
    groups: dict[int, list[Spelling]] = defaultdict(list)
    for i in range(len(nodes)):
        groups[clusters.find(i)].append(nodes[i].spelling)
    people = {
        root: _person(members, clusters.confidence[root], nodes, clusters) for root, members in groups.items()
    }
    _attach_alone(alone, people, nodes, clusters, roles)
    out = [p for p in people.values() if p.spellings]
    for p in out:
        p.spellings.sort(key=lambda s: (-s.count, s.key))
    out.sort(key=lambda p: (-p.count, [s.key for s in p.spellings]))
    return out


def _person(members: list[Spelling], confidence: float, nodes: list[_Node], clusters: _Clusters) -> Person:
    entities = {s.entity for s in members} - {None}
    return Person(list(members), next(iter(entities)) if entities else None, round(confidence, 3))


def _attach_alone(
    alone: list[Spelling],
    people: dict[Any, Person],
    nodes: list[_Node],
    clusters: _Clusters,
    roles: Mapping[str, frozenset[str]],
) -> None:
    """Give each surname written alone to its person (see the module docstring, point 4)."""
    root_of_text: dict[str, Any] = {}
    for i, node in enumerate(nodes):
        root = clusters.find(i)
        if node.spelling.text not in root_of_text or node.spelling.entity:
            root_of_text[node.spelling.text] = root
    by_entity = {p.entity: root for root, p in people.items() if p.entity}
    by_form: dict[str, set[Any]] = defaultdict(set)
    for i, node in enumerate(nodes):
        by_form[translit_form(node.core)].add(clusters.find(i))
    orphans: list[Spelling] = []
    for s in sorted(alone, key=lambda s: s.key):
        if s.entity:
            root = by_entity.get(s.entity)
            if root is None:
                root = by_entity[s.entity] = ("entity", s.entity)
                people[root] = Person([], s.entity)
            people[root].spellings.append(s)
            continue
        if s.tied in root_of_text:
            people[root_of_text[s.tied]].spellings.append(s)
            continue
        gender = name_gender(s.surname)
        fits = [
            r for r in by_form.get(translit_form(_core(s.surname)), ()) if _gender_fits(people[r], gender)
        ]
        if len(fits) == 1:
            person = people[fits[0]]
            person.spellings.append(s)
            person.confidence = min(person.confidence, _ORPHAN_CONFIDENCE)
        elif s.sources or s.roles:  # titled (Mr Tinkou) or rendering a source name: a person of its own
            orphans.append(s)
    _orphan_people(orphans, people)


def _gender_fits(person: Person, gender: str | None) -> bool:
    genders = {name_gender(_core(s.surname)) for s in person.spellings} - {None}
    return gender is None or not genders or gender in genders


def _orphan_people(orphans: list[Spelling], people: dict[Any, Person]) -> None:
    """Surnames never written with a given name, but titled or anchored: people of their own."""
    parent = list(range(len(orphans)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i] = parent[parent[i]]
        return i

    seen: dict[str, int] = {}
    for i, s in enumerate(orphans):
        for key in {"f:" + translit_form(_core(s.surname))} | {"a:" + k for k in s.sources}:
            if key in seen:
                j = find(seen[key])
                if not _roles_conflict(_real(orphans[j].roles), _real(s.roles)):
                    parent[find(i)] = j
            else:
                seen[key] = i
    groups: dict[int, list[Spelling]] = defaultdict(list)
    for i, s in enumerate(orphans):
        groups[find(i)].append(s)
    for root, members in groups.items():
        people[("orphan", root)] = Person(members, None, _ORPHAN_CONFIDENCE if len(members) > 1 else 1.0)


def _real(roles: Iterable[str]) -> set[str]:
    return {r for r in roles if r not in data.NEUTRAL_ROLES}
