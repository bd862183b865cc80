"""Context checks: a glossary spelling found in a text is not that entity when the words around it say so.

Three classes of wrong link, each measured on real MT output (issue 11, §5):

- a place inside a longer proper name or title: "Vechernyaya Moskva" (a newspaper), «Govorit Moskva»
  (a radio station), the cruiser "Moskva". A place is not linked when a capitalised word that is not a
  function word stands right before it, when a title word (Times, Pravda, Radio...) follows it, or when
  it stands inside quotes with other capitalised words or alone (`in_title`);
- a title or role that contradicts the entity: "Fr. Vladimir Zelensky" is a priest, not the president.
  Title words right before a person (Fr., Father, priest, bishop, driver, footballer, singer and their
  Russian and Ukrainian forms) and an apposition after it (", a priest") give a category; the entity's
  category comes from its `role` text (`role_categories`). A title outside them: not linked;
- another given name in front of a surname: Pavel Yashin is not Ilya Yashin. A capitalised word before a
  surname-only mention that reads as a given name (a table of common given names plus every glossary
  given name, Russian and Ukrainian case endings allowed) and is not a form of one of the entity's
  given names (Vladimir and Volodymyr are one name, see `GIVEN_NAME_GROUPS`) means another person.

`linkable` answers for one mention and one entity; `filter_mentions` applies it to a matcher's
mentions before the surname rule runs, so a rejected mention does not vouch for bare surnames either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from transnorm.normalise.fold import fold_text
from transnorm.normalise.glossary import Entry
from transnorm.normalise.matcher import SURNAME, GlossaryMatcher, Mention, split_name
from transnorm.normalise.skeleton import romanise, translit_form, translit_similarity

NOUN_CAPITALISING = frozenset(["de", "lb"])  # as in near.py: a capital letter is no sign of a name


def _words(text: str) -> list[str]:
    """The whitespace-separated words of a data table written as one string."""
    return text.split()


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?\.?")
_QUOTES_OPEN = "\"«„“‘‹'"
_QUOTES_CLOSE = "\"»“”’›'"
_SENTENCE_PUNCT = ".!?;:"

# Words that may stand capitalised before a place without making it part of a name (sentence starts).
FUNCTION_WORDS = frozenset(
    _words("""a an the in at on from to near and but or for of with by as after before since while when if
    because outside across around over under into via both between like unlike then so yet also only
    even just still across towards toward against about during without within beyond through
    yesterday today tomorrow meanwhile however now here there last next this that these those what where
    why how who which all some many most several until unless whether although though
    der die das den dem des ein eine in im am aus nach von bei mit und oder aber auch zu zum zur vor
    le la les un une des du au aux en dans de et ou mais pour par sur avec sans vers
    el los las una del al y o pero con sin desde hasta il lo gli i nel nella e ma per da
    w we z ze do na od i a o po pod przez
    в во на из из-за под над к ко от до по у с со за и а но или""")
)
# Capitalised words after a place that make it part of a newspaper, station, club or company name.
TITLE_WORDS = frozenset(
    _words("""times post pravda gazette gazeta herald tribune daily news express echo ekho radio tv television
    channel independent komsomolets vedomosti izvestia izvestiya kommersant today dynamo dinamo spartak
    torpedo lokomotiv fc club theatre theater ballet orchestra film films studio studios
    правда известия радио эхо говорит вечерняя""")
)

# Title and role words (folded) and the category of person they name.
TITLE_CATEGORIES: dict[str, str] = {
    **dict.fromkeys(
        _words("""fr fr. father priest archpriest rev rev. reverend bishop archbishop metropolitan hieromonk monk
        abbot deacon pastor vicar cleric hegumen protopresbyter
        о о. отец отца отцом священник священника протоиерей протоиерея иерей иерея епископ епископа
        архиепископ митрополит митрополита диакон игумен отець отця священик священника протоієрей
        єпископ митрополит"""),
        "clergy",
    ),
    **dict.fromkeys(
        _words("""driver racer footballer striker midfielder goalkeeper boxer skater swimmer sprinter gymnast
        wrestler cyclist skier biathlete athlete tennis hockey chess grandmaster fighter
        гонщик гонщика пилот футболист футболиста нападающий вратарь боксер боксёр хоккеист
        теннисист теннисистка фигурист биатлонист спортсмен шахматист гонщика
        футболіст футболіста боксер хокеїст тенісист спортсмен"""),
        "sport",
    ),
    **dict.fromkeys(
        _words("""singer actor actress rapper musician composer pianist violinist conductor dancer ballerina
        певец певица актер актёр актриса рэпер музыкант композитор пианист
        співак співачка актор акторка музикант"""),
        "arts",
    ),
}
# Words in an entity's `role` text that place it in a category; anything else is "public"
# (politics, government, military, business, media).
_ROLE_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("clergy", ("patriarch", "metropolitan", "priest", "bishop", "church", "clergy", "cleric", "pope")),
    (
        "sport",
        (
            "footballer",
            "football player",
            "tennis",
            "boxer",
            "boxing",
            "athlete",
            "racing",
            "hockey",
            "chess",
            "olympic",
            "skater",
            "swimmer",
            "world champion",
            "striker",
            "goalkeeper",
        ),
    ),
    ("arts", ("singer", "actor", "actress", "musician", "rapper", "composer", "pianist", "conductor")),
)

_PUBLIC_WORDS = (
    "mayor",
    "president",
    "minister",
    "politician",
    "activist",
    "opposition",
    "governor",
    "deputy",
    "leader",
    "official",
    "member",
)

# Spellings of one given name across languages and conventions that the translit form does not join.
GIVEN_NAME_GROUPS: tuple[tuple[str, ...], ...] = (
    ("vladimir", "volodymyr", "uladzimir", "wladimir", "wolodymyr", "wlodzimierz"),
    ("alexander", "aleksandr", "oleksandr", "aliaksandr", "alyaksandr", "alexandre", "alessandro", "sasha"),
    ("alexei", "aleksey", "alexey", "oleksiy", "oleksii", "aliaksei", "alexis"),
    ("sergey", "sergei", "serhiy", "serhii", "siarhei", "sergiy", "sergej", "siergiej"),
    ("dmitry", "dmytro", "dzmitry", "dmitri", "dimitri", "dmitrij"),
    ("yuri", "yuriy", "yurii", "yury", "juri", "jurij", "georgy", "heorhiy", "george"),
    ("mikhail", "mykhailo", "mikhail", "michail", "michael", "mikhas", "mikhal"),
    ("nikolai", "mykola", "mikalai", "nicholas", "nikolaj"),
    ("andrei", "andrey", "andriy", "andrii", "andrej", "andrew", "andrzej"),
    ("pavel", "pavlo", "paul", "pawel", "paval"),
    ("pyotr", "petr", "petro", "peter", "piotr", "piotr"),
    ("grigory", "hryhoriy", "gregory", "hryhorii"),
    ("vasily", "vasyl", "vasili", "wassili"),
    ("yevgeny", "yevhen", "evgeny", "eugene", "jewgeni", "yauhen"),
    ("fyodor", "fedir", "fedor", "theodore"),
    ("ilya", "illia", "ilia", "ilja", "illya"),
    ("oleg", "oleh", "aleh"),
    ("igor", "ihor", "ihar"),
    ("konstantin", "kostiantyn", "kanstantsin", "constantine"),
    ("anatoly", "anatoliy", "anatolii"),
    ("gennady", "hennadiy", "hennadii"),
    ("kirill", "kyrylo", "cyril"),
    ("maxim", "maksym", "maksim"),
    ("yelena", "olena", "elena", "helen", "alena", "alyona"),
    ("olga", "olha", "volha"),
    ("anna", "hanna", "ganna", "anya"),
    ("yekaterina", "kateryna", "ekaterina", "katsiaryna", "catherine"),
    ("tatiana", "tetiana", "tatsiana", "tatyana"),
    ("natalia", "nataliya", "natallia", "natalya"),
    ("svetlana", "svitlana", "sviatlana"),
    ("lyudmila", "liudmyla", "ludmila"),
    ("yulia", "yuliya", "julia", "iuliia"),
    ("mariya", "maria", "marija", "mariia", "mary"),
    ("irina", "iryna", "iryna"),
)
# Common given names (romanised) beyond those of the glossary entities: another one in front of a
# surname means another person.
_GIVEN_NAMES = frozenset(
    [n for group in GIVEN_NAME_GROUPS for n in group]
    + _words("""ivan roman denis denys viktor victor boris borys leonid vadim vadym vitaly vitaliy vitali
    valery valeriy valeri yaroslav artem artyom arseniy arseny stanislav vyacheslav viacheslav
    ruslan timur anton nikita egor yegor stepan semyon taras bohdan bogdan danylo daniil daniel
    vladislav vladyslav evgenia yevgenia kseniya ksenia xenia daria darya alina polina sofia
    margarita marina galina halyna valentina larisa veronika vera nadezhda nadiya lyubov
    zakhar matvey mark lev leo artur arthur eduard edward gleb rostislav rostyslav zinaida
    john james robert william david richard thomas charles joseph michael steven george paul
    peter mark donald joe kamala hillary barack emmanuel olaf angela friedrich annalena""")
)
_GIVEN_FORMS = frozenset(translit_form(n) for n in _GIVEN_NAMES)
_GROUP_OF = {translit_form(n): i for i, group in enumerate(GIVEN_NAME_GROUPS) for n in group}
_CYRILLIC_ENDINGS = (
    "ом",
    "ем",
    "ой",
    "ей",
    "ою",
    "ею",
    "ым",
    "им",
    "ого",
    "ому",
    "а",
    "я",
    "у",
    "ю",
    "е",
    "і",
    "и",
    "ы",
)
_SIMILAR_GIVEN = 0.75


def role_categories(entry: Entry) -> frozenset[str]:
    """The kinds of person an entry is, from its `role` text: clergy, sport, arts and/or public.

    "Mayor of Kyiv, former boxing champion" is both sport and public; a role with none of the
    keywords is public (politics, government, military, business, media).
    """
    role = (entry.role or "").lower()
    found = {category for category, words in _ROLE_KEYWORDS if any(w in role for w in words)}
    if not found or any(w in role for w in _PUBLIC_WORDS):
        found.add("public")
    return frozenset(found)


def linkable(text: str, mention: Mention, entry: Entry, matcher: GlossaryMatcher | None = None) -> bool:
    """False when the context of `mention` in `text` says it is not `entry` (see the module doc)."""
    start = mention.given_start if mention.given_start >= 0 else mention.start
    if entry.type == "place":
        lang = matcher.lang if matcher is not None else None
        return not in_title(text, start, mention.end, nouns_capitalised=lang in NOUN_CAPITALISING)
    if entry.type != "person":
        return True
    title = title_category(text, start, mention.end)
    if title is not None and title not in role_categories(entry):
        return False
    if mention.kind == SURNAME and mention.given_start < 0:
        given = word_before(text, mention.start)
        if given and is_given_name(given, matcher) and not given_compatible(given, entry):
            return False
    return True


def filter_mentions(text: str, mentions: Iterable[Mention], matcher: GlossaryMatcher) -> list[Mention]:
    """`mentions` without the entities their context contradicts (a mention left with none is dropped)."""
    out = []
    for m in mentions:
        keep = tuple(e for e in m.entries if linkable(text, m, matcher.entries[e], matcher))
        if keep == m.entries:
            out.append(m)
        elif keep:
            out.append(_with_entries(m, keep))
    return out


def in_title(text: str, start: int, end: int, *, nouns_capitalised: bool = False) -> bool:
    """True when the name at `text[start:end]` is part of a longer proper name or a quoted title.

    In a language that capitalises nouns (German: die Hauptstadt Moskau) a capitalised word before
    the name says nothing; there only the title words after it and the quotes count.
    """
    prev = word_before(text, start)
    if (
        not nouns_capitalised
        and prev
        and prev[0].isupper()
        and fold_text(prev).rstrip(".") not in FUNCTION_WORDS
    ):
        return True
    nxt = _word_after(text, end)
    if nxt and nxt[0].isupper() and fold_text(nxt) in TITLE_WORDS:
        return True
    opened = _open_quote(text, start)
    if opened < 0:
        return False
    close = _close_quote(text, end)
    if close < 0:
        return False
    inside = text[opened + 1 : close]
    words = [w for w in _WORD.findall(inside) if w[0].isupper()]
    return len(words) >= 1  # the place alone in quotes (the cruiser "Moskva") or with other capitals


def title_category(text: str, start: int, end: int) -> str | None:
    """The category of a title or role written right before (up to 3 words) or in apposition after a name."""
    return _title_category(text[max(0, start - 60) : start], text[end : end + 60])


@lru_cache(maxsize=20_000)
def _title_category(before: str, after: str) -> str | None:
    """`title_category` from the 60 characters before and after the name (memoised: a mention is
    checked once per entity it may be, with the same context)."""
    cut = max(before.rfind(p) for p in ",;:!?()")
    words = _WORD.findall(before[cut + 1 :])[-3:]
    for w in reversed(words):
        folded = fold_text(w)
        category = TITLE_CATEGORIES.get(folded) or TITLE_CATEGORIES.get(folded.rstrip("."))
        if category:
            return category
    m = _APPOSITION.match(after)
    if m:
        for w in reversed(_APPOSITION_SPLIT.split(m.group(1))):
            category = TITLE_CATEGORIES.get(fold_text(w))
            if category:
                return category
    return None


_APPOSITION = re.compile(r"\s*[,(]\s*(?:(?:a|an|the|who\s+is\s+a)\s+)?((?:[^\W\d_]+[\s-]+){0,2}[^\W\d_]+)")
_APPOSITION_SPLIT = re.compile(r"[\s-]+")


def is_given_name(word: str, matcher: GlossaryMatcher | None = None) -> bool:
    """True when `word` (any script, possibly with a Russian or Ukrainian case ending) is a given name."""
    return any(_known_given(form, matcher) for form in base_forms(word))


def given_compatible(word: str, entry: Entry) -> bool:
    """True when `word` is a form of one of `entry`'s given names (Vladimir ~ Volodymyr ~ Владимира)."""
    own = _entry_given_forms(entry)
    for form in base_forms(word):
        tf = translit_form(form)
        if tf in own:
            return True
        group = _GROUP_OF.get(tf)
        for g in own:
            if group is not None and _GROUP_OF.get(g) == group:
                return True
            if translit_similarity(form, g) >= _SIMILAR_GIVEN:
                return True
    return False


# ------------------------------------------------------------------------------------- helpers


def _known_given(form: str, matcher: GlossaryMatcher | None) -> bool:
    if translit_form(form) in _GIVEN_FORMS:
        return True
    return matcher is not None and fold_text(form) in matcher.given


@lru_cache(maxsize=4096)
def base_forms(word: str) -> tuple[str, ...]:
    """`word` and, for a Cyrillic word, its readings without a case ending (Павлом -> Павл, Павел)."""
    word = word.rstrip(".")
    forms = [word]
    low = word.lower()
    if any("\u0400" <= c <= "\u04ff" for c in low):
        for ending in _CYRILLIC_ENDINGS:
            if low.endswith(ending) and len(low) - len(ending) >= 3:
                stem = low[: -len(ending)]
                forms += [stem, stem + "а", stem + "я", stem + "й"]
                if len(stem) >= 2 and stem[-1] not in "аеиоуыэюяіїє" and stem[-2] not in "аеиоуыэюяіїє":
                    forms.append(stem[:-1] + "е" + stem[-1])  # Павл-ом -> Павел
    return tuple(dict.fromkeys(forms))


def _entry_given_forms(entry: Entry) -> frozenset[str]:
    forms = set()
    for text, _ in entry.explicit_forms():
        given, _surname = split_name(text)
        for word in given.split():
            forms.add(translit_form(word))
    return frozenset(f for f in forms if f)


def word_before(text: str, start: int) -> str:
    """The word right before `start`, separated from it by spaces only ("" if none)."""
    i = start
    while i > 0 and text[i - 1] in " \u00a0":
        i -= 1
    if i == start or i == 0:
        return ""
    j = i
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] in "'’-."):
        j -= 1
    word = text[j:i]
    if word.endswith(("'s", "’s")):
        return ""  # Russia's Lavrov: a possessive, not a given name or part of a name
    return word.strip("-'’") if romanise(word) else ""


def _word_after(text: str, end: int) -> str:
    i = end
    while i < len(text) and text[i] in " \u00a0":
        i += 1
    if i == end:
        return ""
    j = i
    while j < len(text) and text[j].isalpha():
        j += 1
    return text[i:j]


def _open_quote(text: str, start: int) -> int:
    """Index of an opening quote before `start` in the same sentence with no closing quote between."""
    i = start - 1
    while i >= 0 and start - i <= 80:
        ch = text[i]
        if ch in _QUOTES_OPEN and (i == 0 or not text[i - 1].isalnum()):
            return i
        if ch in _QUOTES_CLOSE and ch not in _QUOTES_OPEN:
            return -1
        if ch in _SENTENCE_PUNCT and ch != ".":
            return -1
        i -= 1
    return -1


def _close_quote(text: str, end: int) -> int:
    i = end
    while i < len(text) and i - end <= 80:
        ch = text[i]
        if ch in _QUOTES_CLOSE and (i + 1 == len(text) or not text[i + 1].isalnum()):
            return i
        if ch in _QUOTES_OPEN and ch not in _QUOTES_CLOSE:
            return -1
        i += 1
    return -1


def _with_entries(m: Mention, entries: Sequence[int]) -> Mention:
    return Mention(
        m.start,
        m.end,
        m.stem_end,
        tuple(entries),
        m.kind,
        m.rule,
        m.dropped,
        m.given_start,
        m.given_stem_end,
        m.given_dropped,
    )
