"""The one TOML checker (core/tomlcheck.py): limits before parsing, a line for every problem,
one printable line per problem, and the right line after multi-line strings (issues 14, 16)."""

from __future__ import annotations

import textwrap
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field

from vpatient.core.casefile import parse_case
from vpatient.core.tomlcheck import (
    KeyLocator,
    Limits,
    Problem,
    check_toml,
    printable,
    toml_problems,
)


class Settings(BaseModel):
    """A small settings model, as the practice settings file will have."""

    model_config = ConfigDict(extra="forbid")
    difficulty: Literal["intro", "core", "advanced"] = "core"
    theme: str = "textual-dark"
    volume: int = Field(default=5, ge=0, le=10)


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    size: int = 1


class Nested(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    items: list[Item] = []
    tags: list[str] = []
    table: dict[str, int] = {}


CASE = textwrap.dedent('''\
    id = "multi-line"
    title = "A patient"

    [patient]
    sex = "female"
    history = """She noticed it
    three months ago, and it has
    slowly got worse."""
    complaint = "My leg."
    age = 300

    [[lesions]]
    site = "internal_capsule"
    side = "left"
    onset_days = 90
    severity = "severe"
''')


def lines_of(text: str, model: type[BaseModel] = Nested) -> list[str]:
    return [str(p) for p in toml_problems(text.encode(), model, "f.toml")]


# --- lines ---------------------------------------------------------------------------------------


def test_a_key_after_a_multi_line_string_is_reported_on_its_own_line():
    """Issue 14: `age = 300` on line 10 after a multi-line history was reported on line 6."""
    [problem] = [str(p) for p in parse_case(CASE.encode(), "c.toml").problems]
    assert problem.startswith("c.toml:10: patient.age: must be less than or equal to 120")
    assert "(got 300)" in problem


def test_multi_line_literal_strings_and_escaped_quotes_do_not_shift_lines():
    text = CASE.replace('"""She noticed it', "'''She \"\"\" noticed it").replace(
        'got worse."""', "got worse.'''")
    [problem] = [str(p) for p in parse_case(text.encode(), "c.toml").problems]
    assert problem.startswith("c.toml:10: patient.age:")
    text = CASE.replace("three months ago", 'three \\"""months\\""" ago')
    [problem] = [str(p) for p in parse_case(text.encode(), "c.toml").problems]
    assert problem.startswith("c.toml:10: patient.age:")


def test_locator_follows_arrays_of_tables_inline_tables_arrays_and_dotted_keys():
    text = textwrap.dedent('''\
        title = "x"
        table.a = 1
        tags = [
          "one",
          2,
        ]
        [[items]]
        name = "first"
        [[items]]
        name = "second"
        size = "big"
        [other]
        inline = { deep = { key = 1 }, b = 2 }
    ''')
    locate = KeyLocator(text)
    assert locate(("table", "a")) == 2
    assert locate(("tags", 1)) == 5
    assert locate(("items", 1, "size")) == 11
    assert locate(("items", 0)) == 7
    assert locate(("other", "inline", "deep", "key")) == 13
    assert locate(("items", 1, "colour")) == 9  # missing: the table it belongs in
    assert locate(("nothing",)) == 1  # missing at the top level
    out = lines_of(text)
    assert "f.toml:5: tags[1]: must be a valid string (got 2)" in out
    assert any(p.startswith("f.toml:11: items[1].size: must be a valid integer") for p in out)
    assert "f.toml:12: other: unknown key (check the spelling)" in out


def test_problems_come_in_reading_order_with_missing_keys_last():
    out = lines_of('oops = 1\n[[items]]\nsize = 2\n')
    assert out == ["f.toml:1: oops: unknown key (check the spelling)",
                   "f.toml:1: title: required key is missing",
                   "f.toml:2: items[0].name: required key is missing"]


# --- syntax errors always have a line ------------------------------------------------------------


@pytest.mark.parametrize(("text", "line", "words"), [
    ('title = "x"\nhistory = """never closed\n\nmore\n', 2, "the string that opens on this line"),
    ("title = 'x'\nlist = '''open\n", 2, "the string that opens on this line"),
    ('title = "x"\ntags = [\n  "a",\n  "b",\n', 2, "the bracket that opens on this line"),
    ('title = "x"\nkey =', 2, "at the end of the file"),
    ('title = "x"\nkey =\n', 2, "Invalid value"),
    ('title = "x"\n\nkey = = 1\n', 3, "not valid TOML"),
])
def test_syntax_errors_at_the_end_of_the_file_still_name_a_line(text, line, words):
    [problem] = lines_of(text)
    assert problem.startswith(f"f.toml:{line}: not valid TOML")
    assert words in problem and "end of document" not in problem


# --- limits, checked before the parser ----------------------------------------------------------


@pytest.mark.parametrize(("text", "line", "words"), [
    ('title = "x"\nv = ' + "[" * 500 + "]" * 500 + "\n", 2, "nested more than 20 deep"),
    ('title = "x"\nv = ' + "[" * 500 + "\n", 2, "nested more than 20 deep"),
    ("v = " + "{a = " * 300 + "1" + "}" * 300 + "\n", 1, "nested more than 20 deep"),
    ('title = "x"\n\nv = 1' + "2" * 4300 + "\n", 3, "a number of 4,301 characters"),
    ("v = 0x" + "f" * 5000 + "\n", 1, "a number of 5,002 characters"),
    ("a" + ".a" * 30_000 + " = 1\n", 1, "a dotted key of more than 16 parts"),
    ("[" + ".".join(["t"] * 100) + "]\n", 1, "a dotted key of more than 16 parts"),
    ('title = "x"\nv = "' + "a" * 20_001 + '"\n', 2, "a string of 20,001 characters"),
    ('v = """' + "a\n" * 15_000 + '"""\n', 1, "a string of 30,000 characters"),
])
def test_hostile_values_are_refused_with_a_line_before_parsing(text, line, words):
    [problem] = lines_of(text)
    assert problem.startswith(f"f.toml:{line}: ") and words in problem
    assert len(problem) < 200


def test_brackets_and_dots_inside_strings_and_comments_do_not_count():
    brackets, dots = "[" * 40, ".".join("abcdefghijklmnopqrstuvwxyz")
    text = f'title = "{brackets}{dots}"\n# {brackets}\ntags = [\'{dots}\', """{dots}"""]\n'
    assert lines_of(text) == []


def test_a_file_over_the_size_limit_names_the_line_where_it_crosses():
    data = b'title = "x"\n' + b"# padding\n" * 200
    [problem] = toml_problems(data, Nested, "f.toml", limits=Limits(max_bytes=100))
    assert problem.line == 10 and "larger than 100 bytes" in problem.message


def test_many_problems_are_capped_with_a_count_of_the_rest():
    text = 'title = "x"\n' + "".join(f"k{i} = 1\n" for i in range(500))
    out = lines_of(text)
    assert len(out) == 51
    assert out[-1] == "f.toml:52: and 450 more problems (fix the ones above first)"


# --- one printable line --------------------------------------------------------------------------


def test_control_characters_in_keys_and_values_are_escaped():
    text = '"\\u001b]0;PWNED\\u0007\\u001b[2J" = 1\ntitle = "x"\nitems = [{name = "a", ' \
           'size = "\\u001b[2J\\u202e\\n"}]\n'
    out = lines_of(text)
    assert out == ['f.toml:1: "\\u001b]0;PWNED\\u0007\\u001b[2J": a key with a control '
                   "character (\\u001b)",
                   "f.toml:3: items[0].size: contains a control character (\\u001b); remove it"]
    assert all(printable(line) == line and "\x1b" not in line for line in out)


def test_control_characters_in_text_a_screen_shows_are_errors_but_newlines_and_tabs_are_not():
    assert lines_of('title = "two\\nlines\\tand a tab\\r\\n"\n') == []
    for bad in ("\\u001b[2J", "\\u0007", "\\r", "\\u202e", "\\u2028", "\\u0000"):
        [problem] = lines_of(f'title = "a{bad}b"\n')
        assert problem.startswith("f.toml:1: title: contains a control character (")
    assert check_toml('title = "a\\u001bb"\n', Nested, "f", allow_control_characters=True).ok


def test_a_path_with_control_characters_is_printed_escaped_and_long_paths_are_cut():
    problem = Problem("dir\x1b[2J/\n.toml", 3, "key", "bad\x07")
    assert str(problem) == "dir\\u001b[2J/\\u000a.toml:3: key: bad\\u0007"
    long = Problem("/" + "d" * 5000 + "/case.toml", 1, "", "bad")
    assert len(str(long)) < 320 and str(long).endswith("/case.toml:1: bad")


def test_quoted_values_are_cut_to_about_two_hundred_characters():
    out = lines_of('tags = "' + "Ω" * 5000 + '"\ntitle = [' + ", ".join(['"x"'] * 5000) + "]\n")
    assert len(out) == 2 and all(len(line) < 320 for line in out)
    assert "(4,802 more characters)" in out[0]  # of the quoted repr


# --- the documented example ----------------------------------------------------------------------


def test_the_settings_example_of_the_module_docstring():
    checked = check_toml(b'difficulty = "expert"\n', Settings, "settings.toml",
                         unknown_key_hint="see the settings section of the README")
    assert not checked.ok and checked.value is None
    assert str(checked.problems[0]) == "settings.toml:1: difficulty: must be 'intro', 'core' " \
                                       "or 'advanced' (got 'expert')"
    checked = check_toml('theme = "textual-ansi"\nvolum = 3\n', Settings, "settings.toml",
                         unknown_key_hint="see the README")
    assert [str(p) for p in checked.problems] == [
        "settings.toml:2: volum: unknown key (check the spelling; see the README)"]
    good = check_toml("# nothing set\n", Settings, "settings.toml")
    assert good.ok and good.value == Settings() and good.problems == ()


def test_extra_checks_give_warnings_that_keep_the_value_and_errors_that_do_not():
    def checks(settings: Settings):
        if settings.volume > 8:
            yield ("volume",), "loud", "warning"
        if settings.theme == "bad":
            yield ("theme",), "no such theme", "error"

    checked = check_toml("\n\nvolume = 9\n", Settings, "s.toml", checks=checks)
    assert checked.ok and [str(p) for p in checked.problems] == ["s.toml:3: volume: warning: loud"]
    checked = check_toml('theme = "bad"\n', Settings, "s.toml", checks=checks)
    assert checked.value is None and str(checked.problems[0]) == "s.toml:1: theme: no such theme"


def test_utf8_with_a_byte_order_mark_is_read_and_other_encodings_name_the_line():
    assert check_toml("\ufeffdifficulty = 'intro'\n".encode(), Settings, "s.toml").ok
    [problem] = toml_problems(b"theme = 'x'\ntheme2 = '\xe9'\n", Settings, "s.toml")
    assert str(problem).startswith("s.toml:2: not UTF-8 text (byte 0xe9)")
