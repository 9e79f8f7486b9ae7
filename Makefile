# One virtual environment for the host (trainer, replay, tests); the Pi has deploy/.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-host
MNIST ?= ../shared/datasets/mnist.npz
SAMPLE_VIDEO := samples/sample.mp4
DEMO_OUT ?= build/demo

.PHONY: setup demo test bundle-model sample bench figures clean

$(STAMP): requirements-host.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-host.txt -e .
	touch $(STAMP)

setup: $(STAMP)

# The main job: read the bundled sample video with the bundled model.
demo: $(STAMP)
	$(VENV)/bin/edge-app replay $(SAMPLE_VIDEO) --out $(DEMO_OUT)/annotated.mp4 --jsonl $(DEMO_OUT)/readings.jsonl

sample: $(STAMP)
	$(PY) samples/make_sample.py

test: $(STAMP)
	$(PY) -m pytest -q

# Re-train and re-export the bundled model (about 10 minutes on 2 cores; seeded).
bundle-model: $(STAMP)
	$(VENV)/bin/trainer export --data $(MNIST) --epochs 15 --seed 1234 --out models/digits_int8.tflite --out-dir build/train
	cp build/train/model.keras models/digits_float.keras
	cp build/train/training_curves.png models/training_curves.png

bench: $(STAMP)
	$(PY) bench/bench_model.py --data $(MNIST)
	$(PY) bench/bench_pipeline.py
	$(PY) bench/bench_hostile.py

# The README's illustrations, made by the commands themselves from the bundled sample.
figures: $(STAMP)
	$(VENV)/bin/edge-app filter samples/stills/still_0.jpg --kernel edge --out docs/img/filter_edge.png
	$(VENV)/bin/edge-app filter samples/stills/still_0.jpg --kernel gaussian15 --out docs/img/filter_gaussian15.png
	rm -rf build/explain && $(VENV)/bin/edge-app explain samples/stills/still_1.jpg --out build/explain
	cp build/explain/still_1_digit03_7.png docs/img/explain_7.png
	$(VENV)/bin/trainer inspect models/digits_int8.tflite --png docs/img/conv1_kernels.png
	$(VENV)/bin/edge-app replay samples/stills/still_3.jpg --show-probabilities --show-inputs --out build/figure --quiet
	$(PY) -c "import cv2; cv2.imwrite('docs/img/annotated_still.png', cv2.imread('build/figure/still_3.jpg'))"

clean:
	rm -rf build .pytest_cache
