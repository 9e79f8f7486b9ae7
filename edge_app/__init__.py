"""pi-digits edge app: read handwritten digits from camera frames with an int8 TFLite CNN.

Nothing in this package may import TensorFlow or Keras: on the Pi there is only a
TFLite interpreter (LiteRT or tflite-runtime).
"""

__version__ = "0.1.0"
