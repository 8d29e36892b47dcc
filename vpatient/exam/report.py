"""``vpatient exam results``: the gradebook and the exam's item statistics.

Per student and case: the answer, its score by part, the maneuvers, the time (one CSV row each).
Per student: the total (mean over the exam's cases; an unanswered case scores 0) and the mean of
each part over the cases where it is graded. Per case (classical item analysis, over every
student who started):
- ``mean_score``: the mean partial-credit score;
- ``difficulty``: the share of students fully right (the classical p; higher is easier);
- ``discrimination``: the correlation of the case's score with the rest of the exam (the
  student's total without this case): the point-biserial correlation when scores are right or
  wrong, Pearson's r with partial credit. Near 0 or negative, the case does not separate strong
  from weak students (or its key is wrong); None with fewer than three students or no spread;
- ``wrong_answers``: the most common answers that were not fully right.

Pure functions over rows read from results.sqlite; nothing here writes.
"""

from __future__ import annotations

import csv
import io
import json
import math
import time
from collections import Counter
from dataclasses import asdict, dataclass, field

from vpatient.core.case import Case
from vpatient.exam.clock import time_left
from vpatient.exam.config import Exam
from vpatient.exam.store import Store

PARTS = ("neuron", "site", "level", "side")
FULL_MARKS = 0.999  # a score this high is "right" (scores are stored to three decimals)

CSV_COLUMNS = (
    "student", "case_number", "case_id", "case_title", "status", "neuron", "site", "side",
    "level", "score", "score_neuron", "score_site", "score_level", "score_side",
    "maneuver_count", "maneuvers", "seconds", "answered_at",
)


@dataclass
class CaseRow:
    """One student and one case."""

    student: str
    number: int  # 1-based
    case_id: str
    title: str
    status: str  # answered | in progress | not answered | not reached | not started | ...
    answer: dict[str, str | None] | None = None  # neuron, site, side, level
    score: float | None = None
    parts: dict[str, float] = field(default_factory=dict)
    maneuvers: list[str] = field(default_factory=list)
    seconds: float | None = None
    answered_at: float | None = None


@dataclass
class StudentSummary:
    student: str
    status: str  # not started | in progress | finished | time up
    score: float | None  # 0..1 over every case; None before the student starts
    parts: dict[str, float | None]
    answered: int
    cases: int


@dataclass
class ItemStats:
    number: int
    case_id: str
    title: str
    students: int  # students who started: the n of these statistics
    answered: int
    mean_score: float | None
    difficulty: float | None
    discrimination: float | None
    wrong_answers: list[dict]  # {"answer": {...}, "count": n}, most common first


# --- reading ------------------------------------------------------------------------------------


def collect(exam: Exam, store: Store, students: list[str], now: float | None = None
            ) -> tuple[list[CaseRow], dict[str, str]]:
    """The rows of every student and case, and each student's status."""
    now = time.time() if now is None else now
    exam_started = store.exam_started_at()
    rows: list[CaseRow] = []
    statuses: dict[str, str] = {}
    for student in students:
        state = store.state(student)
        left = time_left(exam, state.started_at, exam_started, now)
        over = state.finished_at is not None or (left is not None and left <= 0)
        if state.started_at is None:
            statuses[student] = "time up" if over else "not started"
        elif state.finished_at is not None and len(state.answered) >= len(exam.cases):
            statuses[student] = "finished"
        else:
            statuses[student] = "time up" if over else "in progress"
        starts = store.case_starts(student)
        for index, case in enumerate(exam.cases):
            rows.append(_case_row(student, index, case, state, starts, over))
    return rows, statuses


def _case_row(student: str, index: int, case: Case, state, starts: dict[int, float],
              over: bool) -> CaseRow:
    answer = state.answered.get(index)
    row = CaseRow(student, index + 1, case.id, case.title, "",
                  maneuvers=list(state.performed.get(index, [])))
    if state.started_at is None:
        row.status = "not started"
    elif answer is None:
        row.status = "not answered" if over else \
            "in progress" if index in starts else "not reached"
    elif answer["case_id"] != case.id:
        # The exam's case list changed after this answer: flag it, don't misfile it.
        row.status = f"answered a different case ({answer['case_id']})"
    else:
        row.status = "answered"
    if answer is not None and row.status == "answered":
        row.answer = {k: answer[k] for k in ("neuron", "site", "side", "level")}
        row.answered_at = answer["at"]
        try:
            row.score = float(answer["score"])
            grade = json.loads(answer["grade_json"])
            row.parts = {p["part"]: float(p["score"]) for p in grade.get("parts", [])}
        except (TypeError, ValueError, KeyError, AttributeError):
            row.status = "answered (unreadable grade)"  # one bad row costs one row
            row.score = None
        if index in starts:
            row.seconds = answer["at"] - starts[index]
    return row


# --- totals and item statistics -----------------------------------------------------------------


def _has_level(case: Case) -> bool:
    return case.answer_key.canonical.level is not None


def student_summaries(rows: list[CaseRow], statuses: dict[str, str],
                      cases: list[Case]) -> list[StudentSummary]:
    by_student: dict[str, list[CaseRow]] = {}
    for row in rows:
        by_student.setdefault(row.student, []).append(row)
    out = []
    for student, own in by_student.items():
        started = statuses[student] != "not started"
        answered = sum(1 for r in own if r.score is not None)
        score = sum(r.score or 0.0 for r in own) / len(cases) if started else None
        parts: dict[str, float | None] = {}
        for part in PARTS:
            graded = [r for r, case in zip(own, cases, strict=True)
                      if part != "level" or _has_level(case)]
            parts[part] = (sum(r.parts.get(part, 0.0) for r in graded) / len(graded)
                           if started and graded else None)
        out.append(StudentSummary(student, statuses[student], score, parts, answered,
                                  len(cases)))
    return out


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r, or None when it is undefined (fewer than 3 pairs, or no spread)."""
    n = len(xs)
    if n < 3:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def item_statistics(rows: list[CaseRow], statuses: dict[str, str],
                    cases: list[Case]) -> list[ItemStats]:
    takers = [s for s, status in statuses.items() if status != "not started"]
    score: dict[tuple[str, int], float] = {
        (r.student, r.number): r.score or 0.0 for r in rows if r.student in takers}
    totals = {s: sum(score[(s, i + 1)] for i in range(len(cases))) for s in takers}
    out = []
    for index, case in enumerate(cases):
        number = index + 1
        item = [score[(s, number)] for s in takers]
        rest = [totals[s] - score[(s, number)] for s in takers]
        answered_rows = [r for r in rows if r.number == number and r.student in takers
                         and r.score is not None]
        wrong = Counter(
            (r.answer["neuron"], r.answer["site"], r.answer["level"], r.answer["side"])
            for r in answered_rows if r.answer is not None and (r.score or 0) < FULL_MARKS)
        out.append(ItemStats(
            number, case.id, case.title, len(takers), len(answered_rows),
            mean_score=sum(item) / len(item) if item else None,
            difficulty=sum(1 for x in item if x >= FULL_MARKS) / len(item) if item else None,
            discrimination=pearson(item, rest) if len(cases) > 1 else None,
            wrong_answers=[{"answer": {"neuron": n, "site": s, "level": lv, "side": sd},
                            "count": c}
                           for (n, s, lv, sd), c in sorted(wrong.items(),
                                                           key=lambda kv: (-kv[1], kv[0]))[:3]]))
    return out


# --- output -------------------------------------------------------------------------------------


def _iso(ts: float | None) -> str:
    return "" if ts is None else time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(ts))


def _num(value: float | None, digits: int = 3) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def csv_rows(rows: list[CaseRow]) -> list[dict]:
    out = []
    for r in rows:
        answer = r.answer or {}
        out.append({
            "student": r.student, "case_number": r.number, "case_id": r.case_id,
            "case_title": r.title, "status": r.status, "neuron": answer.get("neuron") or "",
            "site": answer.get("site") or "", "side": answer.get("side") or "",
            "level": answer.get("level") or "", "score": _num(r.score),
            **{f"score_{p}": _num(r.parts.get(p)) for p in PARTS},
            "maneuver_count": len(r.maneuvers), "maneuvers": " ".join(r.maneuvers),
            "seconds": "" if r.seconds is None else f"{r.seconds:.0f}",
            "answered_at": _iso(r.answered_at),
        })
    return out


def to_csv(rows: list[CaseRow]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_rows(rows))
    return out.getvalue()


def to_json(exam: Exam, rows: list[CaseRow], summaries: list[StudentSummary],
            items: list[ItemStats]) -> dict:
    by_student: dict[str, list[dict]] = {}
    for r in rows:
        entry = asdict(r)
        entry.pop("student")
        by_student.setdefault(r.student, []).append(entry)
    return {
        "exam": {"title": exam.config.title, "cases": len(exam.cases),
                 "time_limit_minutes": exam.config.time_limit_minutes,
                 "start": exam.config.start, "feedback": exam.config.feedback},
        "students": [{**asdict(s), "answers": by_student.get(s.student, [])}
                     for s in summaries],
        "cases": [asdict(i) for i in items],
    }


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def _answer_words(answer: dict) -> str:
    return " ".join(str(answer[k]).replace("_", " ") for k in ("neuron", "site", "level", "side")
                    if answer.get(k))


def to_text(exam: Exam, rows: list[CaseRow], summaries: list[StudentSummary],
            items: list[ItemStats], *, answers: bool = False) -> str:
    n = len(exam.cases)
    lines = [f"{exam.config.title}: {len(summaries)} students, {n} case{'s' * (n != 1)}, "
             f"{exam.config.time_limit_minutes:g} min", ""]
    head = f"{'student':<16} {'total':>5}  {'neuron':>6} {'site':>5} {'level':>5} {'side':>5}  " \
           f"{'answered':>8}  status"
    lines += [head, "-" * len(head)]
    for s in summaries:
        lines.append(f"{s.student[:16]:<16} {_pct(s.score):>5}  {_pct(s.parts['neuron']):>6} "
                     f"{_pct(s.parts['site']):>5} {_pct(s.parts['level']):>5} "
                     f"{_pct(s.parts['side']):>5}  {f'{s.answered}/{s.cases}':>8}  {s.status}")
    lines.append("")
    head = f"{'#':>2} {'case':<28} {'mean':>5} {'difficulty':>10} {'discrim.':>8} " \
           f"{'answered':>8}  most common wrong answer"
    lines += [head, "-" * len(head)]
    for i in items:
        wrong = i.wrong_answers[0] if i.wrong_answers else None
        wrong_text = f"{_answer_words(wrong['answer'])} ({wrong['count']})" if wrong else "-"
        lines.append(f"{i.number:>2} {i.title[:28]:<28} {_pct(i.mean_score):>5} "
                     f"{_num(i.difficulty, 2) or '-':>10} {_num(i.discrimination, 2) or '-':>8} "
                     f"{f'{i.answered}/{i.students}':>8}  {wrong_text}")
    lines += ["", "difficulty: the share of students fully right (higher is easier).",
              "discrim.: the correlation of the case with the rest of the exam; below 0.2, "
              "look at the case."]
    if answers:
        lines += ["", _answers_table(rows)]
    return "\n".join(lines).rstrip() + "\n"


def _answers_table(rows: list[CaseRow]) -> str:
    head = f"{'student':<14} {'#':>2} {'case':<28} {'score':>5}  {'answer':<40} {'man':>3} " \
           f"{'time':>6}"
    lines = [head, "-" * len(head)]
    for r in rows:
        answer = _answer_words(r.answer) if r.answer else r.status
        secs = f"{int(r.seconds) // 60}:{int(r.seconds) % 60:02d}" if r.seconds is not None \
            else "-"
        lines.append(f"{r.student[:14]:<14} {r.number:>2} {r.title[:28]:<28} {_pct(r.score):>5}  "
                     f"{answer[:40]:<40} {len(r.maneuvers):>3} {secs:>6}")
    return "\n".join(lines)
