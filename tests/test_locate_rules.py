"""Each rule of the locate stage on small constructed cases."""
import os
import sys

import cv2
import pytest
import numpy as np

from edge_app import deskew
from edge_app.blobs import crop_of, drawn_boxes, in_words
from edge_app.underline import digits_over_a_line
from edge_app.frames import Frame
from edge_app.labelling import components
from edge_app.pipeline import Pipeline

from conftest import MNIST_SMALL, ROOT

sys.path.insert(0, os.path.join(ROOT, "samples"))
from layouts import on_a_desk, written_number  # noqa: E402
from edge_app.ink import darkness_on_paper, quiet_darkness
from edge_app.lines import remove_lines
from edge_app.locate import LocateSettings, Locator


def ink_darkness(bgr):
    return darkness_on_paper(bgr)[0]


def page(h=240, w=320, colour=(225, 225, 225)):
    img = np.empty((h, w, 3), np.uint8)
    img[:] = colour
    return img


def seven(img, x, y, size, colour, thickness=3):
    cv2.line(img, (x, y), (x + size // 2, y), colour, thickness)
    cv2.line(img, (x + size // 2, y), (x + size // 6, y + size), colour, thickness)
    return img


def test_a_stroke_in_shadow_is_as_dark_as_in_light():
    img = seven(seven(page(), 40, 60, 80, (60, 60, 60)), 200, 60, 80, (60, 60, 60))
    shaded = img.astype(np.float32)
    shaded[:, 160:] *= 0.55  # a shadow over the right half
    dark = ink_darkness(np.clip(shaded, 0, 255).astype(np.uint8))
    left, right = dark[:, :150].max(), dark[:, 170:].max()
    assert abs(int(left) - int(right)) <= 0.2 * left, (left, right)


def test_blue_and_red_ink_on_white_and_yellow_paper():
    for paper_colour in ((225, 225, 225), (90, 230, 240)):  # BGR: white, yellow sticky note
        for ink in ((150, 60, 20), (40, 40, 190)):  # blue ballpoint, red ballpoint
            dark = ink_darkness(seven(page(colour=paper_colour), 120, 60, 100, ink))
            assert dark.max() >= 60, (paper_colour, ink, dark.max())


def test_a_dim_noisy_frame_is_smoothed_before_its_ink_is_measured():
    # A dim sheet (paper at 110 grey levels) under a high-gain sensor (noise 8 levels
    # per channel): faint strokes 30 levels darker than the paper.
    img = page(480, 640, (110, 110, 110))
    for k in range(4):
        seven(img, 80 + 130 * k, 180, 90, (80, 80, 80), thickness=4)
    noisy = np.clip(img + np.random.default_rng(0).normal(0, 8, img.shape), 0, 255).astype(np.uint8)
    found = Locator(LocateSettings()).locate(noisy)
    whole = found.boxes[found.options == 0]
    assert len(whole) == 4, whole
    for k, (x, y, w, h) in enumerate(sorted(whole.tolist())):
        assert abs(x - (80 + 130 * k)) < 12 and abs(y - 180) < 12 and h > 80
    # A clean frame is measured as it is.
    clean = np.clip(img + np.random.default_rng(0).normal(0, 2, img.shape), 0, 255).astype(np.uint8)
    assert np.array_equal(quiet_darkness(clean)[0], darkness_on_paper(clean)[0])


def test_nothing_counts_as_ink_off_the_paper():
    rng = np.random.default_rng(1)
    img = page()
    desk = rng.integers(20, 70, (240, 120, 3)).astype(np.uint8)  # dark textured desk on the left
    img[:, :120] = desk
    dark = ink_darkness(img)
    assert dark[:, :100].max() == 0


def test_slanted_ruled_lines_go_digits_stay():
    mask = np.zeros((400, 600), np.uint8)
    for k in range(5):
        cv2.line(mask, (0, 60 + 70 * k), (599, 90 + 70 * k), 255, 2)  # about 3 degrees
    cv2.circle(mask, (300, 200), 30, 255, 3)  # a 0 crossed by a line
    cleaned = remove_lines(mask)
    assert cleaned[:, :200].sum() == 0 or cleaned[:, :200].sum() < 0.02 * mask[:, :200].sum()
    ring = np.zeros_like(mask)
    cv2.circle(ring, (300, 200), 30, 255, 3)
    assert (cleaned & ring).sum() > 0.8 * ring.sum()


def test_close_up_rulings_thick_in_pixels_go_at_any_angle():
    # Ruled paper photographed close: the rulings are 9 px thick at a 1280x960 working
    # size, thin for their length but not in pixels, and here turned by 20 degrees.
    mask = np.zeros((960, 1280), np.uint8)
    slope = np.tan(np.radians(20))
    for k in range(-4, 6):
        y = 150 * k
        cv2.line(mask, (0, y), (1279, int(round(y + 1279 * slope))), 255, 9)
    ring = np.zeros_like(mask)
    cv2.circle(ring, (640, 480), 60, 255, 12)  # a 0 in marker crossed by a ruling
    cleaned = remove_lines(mask | ring)
    rulings = (mask > 0) & (ring == 0)
    assert (cleaned[rulings] > 0).mean() < 0.05
    assert (cleaned[ring > 0] > 0).mean() > 0.8


def test_letters_beside_smaller_letters_are_in_words():
    boxes = np.array([[10, 10, 8, 20], [20, 16, 8, 14], [30, 16, 8, 14],  # 'l' then 'e', 'a'
                      [100, 10, 14, 20], [118, 10, 14, 20]])  # two digits
    keep = np.array([True, False, False, True, True])
    assert in_words(boxes, keep).tolist() == [True, False, False, False, False]
    # Written in one ink, the letters stay a word; a faint neighbour (a shadow's edge,
    # paper texture) is no letter, and the candidate beside it stands alone.
    same_ink = np.array([90.0, 80.0, 85.0, 90.0, 90.0])
    assert in_words(boxes, keep, same_ink).tolist() == [True, False, False, False, False]
    faint = np.array([90.0, 30.0, 35.0, 90.0, 90.0])
    assert not in_words(boxes, keep, faint).any()


def test_a_word_is_letters_throughout_but_a_number_a_line_away_is_not():
    boxes = np.array([[0, 16, 8, 12],  # an x-height letter, too small to be a candidate
                      [10, 10, 12, 20], [24, 14, 9, 16], [35, 14, 9, 16], [46, 14, 9, 16],  # "Pres"
                      [64, 14, 9, 16],  # the next word, a word space (0.56 of a height) on
                      [130, 10, 14, 20], [146, 10, 14, 20],  # a number, three heights on
                      [162, 0, 60, 60], [225, 20, 10, 25]])  # a big blob (leather) and a piece
    keep = np.array([False, True, True, True, True, True, True, True, True, False])
    ink = np.full(len(boxes), 100.0)
    # Only P stands beside the small letter; the rest of its word and the next are text
    # through it. The big blob is beside its piece, but three times the digits' height.
    assert in_words(boxes, keep, ink).tolist() == [False, True, True, True, True, True, False, False, True, False]
    faint = ink.copy()
    faint[5] = 40.0  # the next word in other ink is no part of this text
    assert in_words(boxes, keep, faint)[1:6].tolist() == [True, True, True, True, False]


def test_a_blob_cut_off_by_the_frame_is_no_letter_beside_its_neighbours():
    # A number running out of the frame on the left: its first digit is cut off, so it is
    # no candidate, but nothing says it is a letter, and the rest of the number stays.
    boxes = np.array([[0, 10, 14, 20], [16, 10, 14, 20], [32, 10, 14, 20], [48, 10, 14, 20]])
    keep = np.array([False, True, True, True])
    cut_off = np.array([True, False, False, False])
    assert in_words(boxes, keep).tolist() == [False, True, True, True]  # as a letter would
    assert not in_words(boxes, keep, unknown=cut_off).any()


def test_a_number_cut_by_the_frame_edge_keeps_its_other_digits():
    img = page(240, 320)
    for k in range(5):
        seven(img, -16 + 42 * k, 80, 60, (50, 50, 50), thickness=4)  # the first runs off the left edge
    img = np.clip(img + np.random.default_rng(0).normal(0, 3, img.shape), 0, 255).astype(np.uint8)
    found = Locator(LocateSettings()).locate(img)
    whole = found.boxes[found.options == 0]
    assert len(whole) == 4, found.boxes


def test_a_speck_at_the_frame_edge_does_not_take_the_digit_above_with_it():
    # A dot of a dot-grid page, cut by the frame's bottom edge just under a digit: were
    # it joined to the digit as a piece, the digit would reach the edge and be dropped.
    img = seven(page(240, 320), 140, 60, 160, (50, 50, 50), thickness=5)
    cv2.circle(img, (160, 238), 5, (50, 50, 50), -1)
    img = np.clip(img + np.random.default_rng(0).normal(0, 3, img.shape), 0, 255).astype(np.uint8)
    found = Locator(LocateSettings()).locate(img)
    whole = found.boxes[found.options == 0]
    assert len(whole) == 1, found.boxes
    x, y, w, h = whole[0]
    assert abs(y - 60) <= 4 and abs(h - 160) <= 8, whole


def test_small_digits_are_worked_enlarged_and_boxed_in_frame_pixels():
    # Sevens 18 px tall in a 640x480 frame (small writing at the Pi's lores size): the
    # frame is worked again at up to twice the size, and boxes come back in its pixels.
    img = page(480, 640)
    for k in range(6):
        seven(img, 100 + 30 * k, 200, 18, (50, 50, 50), thickness=2)
    img = np.clip(img + np.random.default_rng(0).normal(0, 2, img.shape), 0, 255).astype(np.uint8)
    locator = Locator(LocateSettings())
    worked = []
    find = locator._find
    locator._find = lambda work, *rest: (worked.append(work.shape), find(work, *rest))[1]
    found = locator.locate(img)
    assert worked[0] == (480, 640, 3) and worked[-1][1] > 640 * 1.5
    whole = sorted(found.boxes[found.options == 0].tolist())
    assert len(whole) == 6, whole
    for k, (x, y, w, h) in enumerate(whole):
        assert abs(x - (100 + 30 * k)) <= 3 and abs(y - 200) <= 3 and abs(h - 19) <= 3


def test_small_digits_in_a_frame_near_the_size_limit_are_worked_once():
    # 1200 px wide: enlarging is capped at 1280 px, 1.07 times, too little to pay for a
    # second pass.
    img = page(900, 1200)
    for k in range(6):
        seven(img, 100 + 30 * k, 200, 18, (50, 50, 50), thickness=2)
    locator = Locator(LocateSettings())
    worked = []
    find = locator._find
    locator._find = lambda work, *rest: (worked.append(work.shape), find(work, *rest))[1]
    found = locator.locate(img)
    assert worked == [(900, 1200, 3)]
    assert len(found.boxes[found.options == 0]) == 6


def test_text_angle_of_a_tilted_row():
    angle = np.radians(20)
    boxes = np.array([[100 + 40 * k * np.cos(angle), 100 + 40 * k * np.sin(angle), 25, 35] for k in range(6)])
    assert abs(deskew.text_angle(boxes) - 20) < 1.5
    level = np.array([[100 + 40 * k, 100 + (k % 2) * 3, 25, 35] for k in range(6)])
    assert abs(deskew.text_angle(level)) < deskew.MIN_ANGLE  # jitter is not tilt


def test_a_page_turned_by_25_degrees_still_reads(classifier):
    from edge_app.pipeline import Pipeline
    from edge_app.frames import Frame
    from helpers import STILLS, truth

    still = cv2.imread(f"{STILLS}/still_3.jpg")
    upright = Pipeline(classifier).process(Frame(still, 0, 0.0, "s"))
    h, w = still.shape[:2]
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), -25, 0.8)
    tilted = cv2.warpAffine(still, turn, (w, h), borderMode=cv2.BORDER_REPLICATE)
    result = Pipeline(classifier).process(Frame(tilted, 0, 0.0, "s"))
    expected = truth()["stills"][3]["numbers"]
    assert sorted(r.text for r in upright.readings) == sorted(expected)
    read = [r.text for r in result.readings]
    assert sum(n in read for n in expected) >= len(expected) - 1, (read, expected)


def test_candidate_cap_bounds_the_work():
    noisy = np.random.default_rng(2).integers(0, 256, (480, 640, 3), dtype=np.uint8)
    specks = page(480, 640)
    rng = np.random.default_rng(3)
    for _ in range(3000):
        x, y = rng.integers(0, 630), rng.integers(0, 470)
        cv2.rectangle(specks, (x, y), (x + rng.integers(2, 14), y + rng.integers(2, 22)), (30, 30, 30), -1)
    for img in (noisy, specks):
        found = Locator(LocateSettings(max_candidates=10)).locate(img)
        assert len(set(found.groups.tolist())) <= 10


def test_one_pixel_grid_lines_go_and_ink_crossing_them_stays():
    """Grid paper: 1-pixel lines every 20 px (faint) under a dark digit stroke."""
    h, w = 480, 640
    dark = np.zeros((h, w), np.uint8)
    dark[::20, :] = 60
    dark[:, ::20] = 60
    cv2.line(dark, (310, 100), (310, 250), 200, 4)  # a digit-sized dark stroke crossing seven grid lines
    mask = cv2.compare(dark, 40, cv2.CMP_GE)
    cleaned = remove_lines(mask, dark)
    grid = (dark == 60) & (mask > 0)
    assert cleaned[grid].mean() < 0.1 * 255  # nearly all of the grid is gone
    stroke = dark == 200
    assert (cleaned[stroke] > 0).mean() > 0.95  # the stroke is whole, also where it crosses lines


def squared_paper(h=480, w=640, pitch=24, level=60):
    dark = np.zeros((h, w), np.uint8)
    dark[::pitch, :] = level
    dark[:, ::pitch] = level
    return dark


def test_a_stroke_no_darker_than_the_grid_it_crosses_stays_whole():
    """Pencil on squared paper: a stroke as faint as the grid is cut at every line it
    crosses, unless the ink in a line's band with the stroke on both sides stays; and
    where two lines meet, nothing of the grid may stay behind."""
    dark = squared_paper()
    cv2.line(dark, (300, 100), (300, 250), 75, 3)  # a 1 down across six lines
    cv2.line(dark, (372, 300), (514, 300), 75, 2)  # a 7's bar across six columns
    cv2.line(dark, (514, 300), (514, 420), 75, 2)  # and its stem down across five lines
    mask = cv2.compare(dark, 40, cv2.CMP_GE)
    cleaned = remove_lines(mask, dark)
    count, labels = cv2.connectedComponents(cleaned, connectivity=8)
    assert count - 1 == 2, sorted(np.bincount(labels.ravel())[1:])  # the 1 and the 7, each whole; no grid specks
    strokes = (dark == 75) & (mask > 0)
    assert (cleaned[strokes] > 0).mean() > 0.95


def test_specks_facing_each_other_across_a_line_do_not_get_it_back():
    """What touches a line from both sides without running on across it (the line's
    own ragged rim, specks, show-through above a ruling) is no stroke crossing it: the
    line between stays erased, and nothing along it joins them."""
    dark = squared_paper()
    for x in range(100, 600, 40):  # nubs 4 px tall beside a line's band, above and below it
        dark[234:238, x:x + 6] = 60
        dark[243:247, x:x + 6] = 60
    mask = cv2.compare(dark, 40, cv2.CMP_GE)
    cleaned = remove_lines(mask, dark)
    assert not cleaned[240, :].any()
    count, _ = cv2.connectedComponents(cleaned, connectivity=8)
    assert count - 1 <= 2 * len(range(100, 600, 40))  # each nub on its own at most


def test_a_crop_of_several_components_keeps_their_ink_and_blanks_the_rest():
    """A 5 and its detached flag are one candidate: the crop keeps both, blanks a third
    component inside the box, and leaves the shared label table as it found it."""
    dark = np.zeros((60, 60), np.uint8)
    cv2.line(dark, (15, 30), (15, 50), 200, 3)  # the body
    cv2.line(dark, (15, 10), (35, 10), 180, 3)  # the flag
    cv2.circle(dark, (40, 40), 3, 150, -1)  # a speck of someone else's
    blobs = components(cv2.compare(dark, 0, cv2.CMP_GT))
    flag, body = (int(blobs.labels[y, x]) for x, y in ((25, 10), (15, 40)))
    table = np.zeros(blobs.count, np.uint8)
    crop = crop_of(dark, blobs.labels, (5, 5, 50, 50), np.array([flag, body]), table)
    assert crop[5, 20] == 180 and crop[35, 10] == 200  # both pieces' ink
    assert crop[35, 35] == 0  # the speck's
    assert not table.any()
    assert (crop == crop_of(dark, blobs.labels, (5, 5, 50, 50), np.array([flag, body]))).all()


def test_components_measured_from_ink_pixels_match_opencv():
    """labelling.components measures components from their ink pixels alone; on the ink of a
    real photo, a ruled page and an empty mask it must agree with OpenCV's own pass."""
    import os

    from conftest import FIXTURES
    from edge_app.labelling import components
    from edge_app.ink import darkness_on_paper, ink_levels

    masks = [np.zeros((30, 40), np.uint8)]
    for name in ("21_huyvo_ruled_176544322.jpg", "05_sysu_1967_4899_exif180.jpg"):
        dark, on_paper = darkness_on_paper(cv2.imread(os.path.join(FIXTURES, "real", name)))
        low, _ = ink_levels(dark, LocateSettings(), on_paper)
        masks += [cv2.compare(dark, low, cv2.CMP_GE), cv2.compare(dark, low, cv2.CMP_GE)[::2, ::2]]
    for mask in masks:
        count, labels, stats, _ = cv2.connectedComponentsWithStats(np.ascontiguousarray(mask), connectivity=8)
        blobs = components(mask)
        assert blobs.count == count
        assert np.array_equal(blobs.labels, labels)
        assert np.array_equal(blobs.stats, stats[1:])
        assert np.array_equal(blobs.pixel_labels, labels[blobs.ys, blobs.xs])
        assert len(blobs.xs) == np.count_nonzero(mask)
    assert max(len(components(m).stats) for m in masks) > 100


def test_a_big_digit_in_thin_pen_is_a_candidate():
    # A close-up of one digit written with a fine pen: a 2 filling two thirds of the
    # frame with a 2-pixel stroke covers about 2 % of its box, far below a marker digit.
    img = page(640, 480)
    t = np.linspace(0, 1, 60)
    arch = np.stack([240 + 110 * np.cos(np.pi * (1 + t)), 200 + 100 * np.sin(np.pi * (1 + t))], 1)
    # A hand's diagonal bows; a ruler's would be taken for a printed line.
    diagonal = np.stack([350 - 210 * t, 200 + 300 * t + 40 * np.sin(np.pi * t)], 1)
    foot = np.stack([140 + 170 * t, 500 - 12 * np.sin(np.pi * t)], 1)
    for stroke in (arch, diagonal, foot):
        cv2.polylines(img, [np.round(stroke).astype(np.int32)], False, (70, 70, 70), 2)
    sensor = np.random.default_rng(0).normal(0, 3, img.shape)  # a camera frame is never clean
    img = np.clip(img + sensor, 0, 255).astype(np.uint8)
    found = Locator(LocateSettings()).locate(img)
    tall = found.boxes[found.boxes[:, 3] > 300]
    assert len(tall) == 1, found.boxes
    x, y, w, h = tall[0]
    assert x <= 140 and x + w >= 350 and y <= 100 and y + h >= 500


@pytest.mark.parametrize("strokes", [
    [((330, 70), (310, 420))],  # a 1
    [((200, 80), (440, 80)), ((440, 80), (300, 420))],  # a 7
])
def test_a_close_up_digit_in_fine_pen_is_not_a_printed_line(strokes):
    # Strokes as long as a ruled line, and as thin, but one or two of them, ending well
    # inside the frame: a digit held close to the camera, not printed rulings.
    img = page(480, 640)
    for start, end in strokes:
        cv2.line(img, start, end, (40, 40, 40), 2)
    img = np.clip(img + np.random.default_rng(0).normal(0, 3, img.shape), 0, 255).astype(np.uint8)
    found = Locator(LocateSettings()).locate(img)
    xs = [p[0] for s in strokes for p in s]
    ys = [p[1] for s in strokes for p in s]
    whole = [b for b in found.boxes if b[0] <= min(xs) + 3 and b[0] + b[2] >= max(xs) - 3 and b[1] <= min(ys) + 3 and b[1] + b[3] >= max(ys) - 3]
    assert whole, found.boxes


def test_a_line_running_out_of_the_frame_is_still_erased():
    img = page(480, 640)
    cv2.line(img, (0, 300), (639, 290), (40, 40, 40), 2)  # a single table rule, edge to edge
    img = np.clip(img + np.random.default_rng(0).normal(0, 3, img.shape), 0, 255).astype(np.uint8)
    found = Locator(LocateSettings(drop_border=False)).locate(img)
    assert not (found.boxes[:, 2] > 300).any(), found.boxes


def _tilted_sevens(angle_deg, start=(120, 150), count=6):
    img = page(480, 640)
    angle = np.radians(angle_deg)
    for k in range(count):
        x, y = int(start[0] + 60 * k * np.cos(angle)), int(start[1] + 60 * k * np.sin(angle))
        cv2.polylines(img, [np.array([[x, y], [x + 25, y + 9], [x + 12, y + 50]], np.int32)], False, (50, 50, 50), 4)
    return img


def test_a_turned_frame_keeps_its_digits_and_their_boxes_inside_the_frame():
    # Rising by 35 degrees, the fifth seven stands whole just under the top edge: turned
    # upright, its box's corners poke out of the frame, but its ink does not.
    candidates = Locator().locate(_tilted_sevens(-35))
    boxes = candidates.boxes[candidates.options == 0]
    assert len(boxes) == 5
    assert (boxes[:, :2] >= 0).all() and (boxes[:, 0] + boxes[:, 2] <= 640).all() and (boxes[:, 1] + boxes[:, 3] <= 480).all()
    assert boxes[:, 1].min() == 0  # the one by the top edge, clipped to the frame


def test_deskew_shows_where_the_canvas_is_the_frame():
    frame = page(100, 200)
    _, to_frame, shown = deskew.rotate(frame, 30)
    to_canvas = cv2.invertAffineTransform(to_frame)
    def at(x, y):
        cx, cy = np.rint(to_canvas @ np.array([x, y, 1.0])).astype(int)
        return shown[cy, cx]
    assert at(100, 50) == 255  # the middle
    assert at(0, 50) == 0 and at(199, 99) == 0  # the frame's own edge counts as edge
    assert shown[0, 0] == 0 and shown[-1, -1] == 0  # the canvas corners are drawn-out edge


def test_ink_beyond_a_turned_frame_is_no_digit():
    """In a turned frame the canvas beyond the frame repeats its edge pixels: a blob
    there (a streak) or reaching into it (cut off by the frame's edge) is dropped."""
    img = page(300, 400)
    for x in (60, 180, 300):
        seven(img, x, 110, 60, (50, 50, 50), 4)
    shown = np.zeros((300, 400), np.uint8)
    shown[:, :330] = 255  # the frame shows left of x=330: the third seven crosses it
    assert len(Locator()._find(img).boxes) == 3
    found = Locator()._find(img, shown)
    assert len(found.boxes) == 2 and (found.boxes[:, 0] + found.boxes[:, 2] < 330).all()
    shown[:, :150] = 0  # now the first seven is wholly beyond it
    found = Locator()._find(img, shown)
    assert len(found.boxes) == 1 and 150 < found.boxes[0, 0] < 330


def test_a_grey_frame_is_located_in_one_channel_as_in_three():
    """The Pi camera's Y plane is located in one channel; it must give exactly what the
    same picture expanded to three equal channels gives."""
    import os

    from conftest import FIXTURES

    grey = cv2.cvtColor(cv2.imread(os.path.join(FIXTURES, "real", "11_pswiac_blue_3rows_rot.jpg")), cv2.COLOR_BGR2GRAY)
    one, three = Locator().locate(grey), Locator().locate(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR))
    assert len(one.crops) >= 20
    assert np.array_equal(one.boxes, three.boxes)
    assert all(np.array_equal(a, b) for a, b in zip(one.crops, three.crops))
    assert np.array_equal(Locator().locate(grey[..., None]).boxes, one.boxes)


def test_side_by_side_finds_every_pair_within_reach():
    """Joining pieces and finding words compare only boxes the sorted search pairs up:
    it must miss no pair within reach, long spans and small batches included."""
    from edge_app.blobs import SMALL, _side_by_side

    rng = np.random.default_rng(5)
    for trial in range(200):
        # Mostly small cases, which take every pair; one in eight large enough to search.
        n = int(rng.integers(1, 80)) if trial % 8 else int(rng.integers(2 * np.sqrt(SMALL), 3 * np.sqrt(SMALL)))
        start = rng.integers(0, 500, n).astype(float)
        length = rng.integers(1, 30, n).astype(float)
        length[rng.random(n) < 0.05] = 400.0  # a few long spans
        reach = float(rng.uniform(0, 10)) if trial % 2 else 0.0
        of = np.flatnonzero(rng.random(n) < 0.7)
        pairs = set()
        for i, j in _side_by_side(start, length, reach, of=of, most=int(rng.integers(1, 200))):
            assert (i != j).all()
            pairs |= set(zip(i.tolist(), j.tolist()))
        gap = np.maximum(start[None] - (start + length)[:, None], start[:, None] - (start + length)[None])
        within = gap <= reach
        within[np.arange(n), np.arange(n)] = False
        rows, cols = np.nonzero(within[of])
        wanted = set(zip(of[rows].tolist(), cols.tolist()))
        assert wanted <= pairs


@pytest.mark.parametrize("labels,mark", [([1, 2, 3], "box"), ([4, 2], "circle"), ([7], "circle")])
def test_a_number_in_a_drawn_box_or_circle_is_read(classifier, labels, mark):
    """A boxed answer or a circled number: the outline is no digit, and the digits in it
    are not its pieces. (Joined to it, they had read nothing, or a 0 for a circled 7.)"""
    for size in (28, 40, 56):
        result = Pipeline(classifier).process(Frame(written_number(labels, size, mark), 0, 0.0, "boxed"))
        assert [r.text for r in result.readings] == ["".join(map(str, labels))], (size, result.log_record())


def test_only_a_hollow_convex_outline_round_a_digit_is_a_drawn_box():
    mask = np.zeros((200, 300), np.uint8)
    cv2.rectangle(mask, (20, 20), (140, 120), 255, 3)  # round a digit-sized stroke
    cv2.line(mask, (80, 45), (80, 95), 255, 4)
    cv2.rectangle(mask, (160, 20), (280, 120), 255, 3)  # round a speck only
    cv2.circle(mask, (220, 70), 3, 255, -1)
    cv2.ellipse(mask, (80, 165), (40, 25), 0, 0, 360, 255, 3)  # a 0 written on its side: empty
    blobs = components(mask)
    found = drawn_boxes(blobs.stats, blobs.labels, digit_height=12)
    assert blobs.stats[found, :2].tolist() == [[18, 18]], blobs.stats[found]  # the first box alone


@pytest.mark.parametrize("labels,size,desk,ink", [([1, 3, 6, 7, 9, 0], 40, 0.6, "dark"), ([2, 0, 2, 4], 56, 0.7, "dark"),
                                                 ([4, 7, 1, 8, 6], 28, 0.6, "dark"), ([1, 3, 6, 7, 9, 0], 40, 0.6, "light")])
def test_a_sheet_on_a_desk_not_much_darker_than_it_is_read(classifier, labels, size, desk, ink):
    """A sheet on a grey table or light wood: the desk is bright enough to count as
    paper, and the sheet's edges, in the frame, are steps that thresholding draws as
    lines. They go as a paper's edges. (Before, these read nothing, or "4202".) Light
    ink: the same frame in negative, as chalk on a board hung on a pale wall."""
    frame = on_a_desk(written_number(labels, size), light=0.8, desk=desk)
    if ink == "light":
        frame = 255 - frame
    result = Pipeline(classifier, LocateSettings(ink=ink)).process(Frame(frame, 0, 0.0, "desk"))
    assert [r.text for r in result.readings] == ["".join(map(str, labels))], result.log_record()


@pytest.mark.parametrize("labels,size,ear,light,desk", [([2, 0, 2, 4], 40, 100, 0.8, 0.6), ([4, 7, 1, 8, 6], 56, 40, 0.8, 0.6),
                                                    ([2, 0, 2, 4], 28, 0, 0.7, 1.3), ([4, 7, 1, 8, 6], 28, 60, 0.7, 1.45)])
def test_what_the_line_search_misses_of_a_sheets_edges_goes_with_them(classifier, labels, size, ear, light, desk):
    """The fold of a dog-eared corner is too short to be found as a line, and the paper
    estimate rounds a sheet's corners, but both are one piece with the sheet's edges,
    which are found: they go with them. The last two are grey sheets on a whiter desk:
    each thick edge is found as two lines, so the page looked ruled. (Before, folds
    read as a 1 after or beside the number, and corners as 7s, 4s and 2s.)"""
    frame = on_a_desk(written_number(labels, size), light=light, desk=desk, ear=ear)
    result = Pipeline(classifier).process(Frame(frame, 0, 0.0, "dog-ear"))
    assert [r.text for r in result.readings] == ["".join(map(str, labels))], result.log_record()


@pytest.mark.parametrize("size", [40, 48])
def test_a_number_written_on_a_forms_blank_is_read(classifier, size):
    """The line is long, ends inside the frame and the digits touch it: it is a printed
    line, not a close-up digit's stroke, because the writing on it rises from it by
    less than half its length. (Before, the line and its digits were one blob: "2".)"""
    result = Pipeline(classifier).process(Frame(written_number([2, 0, 2, 4], size, "blank"), 0, 0.0, "blank"))
    assert [r.text for r in result.readings] == ["2024"], result.log_record()


@pytest.mark.parametrize("labels,fall,size", [([2, 0, 2, 4], 0, 48), ([9, 3, 5], 3, 48), ([4, 7], 6, 48), ([1, 1, 8, 6], 0, 40)])
def test_an_underlined_number_is_read(classifier, labels, fall, size):
    """The line touches the digits, and it is short of the frame's 30 % that the line
    search looks for: it is taken out of the blob, and the digits read one by one.
    (Before, the blob was split at its thinnest columns: "2221" for 2024.)"""
    result = Pipeline(classifier).process(Frame(written_number(labels, size, "underline", fall), 0, 0.0, "underlined"))
    assert [r.text for r in result.readings] == ["".join(map(str, labels))], result.log_record()


def test_only_a_long_line_low_in_a_blob_is_an_underline():
    crop = np.zeros((50, 160), np.uint8)
    for k in range(3):
        cv2.line(crop, (20 + 50 * k, 4), (20 + 50 * k, 44), 200, 3)  # three 1s
    cv2.line(crop, (5, 45), (150, 45), 200, 3)  # standing on a line
    parts = digits_over_a_line(crop)
    assert [box[0] for box, _ in parts] == [18, 68, 118]
    assert all(part.shape[0] < 44 and part.max() == 200 for _, part in parts)
    # The same line at mid-height strikes the number through: no underline.
    struck = np.zeros_like(crop)
    for k in range(3):
        cv2.line(struck, (20 + 50 * k, 4), (20 + 50 * k, 44), 200, 3)
    cv2.line(struck, (5, 25), (150, 25), 200, 3)
    assert digits_over_a_line(struck) == []
    # A 2 with a long flat base (a digit's own stroke, under 1.2 blob heights): none.
    two = np.zeros((50, 50), np.uint8)
    cv2.ellipse(two, (25, 15), (15, 12), 0, 180, 360, 200, 3)
    cv2.line(two, (40, 15), (8, 45), 200, 3)
    cv2.line(two, (8, 45), (45, 45), 200, 3)
    assert digits_over_a_line(two) == []


@pytest.mark.parametrize("size", [40, 48, 64])
def test_a_number_in_a_forms_row_of_boxes_is_read(classifier, size):
    """One digit a cell: the row's long edges are lines, its short walls are hairlines
    that are no evidence of a word beside the digits, and no stub of the long edges is
    left at a corner to make a "[" of a wall. (Before: "0581" and "30", "1".)"""
    with np.load(MNIST_SMALL) as d:
        digits, classes = d["x_test"], d["y_test"]
    labels, cell, left, top = [3, 0, 5, 8, 1], size + 16, 120, 180
    page = np.full((480, 640, 3), 215, np.float32)
    for k, label in enumerate(labels):
        digit = cv2.resize(digits[np.flatnonzero(classes == label)[1]], (size, size))
        x = left + k * cell + 8
        page[top + 8:top + 8 + size, x:x + size] -= 0.7 * digit[..., None].astype(np.float32)
    for k in range(len(labels) + 1):
        cv2.line(page, (left + k * cell, top), (left + k * cell, top + cell), (60, 60, 60), 2)
    for y in (top, top + cell):
        cv2.line(page, (left, y), (left + len(labels) * cell, y), (60, 60, 60), 2)
    page = np.clip(page + np.random.default_rng(0).normal(0, 3, page.shape), 0, 255).astype(np.uint8)
    result = Pipeline(classifier).process(Frame(page, 0, 0.0, "cells"))
    assert [r.text for r in result.readings] == ["30581"], result.log_record()


@pytest.mark.parametrize("note", [(150, 100), (200, 120)])
def test_a_small_note_on_a_dark_desk_is_read(classifier, note):
    """A sticky note covering 5-8 % of the frame on a dark, grainy desk: the brightest
    tenth of the frame is desk, so the paper is taken from the brightest hundredth.
    (Taken from the tenth, the grain was "paper", its noise set the threshold, and
    nothing was read.)"""
    rng = np.random.default_rng(1)
    with np.load(MNIST_SMALL) as d:
        digits, classes = d["x_test"], d["y_test"]
    desk = cv2.GaussianBlur(rng.normal(40, 20, (480, 640)).astype(np.float32), (0, 0), 1.0)
    frame = np.repeat(desk[..., None], 3, axis=2)
    width, height = note
    left, top = 250, 190
    frame[top:top + height, left:left + width] = (90, 225, 235)  # BGR: yellow
    row = top + (height - 36) // 2
    for k, label in enumerate([4, 7, 2]):
        digit = cv2.resize(digits[np.flatnonzero(classes == label)[0]], (36, 36)).astype(np.float32)
        frame[row:row + 36, left + 15 + 40 * k:left + 51 + 40 * k] -= 0.75 * digit[..., None]
    frame = np.clip(frame + rng.normal(0, 2, frame.shape), 0, 255).astype(np.uint8)
    result = Pipeline(classifier).process(Frame(frame, 0, 0.0, "note"))
    assert [r.text for r in result.readings] == ["472"], result.log_record()
