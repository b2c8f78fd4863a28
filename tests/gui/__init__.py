"""GUI tests: pytest-qt, offscreen, real widgets and real services on temporary closets."""
