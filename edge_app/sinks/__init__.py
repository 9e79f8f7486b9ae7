"""Where results go: each sink takes (FrameResult, annotated picture or None) per frame."""
