"""gdcourse.quiz: feedback on right and wrong answers, grading, validation, static renderings."""

from __future__ import annotations

import pytest

from gdcourse.quiz import Question, Quiz

STEP = Question(
    "With f′(θ) = −5.7 and α = 0.1, how far does θ move?",
    ["0.057", "0.57", "5.7"],
    1,
    "The step is α·|f′(θ)| = 0.1 × 5.7 = 0.57.",
)
SIGN = Question("Which way does θ move when f′(θ) < 0?", ["left", "right"], 1, "θ − α·f′(θ) > θ.")


def test_feedback_right_and_wrong():
    quiz = Quiz([STEP, SIGN])
    assert quiz.feedback(0, 1) == "Correct. The step is α·|f′(θ)| = 0.1 × 5.7 = 0.57."
    assert quiz.feedback(0, 2) == "Not quite. The answer is B) 0.57. The step is α·|f′(θ)| = 0.1 × 5.7 = 0.57."
    assert quiz.feedback(1, 0).startswith("Not quite. The answer is B) right.")


def test_grade_counts_right_answers_and_skips_unanswered():
    quiz = Quiz([STEP, SIGN])
    assert quiz.grade([1, 1]) == 2
    assert quiz.grade([0, 1]) == 1
    assert quiz.grade([None, None]) == 0
    with pytest.raises(ValueError, match="selection must hold 2 choices, got 1"):
        quiz.grade([1])


@pytest.mark.parametrize(
    "args, message",
    [
        (("q?", ["only"], 0, "e"), "options must hold 2 to 26 choices, got 1"),
        (("q?", ["a", "b"], 2, "e"), r"answer_index must be an integer in \[0, 1\], got 2"),
        (("q?", ["a", "b"], -1, "e"), r"answer_index must be an integer in \[0, 1\], got -1"),
        (("q?", ["a", "b"], 1.0, "e"), r"answer_index must be an integer in \[0, 1\], got 1.0"),
        (("q?", ["a", "a"], 0, "e"), "options must be distinct"),
        ((" ", ["a", "b"], 0, "e"), "text must be a non-empty question"),
    ],
)
def test_invalid_questions_raise(args, message):
    with pytest.raises(ValueError, match=message):
        Question(*args)


def test_invalid_quiz_and_choices_raise():
    with pytest.raises(ValueError, match="questions must be a non-empty list of Question"):
        Quiz([])
    quiz = Quiz([STEP])
    with pytest.raises(ValueError, match=r"choice must be an integer in \[0, 2\], got 3"):
        quiz.feedback(0, 3)
    with pytest.raises(ValueError, match=r"i must be an integer in \[0, 0\], got 1"):
        quiz.feedback(1, 0)


def test_static_renderings_list_every_question_and_option():
    quiz = Quiz([STEP, SIGN])
    text = str(quiz)
    assert text.splitlines()[0] == "Reflect"
    assert "1. With f′(θ) = −5.7 and α = 0.1, how far does θ move?" in text
    assert "   C) 5.7" in text and "2. Which way" in text
    assert "0.1 × 5.7" not in text  # the plain text does not give the answers away
    md = quiz._repr_markdown_()
    assert "<details><summary>Answer</summary>B) 0.57. The step is" in md


def test_widget_shows_feedback_when_an_option_is_chosen():
    box = Quiz([STEP, SIGN]).widget()
    buttons = [w for w in box.children if hasattr(w, "options")]
    feedback = box.children[3]
    assert len(buttons) == 2 and buttons[0].value is None and feedback.value == ""
    buttons[0].value = 2
    red, green = '<span style="color:#b42318;font-weight:bold">', '<span style="color:#1a7f37;font-weight:bold">'
    assert feedback.value.startswith(red + "Not quite.</span> The answer is B) 0.57.")
    buttons[0].value = 1
    assert feedback.value == green + "Correct.</span> The step is α·|f′(θ)| = 0.1 × 5.7 = 0.57."


def test_feedback_uses_no_emoji_and_escapes_html():
    """Every character of the feedback exists in common text fonts (no emoji block), and HTML is escaped."""
    quiz = Quiz([Question("1 < 2?", ["yes", "no"], 0, "a < b & c")])
    box = quiz.widget()
    buttons = next(w for w in box.children if hasattr(w, "options"))
    for choice in (0, 1):
        buttons.value = choice
        value = box.children[3].value
        assert all(ord(ch) < 0x2000 for ch in value), value
    assert value.endswith("a &lt; b &amp; c")
