"""pi-digits host trainer: train the lecture's CNN on MNIST and export a proven int8 TFLite model."""
