"""The lecture's lessons on the user's own camera: 2-D convolution, and what the CNN sees."""
