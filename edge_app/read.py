"""Group classified digits into readings: numbers along text lines, lines top to bottom."""
from __future__ import annotations

import bisect
import statistics
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Reading:
    text: str
    box: tuple  # x, y, w, h
    members: tuple  # indices of the detections, left to right


# A digit joins a line when its vertical centre is within this share of the line's
# digit height; a gap wider than GAP_SHARE of that height starts a new number. People
# space the digits of one number generously: on real-dev, 2.0 reproduced 40 of 65 true
# groups, 0.75 only 19 (46 with the line following below).
LINE_SHARE = 0.5
GAP_SHARE = 2.0
FOLLOW_GAP = 3.0  # a line is followed across gaps up to this many digit heights


def read_lines(boxes: np.ndarray, digits: np.ndarray, gap_share: float = GAP_SHARE) -> list[Reading]:
    """boxes (N, 4) x, y, w, h; digits (N,). Returns readings in reading order."""
    if len(boxes) == 0:
        return []
    rows = np.asarray(boxes, float).tolist()
    texts = [str(int(d)) for d in digits]
    readings = []
    for members, height in _text_lines(rows):
        number = [members[0]]
        for prev, cur in zip(members, members[1:]):
            gap = rows[cur][0] - (rows[prev][0] + rows[prev][2])
            if gap > gap_share * height:
                readings.append(_reading(number, rows, texts))
                number = []
            number.append(cur)
        readings.append(_reading(number, rows, texts))
    return readings


def _text_lines(rows: list) -> list[tuple[list[int], float]]:
    """(members left to right, median digit height) of each text line, top to bottom.

    Digits are taken left to right. Each one follows the line whose rightmost digit is
    near it and level with it, so a line photographed at a slant is followed digit by
    digit; failing that, it joins a line whose mean height it is level with.
    """
    # Plain Python lists: a frame holds a few dozen digits, and numpy's per-call cost
    # on arrays that small is most of the time spent here.
    centre_y = [y + h / 2 for _, y, _, h in rows]
    heights = [h for _, _, _, h in rows]
    lines: list[list[int]] = []
    line_centre: list[float] = []
    line_height: list[float] = []
    centre_sums: list[float] = []
    sorted_heights: list[list[float]] = []
    for i in sorted(range(len(rows)), key=lambda i: rows[i][0]):
        match, closest = None, None
        for k, members in enumerate(lines):
            last = members[-1]
            size = max(heights[last], heights[i])
            gap = rows[i][0] - (rows[last][0] + rows[last][2])
            rise = abs(centre_y[i] - centre_y[last])
            if gap <= FOLLOW_GAP * size and rise <= LINE_SHARE * size and (closest is None or rise < closest):
                match, closest = k, rise
        if match is None:
            for k in range(len(lines)):
                if abs(centre_y[i] - line_centre[k]) <= LINE_SHARE * max(line_height[k], heights[i]):
                    match = k
                    break
        if match is None:
            lines.append([i])
            line_centre.append(centre_y[i])
            line_height.append(heights[i])
            centre_sums.append(centre_y[i])
            sorted_heights.append([heights[i]])
        else:
            lines[match].append(i)
            centre_sums[match] += centre_y[i]
            line_centre[match] = centre_sums[match] / len(lines[match])
            bisect.insort(sorted_heights[match], heights[i])
            line_height[match] = _median_of_sorted(sorted_heights[match])
    order = sorted(range(len(lines)), key=line_centre.__getitem__)
    return [(lines[k], line_height[k]) for k in order]


def _median_of_sorted(values: list) -> float:
    """statistics.median of an already sorted list, without sorting it again."""
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


# The model is trained to give non-digits a flat distribution (0.1 each); well below the
# acceptance threshold (0.5), a candidate is "clearly not a digit", not an unsure one.
# Measured on real-dev and printed pages: 0.3 let letters through, 0.6 lost messy digits.
NOT_A_DIGIT = 0.45


# A word is text when more than this share of its (tall) members are clearly not
# digits. Any one such letter condemns a word of up to four; a closely written number of
# five or more keeps its one unreadable blob (a long-tailed 9, a retraced 8). On
# real-dev: F1 0.940 -> 0.953 against "any one letter"; on 18 printed pages (six fonts,
# three sizes) 137 of 3528 letters pass for digits, against 127 (a third: 245).
LETTER_SHARE = 0.2
# Neighbours differing more than this in height are not letters of one word (letters
# differ by their ascenders, under 2x): a large digit written on dotted or printed paper
# stands beside small marks, and their verdict is not its own.
WORD_HEIGHTS = 3.0


def reject_text_lines(boxes: np.ndarray, accepted: np.ndarray, confidences: np.ndarray, touch_share: float = 0.35) -> np.ndarray:
    """Un-accept digits written inside words.

    A letter that looks like a digit (l, o, q, S) stands right next to letters the
    model is sure are not digits; a digit of a number stands next to digits, sometimes
    messy ones the model is merely unsure of. Candidates adjacent on a line (gaps under
    ``touch_share`` of their height) form a word; a word whose members are clearly not
    digits often enough (LETTER_SHARE) is a word of letters. Fragments under half the
    word's typical height (the detached flag of a 5, a dot) do not vote: letters are at
    least x-height.
    """
    rows = np.asarray(boxes, float).tolist()
    verdict = accepted.copy()
    letters = (confidences < NOT_A_DIGIT).tolist()
    for order, _ in _text_lines(rows):
        word = [order[0]]
        words = []
        for prev, cur in zip(order, order[1:]):
            gap = rows[cur][0] - (rows[prev][0] + rows[prev][2])
            low, high = sorted((rows[prev][3], rows[cur][3]))
            if gap > touch_share * high or high > WORD_HEIGHTS * low:
                words.append(word)
                word = []
            word.append(cur)
        words.append(word)
        for word in words:
            if len(word) < 2 or not any(letters[i] for i in word):
                continue
            typical = statistics.median(rows[i][3] for i in word)
            tall = [i for i in word if rows[i][3] >= 0.5 * typical]
            votes = sum(letters[i] for i in tall)
            if votes > LETTER_SHARE * len(tall):
                verdict[word] = False
    return verdict


def union_box(boxes: np.ndarray) -> tuple:
    """The box (x, y, w, h) around boxes (N, 4)."""
    x0, y0 = boxes[:, 0].min(), boxes[:, 1].min()
    x1, y1 = (boxes[:, 0] + boxes[:, 2]).max(), (boxes[:, 1] + boxes[:, 3]).max()
    return (int(x0), int(y0), int(x1 - x0), int(y1 - y0))


def _reading(members: list, rows: list, texts: list) -> Reading:
    x0 = min(rows[i][0] for i in members)
    y0 = min(rows[i][1] for i in members)
    x1 = max(rows[i][0] + rows[i][2] for i in members)
    y1 = max(rows[i][1] + rows[i][3] for i in members)
    box = (int(x0), int(y0), int(x1 - x0), int(y1 - y0))
    return Reading(text="".join(texts[i] for i in members), box=box, members=tuple(members))
