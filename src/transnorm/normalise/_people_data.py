"""Data tables for finding and clustering people's names (`mentions.py`, `cluster.py`).

Everything here is folded (lower case, no diacritics, see `fold.py`) unless it says otherwise.
Given names are not listed per target language by hand: the Latin forms of the Russian and
Ukrainian given names come from `transnorm.translit` (every scheme, every press convention), so
they follow the same rules as the glossary's variants; the lists below add the given names of
other languages that news text writes in Latin letters.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    """A table written as words separated by white space."""
    return tuple(text.split())


# Lower-case particles inside a name (Ursula von der Leyen, Bashar al-Assad written apart).
PARTICLES = _words(
    """
    von van der den de da di du dos das del della le la al el bin ibn ben abu ter ten
    """
)

# Titles and roles that stand before a name, by the role class they tell (folded). A compound such
# as "Kremlin-Sprecher" or "Vizepräsident" is matched by its ending (see `mentions.role_of`).
ROLES: dict[str, tuple[str, ...]] = {
    "clergy": _words(
        """
        fr father priest archpriest hieromonk abbot bishop archbishop metropolitan patriarch
        pastor rev reverend imam rabbi pater pfarrer pere abbe ojciec ksiadz padre отец
        священник протоиерей патриарх митрополит отець
        """
    ),
    "politics": _words(
        """
        president prasident prasidentin presidente prezydent minister ministerin ministre
        ministro premier chancellor kanzler kanzlerin senator governor gouverneur mayor
        burgermeister maire deputy lawmaker mp spokesman spokeswoman spokesperson sprecher
        sprecherin secretary ambassador diplomat envoy leader official chairman chairwoman
        speaker prosecutor judge президент министр міністр премьер прем'єр губернатор мэр
        мер депутат сенатор глава пресс-секретарь прессекретарь речник посол спикер
        """
    ),
    "military": _words(
        """
        general colonel col gen lt major maj captain capt admiral sergeant sgt commander
        marshal oberst генерал полковник адмирал командующий
        """
    ),
    "sport": _words(
        """
        driver racer player striker forward midfielder defender goalkeeper coach manager
        skater boxer fighter champion tennis athlete swimmer cyclist trainer гонщик
        футболист нападающий тренер хоккеист боксер
        """
    ),
    "culture": _words(
        """
        singer actor actress director writer author poet artist musician composer journalist
        reporter blogger presenter
        """
    ),
    "business": _words(
        """
        businessman businesswoman banker billionaire tycoon entrepreneur founder ceo
        """
    ),
    "person": _words(
        """
        mr mrs ms miss dr prof professor sir dame lord lady herr frau monsieur madame mme m
        pan pani senor senora signor signora opposition lawyer attorney advocate activist
        dissident citizen
        """
    ),
}
ROLE_OF: dict[str, str] = {word: role for role, words in ROLES.items() for word in words}
# Polite titles say "a person" and nothing about the role.
NEUTRAL_ROLES = frozenset(["person"])

# Capitalised words that end a name-like sequence that is an organisation, a title or a place, not a
# person: "Moscow Helsinki Group", "Kyiv Post", "Ekho Moskvy Radio".
ORGANISATION_WORDS = frozenset(
    _words(
        """
        academy ag agency airline airlines airport arena army association avenue award bank
        bar battalion bridge brigade cafe cathedral center centre championship channel
        church city club co committee company conference corp corporation council county
        court cup daily department district division federation festival fleet force forces
        forum foundation front fund gallery games gazette gmbh group guard hall herald
        hospital hotel house inc initiative institute island islands journal kingdom lake
        league llc ltd magazine media ministry monastery mountain mountains movement museum
        navy network news oblast ocean office olympics palace park party plc police port
        post press prize program programme project province radio regiment region republic
        restaurant review river sa school sea service services square stadium state states
        station street summit television theater theatre times tower tribune tv union
        university weekly
        """
    )
)

# Capitalised words that are never a given name or surname, whatever follows (folded).
NOT_NAMES = frozenset(
    _words(
        """
        a according after also although an and april as at august before but by december dr
        during february for friday from he her here him his how however i if in it its
        january july june lady lord march may me meanwhile monday mr mrs ms my november
        october of on or our saturday september she since sir still sunday that the their
        them then there these they this those though thursday thus to today tomorrow tuesday
        we wednesday what when where while who why with yesterday yet you your
        """
    )
)

# Slavic, Georgian, Armenian and Baltic surname endings (folded Latin): a capitalised word ending so
# reads as a surname even without a given name in front (Tinkov, Dziuba, Saakashvili, Pashinyan).
SURNAME_ENDINGS = _words(
    """
    ov ova ev eva off ow owa ew ewa in ina yn yna sky ski skiy skii skij skyi skyy skaya skaia
    ska cki enko uk iuk yuk ets ich ych itch yan ian dze shvili uba yuba
    """
)
# Patronymic endings: the middle word of "Vladimir Vladimirovich Putin" is neither given name nor surname.
PATRONYMIC_ENDINGS = _words(
    """
    ovich evich ovych evych ovna evna ivna ich ych ovitch evitch
    """
)

# Russian given names and their Ukrainian forms (lower-case Cyrillic, "ru/uk"): Vladimir and Volodymyr
# may be one person. Both are expanded into every Latin spelling by `transnorm.translit`.
RU_UK_GIVEN: tuple[tuple[str, str], ...] = tuple(
    (pair.split("/")[0], pair.split("/")[1])
    for pair in _words(
        """
        владимир/володимир александр/олександр алексей/олексій дмитрий/дмитро пётр/петро
        юлия/юлія виталий/віталій сергей/сергій андрей/андрій николай/микола михаил/михайло
        григорий/григорій евгений/євген елена/олена наталья/наталія анатолий/анатолій
        юрий/юрій игорь/ігор павел/павло фёдор/федір василий/василь виктор/віктор
        валерий/валерій геннадий/геннадій георгий/георгій иван/іван илья/ілля кирилл/кирило
        константин/костянтин леонид/леонід максим/максим олег/олег роман/роман руслан/руслан
        святослав/святослав степан/степан тарас/тарас ярослав/ярослав борис/борис
        вадим/вадим денис/денис егор/єгор антон/антон артём/артем владислав/владислав
        вячеслав/в'ячеслав глеб/гліб даниил/данило никита/микита станислав/станіслав
        тимофей/тимофій эдуард/едуард ирина/ірина ольга/ольга татьяна/тетяна анна/анна
        мария/марія екатерина/катерина светлана/світлана людмила/людмила галина/галина
        анастасия/анастасія дарья/дарія ксения/ксенія полина/поліна вероника/вероніка
        валентина/валентина евгения/євгенія александра/олександра маргарита/маргарита
        софья/софія алина/аліна виктория/вікторія лариса/лариса марина/марина надежда/надія
        любовь/любов вера/віра оксана/оксана лилия/лілія
        """
    )
)
# Feminine given names among them (the rest are masculine): a cluster's gender when endings do not tell.
FEMININE_GIVEN = frozenset(
    _words(
        """
        александра алина анастасия анна валентина вера вероника виктория галина дарья
        евгения екатерина елена ирина ксения лариса лилия любовь людмила маргарита марина
        мария надежда наталья оксана ольга полина светлана софья татьяна юлия
        """
    )
)

# Given names of other languages that news in Latin letters writes (folded); with the Slavic ones
# above they let a capitalised pair count as a person's name.
OTHER_GIVEN = frozenset(
    _words(
        """
        aaron abdullah abigail adam ahmed alan albert alexander alexis ali alice amanda
        amber amy andrea andrew andrzej angela ann anna annalena anthony antonio antony
        arthur ashley austin barbara benjamin betty beverly billy bobby boris bradley
        brandon brenda brett brian brittany bruce bryan carl carol carolyn catherine charles
        charlotte cheryl christian christina christine christopher chuck cynthia daniel
        danielle david deborah debra denise dennis diana diane dieter donald donna doris
        dorothy douglas dylan edward ehud elizabeth emily emma emmanuel eric ethan eugene
        evelyn frances francois frank franz friedrich gabriel gary george gerald gerhard
        giorgia gloria gordon grace gregory hannah hans harold harry hassan heather heinz
        helen helmut henry howard hunter ilham inacio isaac isabella jack jacob jacqueline
        jacques jair jake james janet janice jaroslaw jason jean jeffrey jennifer jens
        jeremy jerry jesse jessica joan joe john johnny joko jonathan jordan jose josef
        joseph joshua joyce judith judy julia julie jurgen justin kamala karen karl
        katherine kathleen kathryn kayla keir keith kelly kenneth kevin kim kimberly klaus
        kyle larry laura lauren lawrence linda lisa liz lloyd logan lori louis luiz lula
        madison margaret maria marie marilyn marine mario mark markus martha mary mateusz
        matteo matthew megan melissa mette michael michel michelle mitch mohammed muhammad
        naftali nancy narendra natalie nathan nicholas nicolas nicole nigel nikol noah olaf
        olivia pamela patricia patrick paul pedro peter philip pierre rachel radoslaw ralph
        randy raymond rebecca recep richard rishi robert roger ron ronald roy rudy russell
        ruth ryan samantha samuel sandra sara sarah scott sean sergio sharon shirley sophia
        stephanie stephen steven susan tayyip teresa terry theresa thomas timothy tony tyler
        ursula victoria viktor vincent virginia walter william willie wolfgang xi yair
        zachary
        """
    )
)
