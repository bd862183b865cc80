"""Language tables for :mod:`transnorm.segment`: abbreviations and sentence starters.

Keys are lower case.  An abbreviation key is the token before its final full stop,
without that stop (``"dr"`` for ``Dr.``); a key with an inner dot joins a
two-token abbreviation written with or without a space (``"z.b"`` matches both
``z. B.`` and ``z.B.``).

What an abbreviation does to a following full stop (its *kind*):

``TITLE``
    Never ends a sentence (``Dr.``, ``z. B.``, ``ул.``).
``NUM``
    Does not end a sentence when a number follows (``No. 5``, ``Nr. 3``, ``стр. 12``).
``MID``
    Ends a sentence only when the next word is a common sentence starter
    (``Jan. 5`` vs ``... in Jan. The``; ``5 Mio. Euro`` vs ``5 Mio. Die``).
``END``
    May end a sentence: behaves like an ordinary word (``etc.``, ``т. д.``, ``p.m.``).
    Listed only to override the rules for initials and dotted acronyms.
``POSTNUM``
    After a number behaves like an ordinary word (``2019 г. Затем``), otherwise
    like ``MID`` (``г. Москва``).

The sentence starters are function words that begin many sentences (articles,
pronouns, conjunctions, prepositions); they decide the ``MID`` cases, initials
(``J. R. R. Tolkien`` vs ``Plan B. The``), dotted acronyms (``U.S. President`` vs
``the U.S. The``) and German/Polish ordinals (``am 12. Januar`` vs ``ist 45. Die``).
"""

from __future__ import annotations

TITLE = "title"
NUM = "num"
MID = "mid"
END = "end"
POSTNUM = "postnum"


def _table(**groups: str) -> dict[str, str]:
    """Build ``{abbreviation: kind}`` from space-separated groups named by kind."""
    kinds = {"title": TITLE, "num": NUM, "mid": MID, "end": END, "postnum": POSTNUM}
    table: dict[str, str] = {}
    for kind, words in groups.items():
        for word in words.split():
            table[word] = kinds[kind]
    return table


# Titles and abbreviations borrowed into news text in any language (``Mr. Bean``,
# ``St. Louis``, ``Dr. PawPaw``, ``Washington D.C.``); a language table may override them.
COMMON = _table(title="mr mrs ms dr prof st vs", mid="d.c")

_TABLES: dict[str, dict[str, str]] = {
    "en": _table(
        title="mr mrs ms messrs dr prof st sen rep gov gen lt col maj capt cmdr sgt cpl adm rev "
        "hon pres supt insp det mt ft e.g i.e cf approx vs viz sens reps",
        num="no nos p pp vol vols fig figs art ch para sec op ed",
        mid="jan feb mar apr jun jul aug sep sept oct nov dec ave blvd rd dept univ al est u.s u.k u.n e.u a.m p.m",
        end="etc inc ltd co corp bros jr sr",
    ),
    "de": _table(
        title="dr prof hr fr frl st dipl ing med jur phil bzw ca vgl sog ggf evtl inkl zzgl "
        "exkl bspw gem lt ehem geb gest verh z.b d.h z.t u.u v.a zit insb allg bzgl",
        num="nr abs art s bd tel ziff kap",
        mid="jh jhd mio mrd tsd std min sek str u.a o.ä u.ä s.o s.u jan feb mär apr jun jul "
        "aug sep sept okt nov dez dt",
        end="usw etc v.chr n.chr",
    ),
    "ru": _table(
        title="т.е т.к т.н ул просп пл пер ср напр ок прим проф акад ген тов св ст доц канд англ нем франц",
        num="стр рис гл табл п.п",
        mid="им обл чел дж долл янв фев мар апр авг сент окт нояб дек",
        end="т.д т.п др пр",
        postnum="г гг в вв см",
    ),
    "uk": _table(
        title="т.зв т.б вул просп пл пров див напр проф акад св пп доц англ нім франц",
        num="стор рис гл табл",
        mid="ім обл дж дол січ лют бер квіт трав черв лип серп вер жовт лист груд",
        end="т.д т.п ін",
        postnum="р рр ст см",
    ),
    "fr": _table(
        title="m mm mme mmes mlle mlles dr pr me mgr st ste gén col cdt lt sgt bd env cf p.ex c.-à-d c.à.d",
        num="no vol art chap fig p pp",
        mid="av apr éd janv févr avr juil sept oct nov déc",
        end="etc j.-c",
    ),
    "pl": _table(
        title="dr prof mgr inż hab św ul al pl os gen płk ks red tzw tj np m.in tzn ok wg ds "
        "woj pow gm płd półn pt ang niem franc ros",
        num="nr str pkt art ust poz s",
        mid="im godz br sty lut mar kwi cze lip sie wrz paź lis gru",
        end="itd itp in",
        postnum="r w",
    ),
    "pt": _table(
        title="sr sra srta srs dr dra drs prof profa eng exmo exma sto sta av dep gov sen "
        "pres gen cel ex aprox tel",
        num="vol pág pp art cap n",
        mid="jan fev abr mai jun jul ago set out nov dez",  # not "mar": the sea
        end="etc ltda cia s.a",
    ),
    "es": _table(
        title="sr sra srta sres dr dra drs prof lic ing arq dña sto sta av avda pza gral gob "
        "pdte excmo excma ilmo ud uds vd vds aprox p.ej ee ff",
        num="núm vol pág art cap n",
        mid="ene feb abr may jun jul ago sept sep oct nov dic",  # not "mar": the sea
        end="etc cía s.a a.c d.c ee.uu ff.aa",
    ),
    "it": _table(
        title="sig sigg sig.ra sig.na dott dott.ssa ing avv arch prof on geom rag sen dep gen "
        "col mons tel ca cfr p.es es",
        num="pag vol art cap nr",
        mid="c.a feb mar apr mag giu lug ago set ott nov dic",
        end="ecc etc a.c d.c s.p.a s.r.l",
    ),
}

ABBREVIATIONS: dict[str, dict[str, str]] = {lang: COMMON | table for lang, table in _TABLES.items()}

STARTERS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the a an he she it they we i you this that these those there here but and or so "
        "yet in on at for of to from with by as if when while after before since though "
        "although however meanwhile his her their our my its what who how why where which "
        "one some many most all no not now then also still even only both each every "
        "another other such according last next more mr mrs ms dr",
        "de": "der die das den dem des ein eine einer einen einem er sie es wir ich ihr man "
        "dies diese dieser dieses doch aber und oder auch so da dann denn im in am an auf "
        "aus nach vor bei mit seit als wenn weil ob wie was wer wo warum zudem außerdem laut "
        "nun noch nicht kein keine jetzt heute bereits schon zwar allerdings trotzdem "
        "dennoch damit dazu hier dort zum zur für über unter gegen durch ohne um sein seine "
        "ihre unser mein",
        "ru": "он она оно они мы я вы ты это этот эта эти тот та те в во на с со по к ко из "
        "за о об от для при после до но а и или однако также кроме тогда теперь сейчас "
        "здесь там его её ее их наш мой как что кто где когда почему если хотя уже еще ещё "
        "не ни всё все так вот да нет между через под над перед среди согласно",
        "uk": "він вона воно вони ми я ви ти це цей ця ці той та ті в у на з із зі по до від "
        "за про для при після але а і й або однак також крім тоді тепер зараз тут там його "
        "її їх наш мій як що хто де коли чому якщо хоча вже ще не ні так між через під над "
        "перед серед згідно",
        "fr": "le la les l un une des de du d il elle ils elles on nous je j vous ce cet cette "
        "ces c ceci cela mais et ou donc or ni car en dans à au aux sur sous pour par avec "
        "sans selon après avant depuis pendant lorsque quand si comme alors puis ensuite "
        "cependant pourtant toutefois néanmoins ainsi aussi son sa ses leur leurs notre mon "
        "ma mes qui que qu quoi où comment pourquoi",
        "pl": "to ten ta te tego tej ci on ona ono oni one my ja wy ty w we na z ze do od po "
        "za o dla przy przed i a ale lub oraz jednak także również więc gdy kiedy jeśli "
        "jeżeli chociaż choć już jeszcze nie tak jak co kto gdzie dlaczego jego jej ich nasz "
        "mój według tymczasem natomiast teraz dziś obecnie tam tu też pan pani",
        "pt": "o a os as um uma uns umas ele ela eles elas nós eu você vocês isso isto este "
        "esta estes estas esse essa esses essas aquele aquela mas e ou porém contudo "
        "entretanto no na nos nas em de do da dos das ao aos à às com sem para por pelo pela "
        "segundo após antes depois desde durante quando se como então também ainda já não "
        "seu sua seus suas nosso meu que quem onde porque há",
        "es": "el la los las un una unos unas lo él ella ellos ellas nosotros yo usted "
        "ustedes esto este esta estos estas ese esa esos esas aquel aquella pero y o sin "
        "embargo en de del al con para por según tras antes después desde durante cuando si "
        "como entonces también todavía aún ya no su sus nuestro mi que quien quienes donde "
        "porque hay",
        "it": "il lo la i gli le l un uno una egli lui lei essi loro noi io voi questo questa "
        "questi queste quello quella quelli quelle ma e o però tuttavia in nel nella nei "
        "negli nelle di del della dei degli delle a al alla ai agli alle da dal dalla con "
        "senza per secondo dopo prima durante quando se come allora anche ancora già non "
        "suo sua suoi sue nostro mio che chi dove perché c",
    }.items()
}

# Languages that write ordinal numbers with a full stop (``am 12. Januar``, ``3. miejsce``).
# Polish allows it too, but its news text rarely uses it and ends many sentences in numbers.
ORDINAL_DOT_LANGS = frozenset(
    [
        "de",
        "cs",
        "sk",
        "sl",
        "hr",
        "sr",
        "bs",
        "da",
        "no",
        "nb",
        "nn",
        "fi",
        "et",
        "lv",
        "hu",
        "tr",
        "is",
        "fo",
    ]
)

# Language names and ISO 639-2/3 codes accepted as ``lang`` besides the two-letter ones.
LANG_ALIASES = {
    "eng": "en",
    "deu": "de",
    "ger": "de",
    "rus": "ru",
    "ukr": "uk",
    "fra": "fr",
    "fre": "fr",
    "pol": "pl",
    "por": "pt",
    "spa": "es",
    "ita": "it",
    "english": "en",
    "german": "de",
    "russian": "ru",
    "ukrainian": "uk",
    "french": "fr",
    "polish": "pl",
    "portuguese": "pt",
    "spanish": "es",
    "italian": "it",
}


def _generic_abbreviations() -> dict[str, str]:
    """Union of all tables for unknown languages.

    ``TITLE`` entries become ``MID`` (so ``es.`` or ``on.``, titles in Italian, can still end
    a sentence of another language before a sentence starter), and so does a key whose kinds
    disagree between languages.
    """
    merged: dict[str, str] = {}
    for table in ABBREVIATIONS.values():
        for key, kind in table.items():
            kind = MID if kind == TITLE else kind
            merged[key] = kind if merged.get(key, kind) == kind else MID
    return merged


GENERIC_ABBREVIATIONS = _generic_abbreviations()
GENERIC_STARTERS = frozenset().union(*STARTERS.values())
