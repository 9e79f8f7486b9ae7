"""A sheet seen at an angle is flattened before its digits are cut out (edge_app/rectify.py)."""
import os
import sys

import cv2
import numpy as np
import pytest

from conftest import ROOT
from edge_app import rectify
from edge_app.frames import Frame
from edge_app.pipeline import Pipeline

sys.path.insert(0, os.path.join(ROOT, "samples"))
from layouts import written_number  # noqa: E402


def paper_mask(corners, shape=(120, 160)):
    mask = np.zeros(shape, np.uint8)
    cv2.fillPoly(mask, [np.int32(corners)], 255)
    return mask


def test_a_sheet_in_perspective_gives_its_corners_in_order_with_a_margin():
    corners = [[50, 20], [110, 20], [150, 110], [10, 110]]  # far side narrower: tilted back
    found = rectify.sheet_corners(paper_mask(corners), step=4)
    assert found is not None
    # Top left, top right, bottom right, bottom left, in the full image's pixels, a
    # little outside the paper mask (which stops short of the sheet's edge).
    centre = np.mean(corners, axis=0)
    for got, want in zip(found / 4, np.float32(corners)):
        assert np.linalg.norm(got - want) < 0.1 * np.linalg.norm(want - centre)
        assert np.linalg.norm(got - centre) > np.linalg.norm(want - centre)


@pytest.mark.parametrize("corners,flattened", [
    ([[20, 20], [140, 20], [140, 100], [20, 100]], False),  # square on: nothing to flatten
    ([[80, 5], [150, 60], [80, 115], [10, 60]], False),  # turned 45 degrees: deskew's, by the writing
    ([[0, 0], [159, 0], [159, 119], [0, 119]], False),  # the whole frame is paper
    ([[50, 20], [110, 20], [150, 119], [10, 119]], True),  # its near side cut by the frame
    ([[0, 0], [128, 14], [128, 106], [0, 119]], True),  # seen from the side, its near side cut
])
def test_only_a_sheet_in_perspective_is_flattened(corners, flattened):
    assert (rectify.sheet_corners(paper_mask(corners), step=4) is not None) == flattened


def test_a_sheet_cut_by_the_frame_on_two_sides_is_left_alone():
    assert rectify.sheet_corners(paper_mask([[60, 0], [159, 0], [159, 119], [10, 119]]), step=4) is None


def test_flattening_maps_boxes_back_to_the_frame():
    image = np.zeros((480, 640, 3), np.uint8)
    corners = np.float32([[200, 80], [440, 80], [600, 440], [40, 440]])
    flat, to_image, shown = rectify.flatten(image, corners)
    h, w = flat.shape[:2]
    assert (w, h) == (560, 394)  # the longer of each pair of facing sides (394 = hypot(160, 360))
    back = rectify.map_boxes(np.array([[0, 0, w, h]]), to_image)[0]
    assert np.allclose(back, [40, 80, 560, 360], atol=1)
    assert shown.shape == (h, w) and shown[h // 2, w // 2] == 255
    assert rectify.map_boxes(np.zeros((0, 4)), to_image).shape == (0, 4)


def _seen_at_a_slant(page, corners):
    h, w = page.shape[:2]
    frame = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    seen = np.float32([[x * w, y * h] for x, y in corners])
    return cv2.warpPerspective(page, cv2.getPerspectiveTransform(frame, seen), (w, h),
                               borderMode=cv2.BORDER_CONSTANT, borderValue=(50, 50, 50))


@pytest.mark.parametrize("size,corners", [
    (56, [[0.15, 0.1], [0.85, 0.25], [0.85, 0.75], [0.15, 0.9]]),  # from the side
    (40, [[0.35, 0.2], [0.65, 0.2], [0.98, 0.95], [0.02, 0.95]]),  # steeply from the front
])
def test_a_number_on_a_sheet_seen_at_a_slant_is_read(classifier, size, corners):
    """The whole sheet in view, far side narrower: flattened, its digits read. (Seen as
    they came, these read nothing: the far digits shrink and lean.)"""
    frame = _seen_at_a_slant(written_number([5, 8, 2], size), corners)
    result = Pipeline(classifier).process(Frame(frame, 0, 0.0, "slant"))
    assert [r.text for r in result.readings] == ["582"], result.log_record()
    # Boxes come back in the frame's pixels, on the digits as the camera saw them.
    x, y, w, h = result.boxes[result.accepted].T
    assert (x >= 0).all() and (y >= 0).all() and (x + w <= 640).all() and (y + h <= 480).all()
    seen = cv2.perspectiveTransform(np.float32([[[260, 200]]]), cv2.getPerspectiveTransform(
        np.float32([[0, 0], [640, 0], [640, 480], [0, 480]]), np.float32([[a * 640, b * 480] for a, b in corners])))[0, 0]
    first = np.argmin(x)
    assert abs(x[first] - seen[0]) < 0.3 * size and abs(y[first] - seen[1]) < 0.3 * size
