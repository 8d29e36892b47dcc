"""No keyboard traps, settings that stay, and weak-spot practice as spaced review (issue 14)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from graded_answers import record_graded
from textual.widgets import Button, OptionList

from vpatient.core.answer import Answer
from vpatient.core.case import Case
from vpatient.progress import ProgressStore
from vpatient.settings import load_settings, settings_path
from vpatient.tui.app import VPatientApp, binding_ids
from vpatient.tui.screens.confirm import ConfirmScreen
from vpatient.tui.screens.encounter import EncounterScreen
from vpatient.tui.screens.feedback import FeedbackScreen
from vpatient.tui.screens.home import HomeScreen
from vpatient.tui.screens.localize import LocalizeScreen
from vpatient.tui.screens.stats import StatsScreen

OTHER_SIDE = {"left": "right", "right": "left"}


class RecordingApp(VPatientApp):
    """The game, keeping every message it shows the student."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.messages: list[str] = []

    def notify(self, message: str, **options) -> None:
        self.messages.append(message)
        super().notify(message, **options)


async def open_localize(pilot, case: Case) -> LocalizeScreen:
    await pilot.app.push_screen(EncounterScreen(case))
    await pilot.pause()
    await pilot.press("l")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, LocalizeScreen)
    return screen


async def test_tab_follows_the_numbers(fixed_case: Case) -> None:
    async with VPatientApp(seed=1).run_test(size=(80, 24)) as pilot:
        screen = await open_localize(pilot, fixed_case)
        order = [screen.focused.id]
        for _ in range(3):
            await pilot.press("tab")
            order.append(screen.focused.id)
        # No site chosen yet: the level list is disabled, so Tab skips it.
        assert order == ["neuron", "site", "side", "neuron"]
        # With a site that has a level (nerve root), the level list joins the order.
        await pilot.press("tab")
        site = screen.query_one("#site", OptionList)
        site.highlighted = site.get_option_index("root")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.focused.id == "level"  # Enter picked and moved on to 3
        await pilot.press("shift+tab", "shift+tab")
        order = [screen.focused.id]
        for _ in range(3):
            await pilot.press("tab")
            order.append(screen.focused.id)
        assert order == ["neuron", "site", "level", "side"]


async def test_enter_enter_does_not_submit() -> None:
    """The confirmation opens on Change: a second Enter goes back, y submits."""
    app = VPatientApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LocalizeScreen)
        await pilot.press("enter", "enter", "enter")  # UMN, motor cortex, left: all chosen
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.focused is app.screen.query_one("#no", Button)
        await pilot.press("enter")  # the trap: a second Enter
        await pilot.pause()
        assert app.screen is screen  # back to change the answer; nothing submitted
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen)
        assert app.screen.result.given == Answer(neuron="UMN", site="cortex", side="left")


async def test_leaving_a_patient_defaults_to_stay(fixed_case: Case) -> None:
    app = VPatientApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(EncounterScreen(fixed_case))
        await pilot.pause()
        encounter = app.screen
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.focused.id == "no" and "Stay" in str(app.screen.focused.label)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is encounter
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


# --- Settings ------------------------------------------------------------------------------------


async def test_settings_survive_a_restart() -> None:
    app = VPatientApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")  # core -> advanced
        await pilot.pause()
        app.theme = "textual-ansi"  # as the palette's theme picker does
        await pilot.pause()
    assert load_settings().settings.difficulty == "advanced"
    again = VPatientApp(seed=2)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.difficulty == "advanced" and again.theme == "textual-ansi"
        assert "(•) advanced" in str(again.screen.query_one("#difficulty").render())
        await pilot.press("p")
        await pilot.pause()
        assert again.screen.case.difficulty == "advanced"


async def test_key_bindings_from_the_settings() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text('[keys]\n"home.practice" = "n"\n')
    app = VPatientApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, EncounterScreen)
    assert "home.practice" in binding_ids() and "localize.submit" in binding_ids()


async def test_a_bad_settings_file_is_reported_and_the_game_plays_on() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    text = 'difficulty = "expert"\ntheme = "textual-ansi"\n\n[keys]\n"home.nothing" = "x"\n'
    path.write_text(text)
    app = RecordingApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.difficulty == "core" and app.theme == "textual-ansi"  # the good part holds
        messages = app.messages
        assert any(f"{path}:1: difficulty: must be" in m and f'{path}:5: keys."home.nothing"'
                   in m for m in messages), messages
        await pilot.press("d")  # a change is not saved over the file the student must fix
        await pilot.pause()
    assert path.read_text() == text


# --- Weak-spot practice --------------------------------------------------------------------------


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def record_wrong_sides(count: int, start: datetime) -> None:
    with ProgressStore() as store:
        for index, case_id in enumerate(["capsular-stroke-chronic", "radiculopathy-l5",
                                         "ulnar-nerve-elbow"][:count]):
            record_graded(store, case_id, {"side": "other"}, start + timedelta(minutes=index))


async def test_three_wrong_sides_make_side_the_weak_spot_and_the_review_says_why() -> None:
    start = datetime(2025, 4, 7, 10, 0, tzinfo=UTC)
    record_wrong_sides(3, start)
    clock = Clock(start + timedelta(minutes=10))
    app = VPatientApp(seed=11, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = str(app.screen.query_one("#progress-line").render())
        assert "Top weak spot: wrong side (1 due for review; press w)" in line
        await pilot.press("s")
        await pilot.pause()
        stats = app.screen
        assert isinstance(stats, StatsScreen)
        assert stats.summary.weak_spots[0].topic == "side"
        assert stats.summary.by_mistake[0].kind == "side"
        await pilot.press("w")
        await pilot.pause()
        encounter = app.screen
        assert isinstance(encounter, EncounterScreen)
        why = "Chosen for your weak spot “wrong side”: wrong 3 times (due now)."
        assert encounter.header_note == why
        assert why in str(encounter.query_one("#patient-card").render())
        # A patient that can test the side: a one-sided lesion.
        assert encounter.case.answer_key.canonical.side in ("left", "right")

        # Right this time: the review is spaced further out.
        key = encounter.case.answer_key.canonical
        encounter.post_message(EncounterScreen.AnswerSubmitted(encounter.case.id, key, []))
        await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen)
        assert app.saver.wait_until_saved(10)
        summary = app.progress_summary()
        (side,) = [i for i in summary.review if i.topic == "side"]
        assert side.reviews == 4 and side.due > clock.now
        assert not side.is_due(clock.now)


async def test_weak_spot_practice_before_any_mistake_says_so() -> None:
    app = RecordingApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("No weak spots yet" in m for m in app.messages)


async def test_an_answer_given_while_progress_is_locked_shows_feedback_and_is_saved_later(
        data_dir: Path) -> None:
    import sqlite3
    from functools import partial

    from vpatient.progress import DATABASE_NAME, ProgressSaver

    ProgressStore().close()
    locker = sqlite3.connect(data_dir / DATABASE_NAME, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")  # held far longer than a write waits
    app = RecordingApp(seed=4, saver=partial(ProgressSaver, timeout=0.2, retry_delays=(0.1,)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "l", "enter", "enter", "enter", "y")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen)  # the screen did not wait for the disk
        for _ in range(100):
            if any("could not be saved yet" in m for m in app.messages):
                break
            await pilot.pause(0.05)
        assert any("could not be saved yet" in m and "nothing is lost" in m
                   for m in app.messages), app.messages
        assert len(app.saver.pending) == 1
        assert app.progress_summary().attempts == 1  # counted while it waits
        locker.execute("COMMIT")
        locker.close()
        for _ in range(100):
            if not app.saver.pending:
                break
            await pilot.pause(0.05)
        await pilot.pause(0.2)
        assert "Your answer is saved now." in app.messages
    with ProgressStore() as store:
        assert len(store.attempts()) == 1


async def test_every_site_offers_its_own_levels(fixed_case: Case) -> None:
    from vpatient.core import anatomy
    from vpatient.core.vocabulary import LEVEL_KIND, SITES

    expected = {"segment": anatomy.SEGMENTS, "segment range": anatomy.SEGMENTS,
                "root": anatomy.ROOT_LEVELS, "plexus part": tuple(anatomy.PLEXUS_PARTS),
                "nerve": tuple(anatomy.NERVES)}
    async with VPatientApp(seed=1).run_test(size=(80, 24)) as pilot:
        screen = await open_localize(pilot, fixed_case)
        site, level = screen.query_one("#site", OptionList), screen.query_one("#level",
                                                                              OptionList)
        for name in SITES:
            site.focus()
            site.highlighted = site.get_option_index(name)
            await pilot.press("enter")
            await pilot.pause()
            kind = LEVEL_KIND.get(name)
            if kind is None:
                assert level.disabled and screen.focused.id == "side"
            else:
                ids = [level.get_option_at_index(i).id for i in range(level.option_count)]
                assert ids == ["-", *expected[kind]], name


def _presentation(case: Case) -> str:
    return next(s.removeprefix("presentation ") for s in case.sources
                if s.startswith("presentation "))


async def test_a_run_of_practice_patients_does_not_repeat_a_presentation() -> None:
    """Blind review 4 met three lacunar strokes and two ulnar palsies in 30 patients: a
    presentation does not come back within NO_REPEAT_WITHIN practice patients."""
    from vpatient.core.generator import NO_REPEAT_WITHIN

    app = VPatientApp(seed=3)
    seen: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3 * NO_REPEAT_WITHIN):
            await pilot.press("p")
            await pilot.pause()
            assert isinstance(app.screen, EncounterScreen)
            seen.append(_presentation(app.screen.case))
            await pilot.press("escape")  # leave the patient: "yes" to the confirm
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
    for i in range(len(seen)):
        window = seen[i:i + NO_REPEAT_WITHIN]
        assert len(set(window)) == len(window), seen
