"""The preprocessing contract makes MNIST-like inputs from any crop."""
import os

import cv2
import numpy as np
import pytest
from conftest import FIXTURES

from edge_app.contract import BOX, CENTRE, normalise_digit, normalise_digits, stroke_width, to_model_input


def paper(h, w, value=230):
    return np.full((h, w), value, np.uint8)


def draw_seven(img, x, y, size, ink=30, thickness=None):
    t = thickness or max(2, size // 10)
    cv2.line(img, (x, y), (x + size // 2, y), ink, t)
    cv2.line(img, (x + size // 2, y), (x + size // 5, y + size), ink, t)
    return img


def ink_box(field, level=0):
    rows = np.flatnonzero((field > level).any(1))
    cols = np.flatnonzero((field > level).any(0))
    return rows[0], rows[-1], cols[0], cols[-1]


def centre_of_mass(field):
    total = field.astype(float).sum()
    rows, cols = np.indices(field.shape)
    return (rows * field).sum() / total, (cols * field).sum() / total


def assert_mnist_like(field):
    assert field.shape == (28, 28) and field.dtype == np.uint8
    top, bottom, left, right = ink_box(field)
    height, width = bottom - top + 1, right - left + 1
    assert max(height, width) == BOX, (height, width)
    assert min(height, width) <= BOX
    cy, cx = centre_of_mass(field)
    assert abs(cy - CENTRE) <= 1.0 and abs(cx - CENTRE) <= 1.0, (cy, cx)
    # Ink bright on black, as in MNIST: the background is zero and strokes saturate.
    assert field[0].max() == 0 or field.max() == 255
    assert field.max() >= 250


def test_dark_on_light():
    field = normalise_digit(draw_seven(paper(90, 70), 15, 10, 60))
    assert_mnist_like(field)


def test_light_on_dark_matches_dark_on_light():
    crop = draw_seven(paper(90, 70), 15, 10, 60)
    assert np.array_equal(normalise_digit(crop), normalise_digit(255 - crop))
    assert np.array_equal(normalise_digit(255 - crop, ink="light"), normalise_digit(crop, ink="dark"))


def test_tall_thin_one_keeps_its_aspect():
    crop = paper(120, 60)
    cv2.line(crop, (30, 10), (30, 110), 20, 6)
    field = normalise_digit(crop)
    assert_mnist_like(field)
    top, bottom, left, right = ink_box(field)
    assert bottom - top + 1 == BOX and right - left + 1 <= 5


def test_off_centre_digit_is_centred_by_mass():
    crop = draw_seven(paper(200, 200), 120, 120, 60)
    assert_mnist_like(normalise_digit(crop))


def test_speck_of_noise_is_ignored():
    clean = draw_seven(paper(100, 100), 20, 20, 60)
    specked = clean.copy()
    cv2.circle(specked, (92, 92), 2, 30, -1)
    assert_mnist_like(normalise_digit(specked))
    assert np.array_equal(normalise_digit(specked), normalise_digit(clean))


def test_thin_strokes_are_thickened_toward_mnist():
    thin = draw_seven(paper(300, 300), 60, 30, 240, thickness=2)
    field = normalise_digit(thin)
    assert_mnist_like(field)
    mask = (field > 127).astype(np.uint8)
    assert stroke_width(mask) >= 1.5  # a 2 px line on a 240 px digit would be ~0.2 px


def test_blank_crop_gives_empty_field():
    assert not normalise_digit(paper(40, 40)).any()
    noisy = paper(40, 40) + np.random.default_rng(0).integers(0, 5, (40, 40)).astype(np.uint8)
    assert not normalise_digit(noisy).any()


def test_rejects_colour_or_empty_crops():
    with pytest.raises(ValueError):
        normalise_digit(np.zeros((10, 10, 3), np.uint8))
    with pytest.raises(ValueError):
        normalise_digit(np.zeros((0, 5), np.uint8))


def test_mnist_digits_survive_the_contract(mnist_small, classifier):
    """MNIST test digits re-normalised by the contract stay MNIST: the model still reads them."""
    images, labels = mnist_small["x_test"], mnist_small["y_test"]
    renormalised = np.stack([normalise_digit(im, ink="light") for im in images])
    for field in renormalised[:50]:
        assert_mnist_like(field)
    accuracy = (classifier.predict(renormalised).digits == labels).mean()
    assert accuracy >= 0.98, accuracy


def test_int8_input_is_pixel_minus_128():
    pixels = np.arange(256, dtype=np.uint8).reshape(16, 16).repeat(2, 0).repeat(2, 1)[:28, :28]
    q = to_model_input(pixels, 1 / 255, -128)
    assert q.shape == (1, 28, 28, 1) and q.dtype == np.int8
    assert np.array_equal(q[0, ..., 0].astype(int), pixels.astype(int) - 128)


def _golden():
    """63 crops (real-photo crops, a blank, a thin-stroke one, a specked one) and the
    fields the contract gave them when the bundled model was trained and proven."""
    with np.load(os.path.join(FIXTURES, "contract_golden.npz")) as d:
        pixels, shapes, fields = d["pixels"], d["shapes"], d["fields"]
    ends = np.cumsum([h * w for h, w in shapes])
    crops = [chunk.reshape(shape) for chunk, shape in zip(np.split(pixels, ends[:-1]), shapes)]
    return crops, fields


def test_contract_output_is_frozen_for_the_bundled_model():
    crops, fields = _golden()
    assert np.array_equal(normalise_digits(crops, ink="light"), fields)


def test_each_crop_in_a_batch_is_normalised_as_if_alone():
    crops, fields = _golden()
    for i in (0, 5, 60, 61, 62):
        assert np.array_equal(normalise_digit(crops[i], ink="light"), fields[i])
    # Neighbours in the batch change nothing, in any order.
    order = np.random.default_rng(1).permutation(len(crops))
    assert np.array_equal(normalise_digits([crops[i] for i in order], ink="light"), fields[order])
    assert normalise_digits([], ink="light").shape == (0, 28, 28)


def test_holes_are_counted_in_the_ink(mnist_small):
    from edge_app.contract import normalise_and_count_holes

    images, labels = mnist_small["x_test"], mnist_small["y_test"]
    ones, eights = list(images[labels == 1][:8]), list(images[labels == 8][:8])
    net = np.zeros((60, 60), np.uint8)
    net[::10, :] = net[:, ::10] = 255
    net[-1, :] = net[:, -1] = 255  # a 6 x 6 net of cells
    crops = ones + eights + [net, np.zeros((20, 20), np.uint8)]
    fields, holes = normalise_and_count_holes(crops, ink="light")
    assert (holes[:8] == 0).all()
    assert set(holes[8:16].tolist()) <= {1, 2} and (holes[8:16] == 2).sum() >= 5  # an 8 may be drawn open
    assert holes[16] == 36 and holes[17] == 0 and not fields[17].any()
    assert np.array_equal(fields, normalise_digits(crops, ink="light"))
