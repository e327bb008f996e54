"""Reflect quizzes: multiple-choice questions with instant feedback at the end of a lecture.

``quiz.show()`` displays one group of radio buttons per question; choosing an option shows at once
whether it is right, with the explanation. Where no kernel runs (GitHub, nbviewer, a static HTML
export) the same call leaves a plain-text / Markdown copy of the questions, answers folded away.
``Quiz.feedback`` and ``Quiz.grade`` are ordinary functions: the widgets only call them.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
from IPython.display import display

__all__ = ["Question", "Quiz"]

CORRECT = "Correct."
INCORRECT = "Not quite."
# The verdict is marked by colour and weight, not by an emoji: "✅" is a blank box without an emoji font.
_VERDICT_STYLE = {CORRECT: "color:#1a7f37;font-weight:bold", INCORRECT: "color:#b42318;font-weight:bold"}


def _letter(i: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i]


def _verdict_html(text: str) -> str:
    """Feedback as HTML with its verdict ("Correct." / "Not quite.") in bold green or red, plain characters only."""
    verdict = CORRECT if text.startswith(CORRECT) else INCORRECT
    rest = html.escape(text[len(verdict):])
    return f'<span style="{_VERDICT_STYLE[verdict]}">{verdict}</span>{rest}'


@dataclass(frozen=True)
class Question:
    """One multiple-choice question: ``options[answer_index]`` is the right one.

    ``explanation`` says why, and is shown after any choice.
    """

    text: str
    options: Sequence[str]
    answer_index: int
    explanation: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", tuple(self.options))
        if not self.text.strip():
            raise ValueError("text must be a non-empty question, got ''")
        if not 2 <= len(self.options) <= 26:
            raise ValueError(f"options must hold 2 to 26 choices, got {len(self.options)}")
        if len(set(self.options)) != len(self.options):
            raise ValueError(f"options must be distinct, got {list(self.options)!r}")
        if isinstance(self.answer_index, bool) or not isinstance(self.answer_index, int) or not (
            0 <= self.answer_index < len(self.options)
        ):
            last = len(self.options) - 1
            raise ValueError(f"answer_index must be an integer in [0, {last}], got {self.answer_index!r}")

    def feedback(self, choice: int) -> str:
        """``Correct. <explanation>`` or ``Not quite: the answer is B) <option>. <explanation>``."""
        if isinstance(choice, bool) or not isinstance(choice, int) or not 0 <= choice < len(self.options):
            raise ValueError(f"choice must be an integer in [0, {len(self.options) - 1}], got {choice!r}")
        if choice == self.answer_index:
            return f"{CORRECT} {self.explanation}"
        right = f"{_letter(self.answer_index)}) {self.options[self.answer_index]}"
        return f"{INCORRECT} The answer is {right}. {self.explanation}"


class Quiz:
    """A Reflect quiz: ``Quiz([Question(text, options, answer_index, explanation), ...])``."""

    def __init__(self, questions: Sequence[Question], title: str = "Reflect") -> None:
        if not questions or not all(isinstance(q, Question) for q in questions):
            raise ValueError(f"questions must be a non-empty list of Question, got {questions!r}")
        self.questions: tuple[Question, ...] = tuple(questions)
        self.title = title

    def __len__(self) -> int:
        return len(self.questions)

    def feedback(self, i: int, choice: int) -> str:
        """Feedback on option ``choice`` (0-based) of question ``i`` (0-based)."""
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < len(self.questions):
            raise ValueError(f"i must be an integer in [0, {len(self.questions) - 1}], got {i!r}")
        return self.questions[i].feedback(choice)

    def grade(self, selection: Sequence[int | None]) -> int:
        """Number of right answers in ``selection`` (one choice per question, ``None`` = unanswered)."""
        if len(selection) != len(self.questions):
            raise ValueError(f"selection must hold {len(self.questions)} choices, got {len(selection)}")
        return sum(c is not None and self.feedback(i, c).startswith(CORRECT) for i, c in enumerate(selection))

    def __str__(self) -> str:
        lines = [self.title, ""]
        for n, q in enumerate(self.questions, 1):
            lines.append(f"{n}. {q.text}")
            lines += [f"   {_letter(k)}) {o}" for k, o in enumerate(q.options)]
            lines.append("")
        return "\n".join(lines).rstrip()

    def _repr_markdown_(self) -> str:
        parts = [f"**{self.title}**\n"]
        for n, q in enumerate(self.questions, 1):
            opts = "\n".join(f"   - {_letter(k)}) {o}" for k, o in enumerate(q.options))
            answer = f"{_letter(q.answer_index)}) {q.options[q.answer_index]}. {q.explanation}"
            parts.append(f"{n}. {q.text}\n{opts}\n\n   <details><summary>Answer</summary>{answer}</details>\n")
        return "\n".join(parts)

    def widget(self) -> widgets.VBox:
        """One radio-button group per question; a choice shows its feedback underneath at once."""
        rows: list[widgets.Widget] = [widgets.HTML(f"<h3>{self.title}</h3>")]
        for i, q in enumerate(self.questions):
            buttons = widgets.RadioButtons(
                options=[(f"{_letter(k)}) {o}", k) for k, o in enumerate(q.options)],
                value=None,
                layout=widgets.Layout(width="max-content"),
            )
            answer = widgets.HTML()

            def on_choice(change: dict, i: int = i, answer: widgets.HTML = answer) -> None:
                answer.value = _verdict_html(self.feedback(i, change["new"]))

            buttons.observe(on_choice, names="value")
            rows += [widgets.HTML(f"<b>{i + 1}. {q.text}</b>"), buttons, answer]
        return widgets.VBox(rows)

    def show(self) -> None:
        """Display the quiz: widgets in a live kernel, the text and Markdown copy everywhere else."""
        bundle: dict[str, Any] = self.widget()._repr_mimebundle_()
        bundle.update({"text/plain": str(self), "text/markdown": self._repr_markdown_()})
        display(bundle, raw=True)
