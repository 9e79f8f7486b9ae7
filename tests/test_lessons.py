"""The lecture's lessons: convolution checked against scipy, the explainer's plots from the
real bundled model, and the int8 feature maps against the float Keras model."""
import os

import cv2
import numpy as np
import pytest
from scipy.signal import convolve2d

from edge_app.lessons.kernels import KERNELS, convolve, load_kernel
from edge_app.errors import UserError

from conftest import ROOT, assert_one_line_error, run_cli
from helpers import SAMPLE_VIDEO, STILLS

STILL = os.path.join(STILLS, "still_0.jpg")


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_convolution_matches_scipy(name):
    grey = cv2.cvtColor(cv2.imread(STILL), cv2.COLOR_BGR2GRAY)[100:220, 50:230].astype(np.float64)
    expected = convolve2d(grey, KERNELS[name], boundary="symm", mode="same")
    assert np.allclose(convolve(grey, KERNELS[name]), expected, atol=1e-8)


def test_asymmetric_kernel_is_convolved_not_correlated():
    rng = np.random.default_rng(0)
    image, kernel = rng.random((40, 50)), rng.random((5, 3))
    assert np.allclose(convolve(image, kernel), convolve2d(image, kernel, boundary="symm", mode="same"))


def test_lecture_kernels():
    assert KERNELS["gaussian5"].sum() == pytest.approx(1.0)
    assert KERNELS["gaussian15"].shape == (15, 15) and KERNELS["gaussian15"].sum() == pytest.approx(1.0)
    assert KERNELS["edge"].tolist() == [[-1, 0, 1]] * 3


def test_kernel_files(tmp_path):
    good = tmp_path / "k.txt"
    good.write_text("# a box blur\n1, 1, 1\n1 1 1\n1 1 1\n")
    assert load_kernel(str(good)).tolist() == [[1.0] * 3] * 3
    even = tmp_path / "even.txt"
    even.write_text("1 1\n1 1\n")
    with pytest.raises(UserError, match="odd"):
        load_kernel(str(even))
    junk = tmp_path / "junk.txt"
    junk.write_text("1 x 1\n")
    assert_one_line_error(run_cli("edge-app", "filter", STILL, "--kernel-file", junk, "--out", tmp_path / "o.png"), "not a number")


def test_filter_writes_input_kernel_output_panel(tmp_path):
    result = run_cli("edge-app", "filter", STILL, "--kernel", "gaussian15", "--out", tmp_path / "panel.png")
    assert result.returncode == 0, result.stderr
    panel = cv2.imread(str(tmp_path / "panel.png"))
    assert panel is not None and panel.shape[1] > 3 * panel.shape[0] * 0.9  # three panels side by side
    video = run_cli("edge-app", "filter", SAMPLE_VIDEO, "--kernel", "edge", "--out", tmp_path / "panel.mp4")
    assert video.returncode == 0, video.stderr
    capture = cv2.VideoCapture(str(tmp_path / "panel.mp4"))
    assert int(capture.get(cv2.CAP_PROP_FRAME_COUNT)) == 40


def test_explain_writes_one_sheet_per_digit(tmp_path):
    result = run_cli("edge-app", "explain", STILL, "--out", tmp_path / "explain")
    assert result.returncode == 0, result.stderr
    sheets = sorted(os.listdir(tmp_path / "explain"))
    assert len(sheets) == 12  # still_0 holds 12 digits: 8099, 5384, 3235
    assert "".join(name.rsplit("_", 1)[1][0] for name in sheets) == "809953843235"
    sheet = cv2.imread(str(tmp_path / "explain" / sheets[0]))
    assert sheet.shape[0] > 400 and sheet.shape[1] > 400


def test_int8_feature_maps_match_the_float_model(mnist_small):
    keras = pytest.importorskip("keras")
    from edge_app.lessons.explain import FeatureMaps
    from edge_app.model import read_model_info

    features = FeatureMaps(read_model_info(os.path.join(ROOT, "models", "digits_int8.tflite")))
    model = keras.models.load_model(os.path.join(ROOT, "models", "digits_float.keras"))
    probe = keras.Model(model.inputs[0], [model.get_layer("conv1").output, model.get_layer("conv2").output])
    digits = mnist_small["x_test"][:12]
    floats = probe.predict((digits.astype(np.float32) / 255)[..., None], verbose=0)
    for k, digit in enumerate(digits):
        maps = features.run(digit)
        for layer, reference in zip(("conv1", "conv2"), floats):
            step = features.layers[layer]["quantization"][0]
            error = np.abs(maps[layer] - reference[k])
            assert error.max() <= 3 * step, (layer, error.max() / step)
            assert np.corrcoef(maps[layer].ravel(), reference[k].ravel())[0, 1] > 0.999


def test_trainer_inspect_from_keras_and_tflite(tmp_path):
    for model in ("models/digits_float.keras", "models/digits_int8.tflite"):
        png = tmp_path / (os.path.basename(model) + ".png")
        result = run_cli("trainer", "inspect", model, "--png", png)
        assert result.returncode == 0, result.stderr[-1000:]
        assert "32 kernels of 3x3" in result.stdout and cv2.imread(str(png)) is not None
