"""The context checks of `normalise/context.py`, one table per check (each row fails on its own)."""

from __future__ import annotations

import pytest

from transnorm.normalise.context import (
    base_forms,
    given_compatible,
    in_title,
    is_given_name,
    role_categories,
    title_category,
)
from transnorm.normalise.glossary import Entry

ZELENSKYY = Entry(
    "volodymyr-zelenskyy",
    {"en": "Volodymyr Zelenskyy", "de": "Wolodymyr Selenskyj"},
    native={"uk": "Володимир Зеленський", "ru": "Владимир Зеленский"},
    role="President of Ukraine",
)


@pytest.mark.parametrize(
    ("text", "place", "expected"),
    [
        ("Vechernyaya Moskva reported.", "Moskva", True),
        ("The station «Govorit Moskva» said.", "Moskva", True),
        ('The cruiser "Moskva" sank.', "Moskva", True),
        ("The Kiev Post wrote.", "Kiev", True),
        ("In Moskva, talks began.", "Moskva", False),
        ("Moskva Mayor Sobyanin spoke.", "Moskva", False),
        ("He flew to Moskva and back.", "Moskva", False),
        ("Yesterday Moskva said no.", "Moskva", False),
        ("«Talks in Moskva went well», he said.", "Moskva", True),
    ],
)
def test_in_title(text: str, place: str, expected: bool) -> None:
    start = text.index(place)
    assert in_title(text, start, start + len(place)) is expected


def test_in_title_german_nouns_say_nothing() -> None:
    text = "die russische Hauptstadt Moskwa"
    start = text.index("Moskwa")
    assert in_title(text, start, len(text))
    assert not in_title(text, start, len(text), nouns_capitalised=True)


@pytest.mark.parametrize(
    ("text", "name", "category"),
    [
        ("Fr. Vladimir Zelensky led it.", "Vladimir Zelensky", "clergy"),
        ("the priest Vladimir Zelensky", "Vladimir Zelensky", "clergy"),
        ("Vladimir Zelensky, a priest, said.", "Vladimir Zelensky", "clergy"),
        ("racing driver Pavel Yashin won", "Pavel Yashin", "sport"),
        ("Протоиерей Владимир Зеленский служил.", "Владимир Зеленский", "clergy"),
        ("Гонщик Павел Яшин победил.", "Павел Яшин", "sport"),
        ("President Vladimir Zelensky spoke.", "Vladimir Zelensky", None),
        ("Father of two, he met Zelensky.", "Zelensky", None),
    ],
)
def test_title_category(text: str, name: str, category: str | None) -> None:
    start = text.index(name)
    assert title_category(text, start, start + len(name)) == category


@pytest.mark.parametrize(
    ("role", "categories"),
    [
        ("President of Ukraine", {"public"}),
        ("Mayor of Kyiv, former boxing champion", {"sport", "public"}),
        ("Patriarch of Moscow and all Rus', head of the Russian Orthodox Church", {"clergy"}),
        (None, {"public"}),
    ],
)
def test_role_categories(role: str | None, categories: set[str]) -> None:
    assert role_categories(Entry("x", {"en": "X Y"}, role=role)) == categories


@pytest.mark.parametrize(
    ("word", "given", "compatible"),
    [
        ("Vladimir", True, True),
        ("Wolodymyr", True, True),
        ("Владимира", True, True),
        ("Pavel", True, False),
        ("Павлом", True, False),
        ("Ilya", True, False),
        ("Fr.", False, False),
        ("President", False, False),
    ],
)
def test_given_names(word: str, given: bool, compatible: bool) -> None:
    assert is_given_name(word) is given
    assert given_compatible(word, ZELENSKYY) is compatible


def test_base_forms_undo_case_endings_and_the_fleeting_vowel() -> None:
    assert "павел" in base_forms("Павлом")
    assert "илья" in base_forms("Ильей")
    assert base_forms("Pavel") == ("Pavel",)
